import * as pulumi from "@pulumi/pulumi";
import { Answers } from "./answers";
import { MockState, OfflineEngine, Operation, ProgramError, RunResult } from "./engine";
import { DEFAULT_ACCOUNT, MockAccount } from "./mockOutputs";
import { requireFromSdk } from "./sdkModules";

export { MockState, Operation, ProgramError, RunResult } from "./engine";

// Internal SDK modules: the same ones the mock monitor uses.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdkState = require("@pulumi/pulumi/runtime/state");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const emptyproto = requireFromSdk("google-protobuf/google/protobuf/empty_pb");

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
    answers?: Answers;
}

let running = false;

/** Plugs an OfflineEngine into the SDK's mock monitor: the same engine `check` serves over gRPC to a child process. */
function attach(monitor: any, engine: OfflineEngine): void {
    const adapt = (fn: (req: any) => unknown) => (req: any, callback: (err: any, resp?: any) => void) => {
        Promise.resolve().then(() => fn(req)).then((resp) => callback(null, resp), (err) => callback(err));
    };
    const empty = () => new emptyproto.Empty();
    monitor.registerResource = adapt((req) => engine.registerResource(req));
    monitor.readResource = adapt((req) => engine.readResource(req));
    monitor.invoke = adapt((req) => engine.invoke(req));
    monitor.call = adapt((req) => engine.call(req));
    monitor.registerResourceOutputs = adapt((req) => (engine.registerResourceOutputs(req), empty()));
    monitor.registerStackTransform = adapt((req) => (engine.registerStackTransform(req), empty()));
    monitor.registerStackInvokeTransform = adapt((req) => (engine.registerStackInvokeTransform(req), empty()));
    monitor.registerPackage = adapt((req) => new resproto.RegisterPackageResponse().setRef(engine.registerPackage(req)));
}

/**
 * Runs a Pulumi program in-process under the SDK's mock monitor and captures every registered resource the way
 * the engine would present it to a policy pack. `preview: true` reproduces `pulumi preview` of a new stack: the
 * outputs of every created resource are real unknowns, on the program side and in the capture. For tests and
 * benchmarks of trusted programs; `check` runs untrusted programs in their own process (isolatedRun).
 */
export async function runProgram(program: () => unknown, options: RunOptions): Promise<RunResult> {
    if (running) {
        throw new Error("runProgram: another program is already running in this process");
    }
    running = true;
    const project = options.project ?? "project";
    const stack = options.stack ?? "dev";
    const organization = options.organization ?? "organization";
    const engine = new OfflineEngine({
        project, stack, organization, preview: options.preview, account: { ...(options.account ?? DEFAULT_ACCOUNT) },
        state: options.state ?? new MockState(), baseDir: options.baseDir ?? process.cwd(), config: options.config ?? {}, answers: options.answers,
    });
    const failures: unknown[] = [];
    let failed: (reason: unknown) => void = () => undefined;
    // The SDK can reject a resource's outputs without ever finishing its RPC (e.g. an output it cannot deserialize):
    // the first unhandled rejection ends the wait instead of leaving it hanging.
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    const onRejection = (reason: unknown) => {
        failures.push(reason);
        failed(new ProgramError(describeError(reason), reason));
    };
    try {
        await pulumi.runtime.setMocks({
            newResource: () => { throw new Error("unreachable: the offline engine registers resources"); },
            call: () => { throw new Error("unreachable: the offline engine answers invokes"); },
        }, project, stack, options.preview, organization);
        // The features the CLI's monitor advertises and the offline engine serves (resource references off: the
        // engine hands analyzers IDs and URNs, not references).
        Object.assign(sdkState.getStore(), { supportsResourceReferences: false, supportsOutputValues: false });
        if (options.config) {
            pulumi.runtime.setAllConfig(options.config);
        }
        attach(settings.getMonitor(), engine);
        process.on("unhandledRejection", onRejection);
        try {
            await Promise.race([pulumi.runtime.runInPulumiStack(async () => program()), failure]);
        } catch (err) {
            throw err instanceof ProgramError ? err : new ProgramError(describeError(err), err);
        }
        await Promise.race([settings.waitForRPCs(), failure]);
        // Give rejected applies a turn to surface before we judge the run.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) {
            throw new ProgramError(describeError(failures[0]), failures[0]);
        }
        if (sdkState.getStore().logErrorCount > 0) {
            throw new ProgramError("the program logged an error (see the messages above)");
        }
        return engine.result();
    } finally {
        // A failed stack initialisation also rejects the stack's own promises a turn later: absorb those too.
        await new Promise((resolve) => setTimeout(resolve, 0));
        process.off("unhandledRejection", onRejection);
        engine.close();
        running = false;
    }
}

function describeError(err: unknown): string {
    if (err instanceof Error) {
        return err.message;
    }
    return String(err);
}

/** Signing jobs a deployment starts: `aws.signer.SigningJob`s it creates or replaces (every job input forces replacement). */
export function signingJobsStarted(run: RunResult): number {
    return run.resources.filter((r) => r.type === "aws:signer/signingJob:SigningJob" && (run.operations[r.urn] === "create" || run.operations[r.urn] === "replace")).length;
}
