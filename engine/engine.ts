import { Answers, findStackOutputs, INVOKE_ANSWERS_OPTION, noAnswers, STACK_OUTPUTS_OPTION, stackReferenceState } from "./answers";
import { CallbackClient, CallbackRef, callbackRef } from "./callbacks";
import { computedOutputs, invokeResult, MockAccount, shortHash } from "./mockOutputs";
import { withoutResourceReferences } from "./outputValues";
import { asSecret, isProviderType, plainOutputs, readableBySdk, readPropertyDependencies, sourceLocation, stackTrace } from "./registration";
import { CapturedResource, CapturedStack } from "./types";
import { analyzerView, digestWireValue, PathHashes, UNKNOWN } from "./wireValues";
import { requireFromSdk } from "./sdkModules";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const structproto = requireFromSdk("google-protobuf/google/protobuf/struct_pb");

/** What the engine remembers between deployments of a stack: enough to tell unchanged resources from changed ones. */
export class MockState {
    readonly resources = new Map<string, { digest: string; computed: Record<string, unknown> }>();
}

export type Operation = "create" | "update" | "replace" | "same";

export interface RunResult extends CapturedStack {
    /** What a deployment would do to each resource, by URN. */
    operations: Record<string, Operation>;
    /** The program's stack outputs (update mode; unknown ones are absent, secrets unwrapped). */
    stackOutputs: Record<string, unknown>;
}

/** Raised when the Pulumi program itself fails (throws, rejects, logs an error, exits early or never finishes). */
export class ProgramError extends Error {
    constructor(message: string, readonly cause?: unknown, readonly details?: string) {
        super(message);
    }
}

/** Something the offline engine could not answer; the program saw an unknown value or an error instead. */
export interface EngineGap {
    kind: "stack-reference" | "invoke" | "read" | "call";
    /** Stack name, invoke token, resource type or method token. */
    subject: string;
    /** URN of the resource the gap is visible on (stack references and reads). */
    urn?: string;
    /** The option that would fill the gap, when there is one. */
    option?: string;
}

export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn?: string;
}

export interface EngineOptions {
    project: string;
    stack: string;
    organization: string;
    /** true: `pulumi preview` of a new stack; false: `pulumi up`. */
    preview: boolean;
    account: MockAccount;
    state: MockState;
    /** Relative asset and archive paths resolve against this directory (the program's working directory). */
    baseDir: string;
    /** Fully qualified config (`aws:region`), for default providers. */
    config: Record<string, string>;
    answers?: Answers;
    /** Called after every registration (progress). */
    onRegistered?: (count: number) => void;
}

/** Every argument of these forces a replacement (see the Terraform AWS provider schemas). */
const REPLACE_ON_CHANGE = new Set(["aws:signer/signingJob:SigningJob", "aws:lambda/layerVersion:LayerVersion"]);
const LOG_SEVERITIES: EngineLog["severity"][] = ["debug", "info", "warning", "error"];

/** The features a program may rely on, as the CLI's resource monitor advertises them (GetDeploymentInfo). */
export const SUPPORTED_FEATURES: number[] = [
    "RESOURCE_MONITOR_FEATURE_SECRETS", "RESOURCE_MONITOR_FEATURE_ALIAS_SPECS", "RESOURCE_MONITOR_FEATURE_DELETED_WITH",
    "RESOURCE_MONITOR_FEATURE_REPLACE_WITH", "RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER", "RESOURCE_MONITOR_FEATURE_TRANSFORMS",
    "RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS", "RESOURCE_MONITOR_FEATURE_PARAMETERIZATION", "RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS",
    "RESOURCE_MONITOR_FEATURE_ERROR_HOOKS",
].map((name) => resproto.ResourceMonitorFeature[name]).filter((v) => v !== undefined);

/**
 * The offline engine behind a program's resource monitor: names resources like the Pulumi engine, runs transforms,
 * synthesises default providers, answers reads and invokes, computes plausible outputs, and records the stack the way
 * the engine hands it to analyzers. It serves the same requests in process (mocks) and over gRPC (a child process).
 */
export class OfflineEngine {
    readonly resources: CapturedResource[] = [];
    readonly operations: Record<string, Operation> = {};
    readonly gaps: EngineGap[] = [];
    readonly logs: EngineLog[] = [];
    rootResource = "";
    shutdownSignalled = false;
    private readonly byUrn = new Map<string, CapturedResource>();
    private readonly defaultProviders = new Map<string, string>();
    private readonly stackTransforms: CallbackRef[] = [];
    private readonly invokeTransforms: CallbackRef[] = [];
    private readonly ownTransforms = new Map<string, CallbackRef[]>();
    private readonly parents = new Map<string, string>();
    private readonly packages = new Map<string, { name: string; version: string }>();
    private readonly callbacks = new CallbackClient();
    private readonly pathHashes: PathHashes = new Map();
    private readonly answers: Answers;
    private stackOutputValues: Record<string, unknown> = {};

