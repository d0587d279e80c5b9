import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { killProcessTree, RUN_MARKER_VARIABLE } from "./processTree";
import { CapturedResource, CapturedStack, EnforcementLevel, PolicyDiagnostic, PolicyPackConfigFile } from "./types";
import { PolicyDescription, reconcilePolicyConfig, ResolvedPolicyConfig } from "./policyConfig";
import { packageRoot, requireFromSdk } from "./sdkModules";

const grpc = requireFromSdk("@grpc/grpc-js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const structproto = requireFromSdk("google-protobuf/google/protobuf/struct_pb");
const emptyproto = requireFromSdk("google-protobuf/google/protobuf/empty_pb");

/** The precompiled pack shipped with this package (`policies/` beside package.json, in the repository or installed). */
export const DEFAULT_PACK_DIR = path.join(packageRoot(), "policies");

const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const PROTO_TO_LEVEL: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const MAX_MESSAGE = 400 * 1024 * 1024;

/** The pack failed to start or to answer. */
export class PolicyPackError extends Error {}

export interface PackInfo {
    name: string;
    version: string;
    policies: PolicyDescription[];
    initialConfig: Record<string, unknown>;
}

export interface PreparedStackRequest {
    bytes: Buffer;
    stack: CapturedStack;
}

export interface StartOptions {
    /** Values the language host passes to the pack's process (`PULUMI_NODEJS_*`). */
    project?: string;
    stack?: string;
    organization?: string;
    dryRun?: boolean;
    /** Where the pack's stderr goes (default: collected and attached to start-up errors). */
    stderr?: "inherit" | "collect";
    /** Marks the pack's processes (see processTree) so that they can all be killed. */
    marker?: string;
    /** Epoch milliseconds by which the pack must have started and answered every request. */
    deadline?: number;
}

const RPC_NAMES: Record<string, string> = {
    getAnalyzerInfo: "GetAnalyzerInfo", configureStack: "ConfigureStack", configure: "Configure",
    remediate: "Remediate", analyze: "Analyze", analyzeStack: "AnalyzeStack",
};

function call<T>(client: any, method: string, request: unknown, deadline?: number): Promise<T> {
    return new Promise((resolve, reject) => {
        const callback = (err: any, response: T) => {
            if (err && err.code === grpc.status.DEADLINE_EXCEEDED) {
                reject(new PolicyPackError(`the policy pack did not answer ${RPC_NAMES[method] ?? method} in time (raise the limit with --timeout)`));
            } else if (err) {
                reject(packFailure(method, err));
            } else {
                resolve(response);
            }
        };
        if (deadline === undefined) {
            client[method](request, callback);
        } else {
            client[method](request, { deadline }, callback);
        }
    });
}

function toStruct(value: Record<string, unknown>): any {
    return structproto.Struct.fromJavaScript(value);
}

function resourceOptions(res: CapturedResource): any {
    const options = new analyzerproto.AnalyzerResourceOptions();
    if (res.parent) {
        options.setParent(res.parent);
    }
    return options;
}

/** A policy pack process started as `pulumi preview --policy-pack <dir>` starts it, and a client speaking its protocol. */
export class PolicyPackSession {
    private constructor(private readonly child: ChildProcess, private readonly client: any, readonly info: PackInfo, private readonly options: StartOptions) {}

    /**
     * Starts the pack with `@pulumi/pulumi/cmd/run-policy-pack` in its own directory, exactly like the Node.js language
     * host does for analyzer plugins, waits for the port it prints, and reads its GetAnalyzerInfo.
     */
    static async start(packDir: string = DEFAULT_PACK_DIR, options: StartOptions = {}): Promise<PolicyPackSession> {
        let launcher: string;
        try {
            launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        } catch {
            throw new PolicyPackError(`cannot find @pulumi/pulumi from ${packDir}: run npm ci at the repository root`);
        }
        const child = spawn(process.execPath, [launcher, "127.0.0.1:0", "."], {
            cwd: packDir,
            stdio: ["ignore", "pipe", options.stderr === "inherit" ? "inherit" : "pipe"],
            // Its own process group: closing the session kills the pack and anything it started.
            detached: true,
            env: {
                ...process.env,
                ...(options.marker ? { [RUN_MARKER_VARIABLE]: options.marker } : {}),
                PULUMI_NODEJS_PROJECT: options.project ?? "project",
                PULUMI_NODEJS_STACK: options.stack ?? "dev",
                PULUMI_NODEJS_ORGANIZATION: options.organization ?? "organization",
                PULUMI_NODEJS_DRY_RUN: String(options.dryRun ?? true),
                PULUMI_CONFIG: "{}",
            },
        });
        let stderr = "";
        child.stderr?.on("data", (chunk) => (stderr = (stderr + chunk.toString()).slice(-16384)));
        let startTimer: NodeJS.Timeout | undefined;
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const fail = (why: string) => reject(new PolicyPackError(`${why}${stderr.trim() ? `: ${lastLine(stderr)}` : ""}`));
            if (options.deadline !== undefined) {
                startTimer = setTimeout(() => fail(`the policy pack in ${packDir} did not start in time (raise the limit with --timeout)`), Math.max(0, options.deadline - Date.now()));
            }
            child.stdout!.on("data", (chunk) => {
                stdout += chunk.toString();
                const newline = stdout.indexOf("\n");
                if (newline >= 0) {
                    const parsed = Number.parseInt(stdout.slice(0, newline).trim(), 10);
                    Number.isInteger(parsed) ? resolve(parsed) : fail(`the policy pack printed '${stdout.slice(0, newline)}' instead of its port`);
                }
            });
            child.once("error", (err) => fail(`cannot start the policy pack in ${packDir} (${err.message})`));
            child.once("exit", (code) => fail(`the policy pack in ${packDir} exited with code ${code} before serving`));
        }).catch((err) => {
            killProcessTree(child.pid, options.marker);
            throw err;
        }).finally(() => clearTimeout(startTimer));
        child.stdout!.resume();
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE,
            "grpc.max_send_message_length": MAX_MESSAGE,
        });
        try {
            const info = readInfo(await call<any>(client, "getAnalyzerInfo", new emptyproto.Empty(), options.deadline));
            return new PolicyPackSession(child, client, info, options);
        } catch (err) {
            client.close();
            killProcessTree(child.pid, options.marker);
            throw err instanceof PolicyPackError ? err : new PolicyPackError(`the policy pack did not answer GetAnalyzerInfo: ${(err as Error).message}`);
        }
    }

    /** Resolves a `--policy-pack-config` file against this pack like the engine does (throws PolicyConfigError). */
    resolveConfig(config?: PolicyPackConfigFile): Record<string, ResolvedPolicyConfig> {
        return reconcilePolicyConfig(this.info.policies, config, this.info.initialConfig);
    }

    /**
     * Evaluates the pack over a captured stack with the engine's sequence and semantics: ConfigureStack, Configure
     * (every policy), then per resource in registration order Remediate (its new inputs replace the old ones) and
     * Analyze, and AnalyzeStack last. Remediate-level verdicts are reported as mandatory, as the engine does.
     */
    async analyze(stack: CapturedStack, config?: PolicyPackConfigFile): Promise<PolicyDiagnostic[]> {
        const resolved = this.resolveConfig(config);
        await this.configure(stack, resolved);
        // A pack remediates only with policies at level "remediate" (@pulumi/policy makeRemediateRpcFun): without
        // one, every Remediate answer is empty, and asking is only round trips.
        const remediate = Object.values(resolved).some((c) => c.enforcementLevel === "remediate");
        const { diagnostics, remediated } = await this.analyzeResources(stack, remediate);
        diagnostics.push(...(await this.analyzeStack(this.analyzeStackRequest(remediated))));
        return diagnostics;
    }

    /**
     * Remediate then Analyze each resource; returns the verdicts in registration order and the stack as remediated.
     * Like the engine's step executor, independent resources are analyzed concurrently (each resource's own
     * Remediate still precedes its Analyze).
     */
    async analyzeResources(stack: CapturedStack, remediate = true): Promise<{ diagnostics: PolicyDiagnostic[]; remediated: CapturedStack }> {
        const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
        const results = await mapConcurrently(stack.resources, ANALYZE_CONCURRENCY, (original) => this.analyzeOne(original, byUrn, remediate));
        return {
            diagnostics: results.flatMap((r) => r.diagnostics),
            remediated: { ...stack, resources: results.map((r) => r.resource) },
        };
    }

    private async analyzeOne(original: CapturedResource, byUrn: Map<string, CapturedResource>, remediate: boolean): Promise<{ resource: CapturedResource; diagnostics: PolicyDiagnostic[] }> {
        let res = original;
        if (res.external) {
            // Reads are not goals: the engine analyzes them only as part of the stack.
            return { resource: res, diagnostics: [] };
        }
        const diagnostics: PolicyDiagnostic[] = [];
        if (remediate) {
            const remediation = await call<any>(this.client, "remediate", this.analyzeRequest(res, byUrn), this.options.deadline);
            for (const r of remediation.getRemediationsList()) {
                if (r.hasProperties()) {
                    const inputs = r.getProperties().toJavaScript();
                    res = { ...res, inputs, outputs: { ...res.outputs, ...inputs } };
                }
                if (r.getDiagnostic()) {
                    diagnostics.push({ policy: r.getPolicyname(), policyPack: r.getPolicypackname(), level: "advisory", urn: res.urn, message: r.getDiagnostic(), phase: "remediate" });
                }
            }
        }
        const analysis = await call<any>(this.client, "analyze", this.analyzeRequest(res, byUrn), this.options.deadline);
        diagnostics.push(...readDiagnostics(analysis, "analyze", (urn) => urn || res.urn));
        return { resource: res, diagnostics };
    }

    /**
     * The AnalyzeStack request the engine sends (outputs, parents, dependencies and property dependencies), already
     * serialized: sending it costs what it costs the engine, not our JavaScript encoding of it.
     */
    analyzeStackRequest(stack: CapturedStack): PreparedStackRequest {
        const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
        const request = new analyzerproto.AnalyzeStackRequest();
        request.setResourcesList(stack.resources.map((r) => this.stackResource(r, byUrn)));
        return { bytes: Buffer.from(request.serializeBinary()), stack };
    }

    /** Sends a prepared AnalyzeStack request; diagnostics on resources outside the stack go to the stack's URN. */
    async analyzeStack(prepared: PreparedStackRequest): Promise<PolicyDiagnostic[]> {
        const urns = new Set(prepared.stack.resources.map((r) => r.urn));
        const stackUrn = prepared.stack.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
        const response = await new Promise<any>((resolve, reject) => {
            this.client.makeUnaryRequest(
                "/pulumirpc.Analyzer/AnalyzeStack",
                (bytes: Buffer) => bytes,
                (bytes: Buffer) => analyzerproto.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
                prepared.bytes,
                new grpc.Metadata(),
                this.options.deadline === undefined ? {} : { deadline: this.options.deadline },
                (err: any, resp: any) => (err?.code === grpc.status.DEADLINE_EXCEEDED
                    ? reject(new PolicyPackError("the policy pack did not answer AnalyzeStack in time (raise the limit with --timeout)"))
                    : err ? reject(packFailure("analyzeStack", err)) : resolve(resp)),
            );
        });
        return readDiagnostics(response, "analyzeStack", (urn) => (urn && urns.has(urn) ? urn : stackUrn));
    }

    /** Stops the pack: its whole process group and everything carrying the run marker. */
    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            killProcessTree(this.child.pid, this.options.marker);
            await exited;
        } else {
            killProcessTree(this.child.pid, this.options.marker);
        }
    }

    /** ConfigureStack and Configure, as the engine sends them before analysing. */
    async configure(stack: CapturedStack, resolved: Record<string, ResolvedPolicyConfig>): Promise<void> {
        const stackRequest = new analyzerproto.AnalyzerStackConfigureRequest();
        stackRequest.setStack(stack.stack);
        stackRequest.setProject(stack.project);
        stackRequest.setOrganization(stack.organization);
        stackRequest.setDryRun(stack.preview);
        await call(this.client, "configureStack", stackRequest, this.options.deadline);

        const request = new analyzerproto.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(resolved)) {
            const policyConfig = new analyzerproto.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVEL_TO_PROTO[entry.enforcementLevel]);
            policyConfig.setProperties(toStruct(entry.properties));
            map.set(name, policyConfig);
        }
        await call(this.client, "configure", request, this.options.deadline);
    }

    private providerResource(res: CapturedResource, byUrn: Map<string, CapturedResource>): any {
        if (!res.provider) {
            return undefined;
        }
        const providerUrn = res.provider.slice(0, res.provider.lastIndexOf("::"));
        const provider = byUrn.get(providerUrn);
        const message = new analyzerproto.AnalyzerProviderResource();
        message.setUrn(providerUrn);
        message.setType(provider?.type ?? providerUrn.split("::")[2]);
        message.setName(provider?.name ?? providerUrn.split("::")[3]);
        message.setProperties(toStruct(provider?.outputs ?? {}));
        return message;
    }

    private analyzeRequest(res: CapturedResource, byUrn: Map<string, CapturedResource>): any {
        const request = new analyzerproto.AnalyzeRequest();
        request.setType(res.type);
        request.setName(res.name);
        request.setUrn(res.urn);
        request.setProperties(toStruct(res.inputs));
        request.setOptions(resourceOptions(res));
        const provider = this.providerResource(res, byUrn);
        if (provider) {
            request.setProvider(provider);
        }
        return request;
    }

    private stackResource(res: CapturedResource, byUrn: Map<string, CapturedResource>): any {
        const message = new analyzerproto.AnalyzerResource();
        message.setType(res.type);
        message.setName(res.name);
        message.setUrn(res.urn);
        message.setProperties(toStruct(res.outputs));
        message.setOptions(resourceOptions(res));
        if (res.parent) {
            message.setParent(res.parent);
        }
        message.setDependenciesList(res.dependencies);
        const provider = this.providerResource(res, byUrn);
        if (provider) {
            message.setProvider(provider);
        }
        const deps = message.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(res.propertyDependencies)) {
            // The engine leaves out properties without dependencies.
            if (urns.length > 0) {
                const pd = new analyzerproto.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                deps.set(key, pd);
            }
        }
        return message;
    }
}

