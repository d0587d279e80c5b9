import * as pulumi from "@pulumi/pulumi";
import { CapturedResource, CapturedStack } from "./types";
import { computedOutputs, DEFAULT_ACCOUNT, invokeResult, MockAccount, shortHash } from "./mockOutputs";
import { requireFromSdk } from "./sdkModules";
import { digestWireValue, UNKNOWN } from "./wireValues";

// Internal SDK modules: the same ones the mock monitor and the language host use.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const rpc = require("@pulumi/pulumi/runtime/rpc");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdkState = require("@pulumi/pulumi/runtime/state");
const structproto = requireFromSdk("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const resproto = require("@pulumi/pulumi/proto/resource_pb");

/** What the engine remembers between deployments of a stack: enough to tell unchanged resources from changed ones. */
export class MockState {
    readonly resources = new Map<string, { digest: string; computed: Record<string, unknown> }>();
}

export type Operation = "create" | "update" | "replace" | "same";

export interface RunOptions {
    /** true: `pulumi preview` of the program (outputs of new or changed resources are unknown); false: `pulumi up`. */
    preview: boolean;
    project?: string;
    stack?: string;
    organization?: string;
    /** Stack configuration, keys fully qualified (`aws:region`, `<project>:name`). */
    config?: Record<string, string>;
    /** Carry state between runs to model a redeploy; `update` runs record into it. */
    state?: MockState;
    account?: MockAccount;
    /** Directory relative asset/archive paths resolve against (the program's directory). */
    baseDir?: string;
}

export interface RunResult extends CapturedStack {
    /** What a deployment would do to each resource, by URN. */
    operations: Record<string, Operation>;
    /** The program's stack outputs (update mode; unknown ones are absent). */
    stackOutputs: Record<string, unknown>;
}

/** Raised when the Pulumi program itself fails (throws, rejects, or logs an error). */
export class ProgramError extends Error {
    constructor(message: string, readonly cause?: unknown) {
        super(message);
    }
}

/** Every argument of these forces a replacement (see the Terraform AWS provider schemas). */
const REPLACE_ON_CHANGE = new Set(["aws:signer/signingJob:SigningJob", "aws:lambda/layerVersion:LayerVersion"]);

let running = false;

function readPropertyDependencies(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        out[key] = deps.getUrnsList();
    });
    return out;
}

function withoutUnknownKeys(values: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) {
            out[k] = v;
        }
    }
    return out;
}

/**
 * Runs a Pulumi program in-process under the SDK's mock monitor and captures every registered resource the way
 * the engine would present it to a policy pack. `preview: true` reproduces `pulumi preview` of a new stack: the
 * outputs of every created resource are real unknowns, on the program side and in the capture.
 */