    constructor(private readonly options: EngineOptions) {
        this.answers = options.answers ?? noAnswers();
    }

    /** `resource.NewURN`: the parent's qualified type chain (the root stack excluded), then the type and the name. */
    newUrn(parent: string, type: string, name: string): string {
        let qualified = type;
        if (parent) {
            const parentType = parent.split("::")[2] ?? "";
            if (parentType !== "pulumi:pulumi:Stack") {
                qualified = `${parentType}$${type}`;
            }
        }
        return `urn:pulumi:${this.options.stack}::${this.options.project}::${qualified}::${name}`;
    }

    async registerResource(req: any): Promise<any> {
        this.assertRunning("register a resource");
        const type: string = req.getType();
        const name: string = req.getName();
        const custom: boolean = req.getCustom();
        const parent: string = req.getParent();
        let props: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
        let dependencies: string[] = req.getDependenciesList();
        let propertyDependencies = readPropertyDependencies(req);
        if (req.getPropertydependenciesMap().getLength() === 0 && !req.getRemote()) {
            propertyDependencies = Object.fromEntries(Object.keys(props).map((k) => [k, [...dependencies]]));
        }
        const own = req.getTransformsList().map(callbackRef);
        const inherited = [...this.ancestorTransforms(parent), ...this.stackTransforms];
        let options = this.transformOptions(req, custom);
        if (own.length + inherited.length > 0) {
            const transformed = await this.callbacks.transformResource(
                { name, type, custom, parent, props, options, propertyDependencies, dependencies }, own, inherited);
            ({ props, options, propertyDependencies, dependencies } = transformed);
        }
        const urn = this.newUrn(parent, type, name);
        if (this.byUrn.has(urn)) {
            throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        }
        this.parents.set(urn, parent);
        this.ownTransforms.set(urn, own);
        const packageRef = this.packages.get(req.getPackageref());
        const provider = custom && !isProviderType(type)
            ? options.getProvider() || this.defaultProviderRef(packageRef?.name ?? type.split(":")[0], packageRef?.version ?? options.getVersion())
            : undefined;
        const { outputs, id, known } = this.outputsFor(urn, type, name, custom, props, options.getAdditionalSecretOutputsList());
        this.record({
            urn, type, name, custom, parent: parent || undefined, provider, id,
            inputs: props, outputs, dependencies, propertyDependencies,
            source: sourceLocation(req.getSourceposition?.()), stackTrace: stackTrace(req),
        });
        const response = new resproto.RegisterResourceResponse();
        response.setUrn(urn);
        response.setId(id ?? "");
        // The engine answers a local component with no outputs (its outputs come from registerResourceOutputs).
        response.setObject(structproto.Struct.fromJavaScript(custom ? readableBySdk(outputs) : {}));
        response.setResult(resproto.Result.SUCCESS);
        if (!known && !this.options.preview && custom) {
            response.setUnknown(true);
        }
        return response;
    }

    async readResource(req: any): Promise<any> {
        this.assertRunning("read a resource");
        const type: string = req.getType();
        const name: string = req.getName();
        const id: string = req.getId();
        const props: Record<string, unknown> = req.getProperties()?.toJavaScript() ?? {};
        const urn = this.newUrn(req.getParent(), type, name);
        let state: Record<string, unknown> = { ...props };
        let known = false;
        if (type === "pulumi:pulumi:StackReference") {
            const stackName = typeof props.name === "string" ? props.name : id;
            const answer = findStackOutputs(this.answers.stackOutputs, stackName, this.options.organization, this.options.project);
            if (answer) {
                state = stackReferenceState(stackName, answer);
                known = true;
            } else {
                state = { name: stackName };
                this.gaps.push({ kind: "stack-reference", subject: stackName, urn, option: STACK_OUTPUTS_OPTION });
            }
        } else {
            this.gaps.push({ kind: "read", subject: `${type} ${id}`, urn });
        }
        const outputs = known ? state : { ...state, ...(type === "pulumi:pulumi:StackReference" ? { outputs: UNKNOWN, secretOutputNames: UNKNOWN } : {}) };
        this.record({
            urn, type, name, custom: true, parent: req.getParent() || undefined, id, external: true,
            provider: isProviderType(type) || type.startsWith("pulumi:pulumi:") ? undefined : req.getProvider() || this.defaultProviderRef(type.split(":")[0], req.getVersion()),
            inputs: props, outputs, dependencies: req.getDependenciesList(), propertyDependencies: {},
            source: sourceLocation(req.getSourceposition?.()), stackTrace: stackTrace(req),
        });
        const response = new resproto.ReadResourceResponse();
        response.setUrn(urn);
        response.setProperties(structproto.Struct.fromJavaScript(state));
        if (!known && !this.options.preview) {
            // A read the engine could not perform: the SDK keeps the outputs unknown instead of undefined.
            response.setUnknown(true);
        }
        return response;
    }