/** A failed request as one line: the RPC and the pack's own message, without its stack. */
function packFailure(method: string, err: any): PolicyPackError {
    const message = String(err.details ?? err.message ?? err).split(/\s+at\s/)[0].trim();
    return new PolicyPackError(`${RPC_NAMES[method] ?? method} failed: ${message}`);
}

/** Per-resource requests in flight at once (the pack answers them one by one; this hides the round trips). */
const ANALYZE_CONCURRENCY = 32;

/** `fn` over `items` with at most `limit` calls pending; results in the items' order. */
async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

function lastLine(text: string): string {
    const lines = text.trim().split("\n").filter((l) => l.trim());
    return lines[lines.length - 1] ?? "";
}

function readInfo(info: any): PackInfo {
    const policies: PolicyDescription[] = info.getPoliciesList().map((p: any) => ({
        name: p.getName(),
        description: p.getDescription() || undefined,
        enforcementLevel: PROTO_TO_LEVEL[p.getEnforcementlevel()] ?? "advisory",
        configSchema: p.hasConfigschema()
            ? { properties: p.getConfigschema().getProperties()?.toJavaScript() ?? {}, required: p.getConfigschema().getRequiredList() }
            : undefined,
    }));
    const initialConfig: Record<string, unknown> = {};
    info.getInitialconfigMap().forEach((c: any, name: string) => {
        const entry: Record<string, unknown> = { ...(c.getProperties()?.toJavaScript() ?? {}) };
        entry.enforcementLevel = PROTO_TO_LEVEL[c.getEnforcementlevel()];
        initialConfig[name] = entry;
    });
    return { name: info.getName(), version: info.getVersion(), policies, initialConfig };
}

function readDiagnostics(response: any, phase: PolicyDiagnostic["phase"], urnFor: (urn: string) => string): PolicyDiagnostic[] {
    const out: PolicyDiagnostic[] = [];
    for (const d of response.getDiagnosticsList()) {
        const level = PROTO_TO_LEVEL[d.getEnforcementlevel()];
        if (level === "disabled") {
            continue;
        }
        out.push({
            policy: d.getPolicyname(),
            policyPack: d.getPolicypackname(),
            level: level === "advisory" ? "advisory" : "mandatory",
            urn: urnFor(d.getUrn()),
            message: d.getMessage(),
            phase,
        });
    }
    return out;
}

export function startPolicyPack(packDir?: string, options?: StartOptions): Promise<PolicyPackSession> {
    return PolicyPackSession.start(packDir, options);
}