export async function runProgram(program: () => unknown, options: RunOptions): Promise<RunResult> {
    if (running) {
        throw new Error("runProgram: another program is already running in this process");
    }
    running = true;
    const project = options.project ?? "project";
    const stack = options.stack ?? "dev";
    const organization = options.organization ?? "organization";
    const account = { ...(options.account ?? DEFAULT_ACCOUNT) };
    const region = options.config?.["aws:region"];
    if (region) {
        account.region = region;
    }
    const state = options.state ?? new MockState();
    const baseDir = options.baseDir ?? process.cwd();
    const resources: CapturedResource[] = [];
    const byUrn = new Map<string, CapturedResource>();
    const operations: Record<string, Operation> = {};
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);

    try {
        await pulumi.runtime.setMocks({
            newResource: (args) => ({ id: args.id ?? `${args.name}-id`, state: args.inputs }),
            call: (args) => {
                const result = invokeResult(args.token, args.inputs, account);
                if (!result) {
                    // The SDK reports an invoke failure through the gRPC error's `details`.
                    const message = `the offline engine cannot answer the provider function '${args.token}'`;
                    throw Object.assign(new Error(message), { details: message });
                }
                return result;
            },
        }, project, stack, options.preview, organization);
        if (options.config) {
            pulumi.runtime.setAllConfig(options.config);
        }
        const monitor = settings.getMonitor();
        const defaultProviders = new Map<string, string>();

        const record = (res: CapturedResource) => {
            resources.push(res);
            byUrn.set(res.urn, res);
        };

        const defaultProviderRef = (type: string, version: string): string | undefined => {
            const pkg = type.split(":")[0];
            if (pkg === "pulumi") {
                return undefined;
            }
            const key = `${pkg}@${version}`;
            let ref = defaultProviders.get(key);
            if (!ref) {
                const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
                const urn = `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${name}`;
                const id = shortHash(urn, 8) + "-" + shortHash(`${urn}|id`, 4);
                const inputs: Record<string, unknown> = version ? { version } : {};
                if (pkg === "aws") {
                    inputs.region = account.region;
                }
                record({ urn, type: `pulumi:providers:${pkg}`, name, custom: true, id, inputs, outputs: { ...inputs }, dependencies: [], propertyDependencies: {} });
                operations[urn] = state.resources.has(urn) ? "same" : "create";
                if (!options.preview) {
                    state.resources.set(urn, { digest: "", computed: {} });
                }
                ref = `${urn}::${id}`;
                defaultProviders.set(key, ref);
            }
            return ref;
        };

        monitor.registerResource = async (req: any, callback: (err: any, resp?: any) => void) => {
            try {
                const type: string = req.getType();
                const name: string = req.getName();
                const custom: boolean = req.getCustom();
                const parent: string = req.getParent();
                const urn: string = monitor.newUrn(parent, type, name);
                const wireInputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
                const programInputs: Record<string, unknown> = withoutUnknownKeys(rpc.deserializeProperties(req.getObject()));
                const digest = digestWireValue(wireInputs, baseDir);
                const previous = state.resources.get(urn);
                const operation: Operation = !previous ? "create"
                    : previous.digest === digest ? "same"
                    : REPLACE_ON_CHANGE.has(type) ? "replace" : "update";

                let computed: Record<string, unknown> = {};
                if (custom) {
                    computed = operation === "same" && previous
                        ? previous.computed
                        : computedOutputs(type, name, urn, wireInputs as Record<string, any>, digest, account);
                }
                const outputsKnown = !options.preview || operation === "same";
                const wireOutputs: Record<string, unknown> = { ...wireInputs };
                for (const [k, v] of Object.entries(computed)) {
                    wireOutputs[k] = outputsKnown ? v : (k in wireInputs ? wireInputs[k] : UNKNOWN);
                }
                if (!options.preview) {
                    state.resources.set(urn, { digest, computed });
                }

                const providerRef: string | undefined = req.getProvider() || (custom ? defaultProviderRef(type, req.getVersion()) : undefined);
                const id = custom && outputsKnown ? String(computed.id ?? `${name}-id`) : undefined;
                record({
                    urn, type, name, custom,
                    parent: parent || undefined,
                    provider: providerRef,
                    id,
                    inputs: wireInputs,
                    outputs: wireOutputs,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: readPropertyDependencies(req),
                });
                operations[urn] = operation;

                const programState = outputsKnown ? { ...programInputs, ...computed } : programInputs;
                delete (programState as Record<string, unknown>).id;
                const serializedState = await rpc.serializeProperties("", programState);
                monitor.resources.set(urn, { urn, id: id ?? null, state: serializedState });
                const response = new resproto.RegisterResourceResponse();
                response.setUrn(urn);
                response.setId(id ?? "");
                response.setObject(structproto.Struct.fromJavaScript(serializedState));
                callback(null, response);
            } catch (err) {
                callback(err, undefined);
            }
        };

        const originalRegisterOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req: any, callback: (err: any, resp?: any) => void) => {
            const res = byUrn.get(req.getUrn());
            if (res) {
                res.outputs = { ...res.outputs, ...(req.getOutputs()?.toJavaScript() ?? {}) };
            }
            originalRegisterOutputs(req, callback);
        };

        process.on("unhandledRejection", onRejection);
        let stackOutputs: Record<string, unknown> = {};
        try {
            stackOutputs = (await pulumi.runtime.runInPulumiStack(async () => program())) ?? {};
        } catch (err) {
            throw new ProgramError(describeError(err), err);
        }
        await settings.waitForRPCs();
        // Give rejected applies a turn to surface before we judge the run.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) {
            throw new ProgramError(describeError(failures[0]), failures[0]);
        }
        if (sdkState.getStore().logErrorCount > 0) {
            throw new ProgramError("the program logged an error (see the messages above)");
        }
        return { project, stack, organization, preview: options.preview, resources, operations, stackOutputs: withoutUnknownKeys(stackOutputs) };
    } finally {
        // A failed stack initialisation also rejects the stack's own promises a turn later: absorb those too.
        await new Promise((resolve) => setTimeout(resolve, 0));
        process.off("unhandledRejection", onRejection);
        running = false;
    }
}

function describeError(err: unknown): string {
    if (err instanceof pulumi.ResourceError || err instanceof pulumi.RunError) {
        return err.message;
    }
    if (err instanceof Error) {
        return err.message;
    }
    return String(err);
}

/** Signing jobs a deployment starts: `aws.signer.SigningJob`s it creates or replaces (every job input forces replacement). */
export function signingJobsStarted(run: RunResult): number {
    return run.resources.filter((r) => r.type === "aws:signer/signingJob:SigningJob" && (run.operations[r.urn] === "create" || run.operations[r.urn] === "replace")).length;
}