    async invoke(req: any): Promise<any> {
        const token: string = req.getTok();
        let args: Record<string, unknown> = req.getArgs()?.toJavaScript() ?? {};
        if (token === "pulumi:pulumi:getResource") {
            const res = this.byUrn.get(String(args.urn));
            if (!res) {
                throw Object.assign(new Error(`unknown resource ${args.urn}`), { details: `unknown resource ${args.urn}` });
            }
            return this.invokeResponse({ urn: res.urn, id: res.id ?? "", state: res.outputs });
        }
        if (this.invokeTransforms.length > 0) {
            args = await this.callbacks.transformInvoke(token, args, this.invokeTransforms);
        }
        const result = this.answers.invokes.get(token) ?? invokeResult(token, plainOutputs(args), this.accountFor());
        if (!result) {
            this.gaps.push({ kind: "invoke", subject: token, option: INVOKE_ANSWERS_OPTION });
            const message = `the offline check cannot answer the provider function '${token}': give its result with ${INVOKE_ANSWERS_OPTION} FILE`;
            throw Object.assign(new Error(message), { details: message });
        }
        return this.invokeResponse(result);
    }

    async call(req: any): Promise<any> {
        const token: string = req.getTok();
        this.gaps.push({ kind: "call", subject: token });
        const message = `the offline check cannot call the provider method '${token}'`;
        throw Object.assign(new Error(message), { details: message });
    }

    registerResourceOutputs(req: any): void {
        const urn: string = req.getUrn();
        const outputs: Record<string, unknown> = req.getOutputs()?.toJavaScript() ?? {};
        const res = this.byUrn.get(urn);
        if (res) {
            res.outputs = { ...res.outputs, ...analyzerView(withoutResourceReferences(outputs) as Record<string, unknown>, this.options.baseDir, this.pathHashes) };
        }
        if (urn === this.resources[0]?.urn && res?.type === "pulumi:pulumi:Stack") {
            this.stackOutputValues = { ...this.stackOutputValues, ...outputs };
        }
    }

    registerStackTransform(cb: any): void {
        this.assertRunning("register a transform");
        this.stackTransforms.push(callbackRef(cb));
    }

    registerStackInvokeTransform(cb: any): void {
        this.assertRunning("register an invoke transform");
        this.invokeTransforms.push(callbackRef(cb));
    }

    registerPackage(req: any): string {
        const ref = `pkg-${shortHash(`${req.getName()}@${req.getVersion()}|${req.getDownloadUrl?.() ?? ""}`, 12)}`;
        this.packages.set(ref, { name: req.getName(), version: req.getVersion() });
        return ref;
    }

    log(severity: number, message: string, urn?: string): void {
        this.logs.push({ severity: LOG_SEVERITIES[severity] ?? "info", message, urn: urn || undefined });
    }

    signalShutdown(): void {
        this.shutdownSignalled = true;
    }

    result(): RunResult {
        const { project, stack, organization, preview } = this.options;
        return { project, stack, organization, preview, resources: this.resources, operations: this.operations, stackOutputs: plainOutputs(this.stackOutputValues) };
    }

    close(): void {
        this.callbacks.close();
    }

    private assertRunning(what: string): void {
        if (this.shutdownSignalled) {
            throw new Error(`the program tried to ${what} after it signalled that it had finished`);
        }
    }

    private accountFor(): MockAccount {
        const region = this.options.config["aws:region"];
        return region ? { ...this.options.account, region } : this.options.account;
    }

    private ancestorTransforms(parent: string): CallbackRef[] {
        const out: CallbackRef[] = [];
        for (let current = parent; current; current = this.parents.get(current) ?? "") {
            out.push(...(this.ownTransforms.get(current) ?? []));
        }
        return out;
    }

    /** The options a transform sees (`TransformResourceOptions`), as the engine builds them from the request. */
    private transformOptions(req: any, custom: boolean): any {
        const options = new resproto.TransformResourceOptions();
        options.setDependsOnList(req.getDependenciesList());
        if (req.hasProtect?.()) options.setProtect(req.getProtect());
        options.setIgnoreChangesList(req.getIgnorechangesList());
        options.setReplaceOnChangesList(req.getReplaceonchangesList());
        options.setVersion(req.getVersion());
        options.setAliasesList(req.getAliasesList());
        options.setProvider(custom ? req.getProvider() : "");
        req.getProvidersMap().forEach((v: string, k: string) => options.getProvidersMap().set(k, v));
        if (req.getCustomtimeouts()) options.setCustomTimeouts(req.getCustomtimeouts());
        options.setPluginDownloadUrl(req.getPlugindownloadurl());
        if (req.hasRetainondelete?.()) options.setRetainOnDelete(req.getRetainondelete());
        options.setDeletedWith(req.getDeletedwith());
        if (req.getDeletebeforereplacedefined() || req.getDeletebeforereplace()) options.setDeleteBeforeReplace(req.getDeletebeforereplace());
        options.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
        return options;
    }

    /** Outputs as the engine returns them: inputs plus provider-computed values, unknown in preview for new or changed resources. */
    private outputsFor(urn: string, type: string, name: string, custom: boolean, inputs: Record<string, unknown>, secretOutputs: string[]) {
        const { preview, state } = this.options;
        const digest = digestWireValue(inputs, this.options.baseDir, this.pathHashes);
        const previous = state.resources.get(urn);
        const operation: Operation = !previous ? "create" : previous.digest === digest ? "same" : REPLACE_ON_CHANGE.has(type) ? "replace" : "update";
        this.operations[urn] = operation;
        const known = !preview || operation === "same";
        let computed: Record<string, unknown> = {};
        if (custom) {
            computed = operation === "same" && previous ? previous.computed
                : isProviderType(type) ? { id: `${shortHash(urn, 8)}-${shortHash(`${urn}|id`, 4)}` }
                : computedOutputs(type, name, urn, inputs as Record<string, any>, digest, this.accountFor());
        }
        if (!preview) {
            state.resources.set(urn, { digest, computed });
        }
        const outputs: Record<string, unknown> = { ...inputs };
        for (const [k, v] of Object.entries(computed)) {
            outputs[k] = known ? v : (k in inputs ? inputs[k] : UNKNOWN);
        }
        for (const key of secretOutputs) {
            if (key in outputs) outputs[key] = asSecret(outputs[key]);
        }
        const id = custom && known ? String(computed.id ?? `${name}-id`) : undefined;
        return { outputs, id, known };
    }

    private defaultProviderRef(pkg: string, version: string): string | undefined {
        if (pkg === "pulumi") {
            return undefined;
        }
        const key = `${pkg}@${version}`;
        let ref = this.defaultProviders.get(key);
        if (!ref) {
            const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
            const urn = `urn:pulumi:${this.options.stack}::${this.options.project}::pulumi:providers:${pkg}::${name}`;
            const id = `${shortHash(urn, 8)}-${shortHash(`${urn}|id`, 4)}`;
            const inputs: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(this.options.config)) {
                if (k.startsWith(`${pkg}:`)) inputs[k.slice(pkg.length + 1)] = v;
            }
            if (pkg === "aws" && inputs.region === undefined) inputs.region = this.accountFor().region;
            if (version) inputs.version = version;
            this.record({ urn, type: `pulumi:providers:${pkg}`, name, custom: true, id, inputs, outputs: { ...inputs }, dependencies: [], propertyDependencies: {} });
            this.operations[urn] = this.options.state.resources.has(urn) ? "same" : "create";
            if (!this.options.preview) {
                this.options.state.resources.set(urn, { digest: "", computed: {} });
            }
            ref = `${urn}::${id}`;
            this.defaultProviders.set(key, ref);
        }
        return ref;
    }

    private record(res: CapturedResource): void {
        res.inputs = analyzerView(withoutResourceReferences(res.inputs) as Record<string, unknown>, this.options.baseDir, this.pathHashes);
        res.outputs = analyzerView(withoutResourceReferences(res.outputs) as Record<string, unknown>, this.options.baseDir, this.pathHashes);
        this.resources.push(res);
        this.byUrn.set(res.urn, res);
        this.options.onRegistered?.(this.resources.length);
    }

    private invokeResponse(result: Record<string, unknown>): any {
        const response = new resproto.ResourceInvokeResponse();
        response.setReturn(structproto.Struct.fromJavaScript(result));
        return response;
    }
}
