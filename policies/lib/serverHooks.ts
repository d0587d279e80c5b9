/**
 * PACK RUNTIME ONLY (installed from policies/index.ts before the PolicyPack starts its server).
 *
 * @pulumi/policy registers its analyzer handlers with grpc-js `Server.prototype.addService`; the pack patches that
 * method of the grpc-js instance @pulumi/policy itself loads, and only for the Analyzer service, so that:
 *  - every request is answered: a handler that rejects instead of calling back (1.21.0's Remediate deserializes and
 *    reads the resource options outside its try block, and a throw there leaves the engine waiting forever) answers
 *    with an error naming the RPC;
 *  - a Configure request is observed only once the server has ACCEPTED it (its success callback): a refused Configure
 *    changes nothing, exactly as it changes nothing in the server (see stackCoordinator.ts).
 */
import * as path from "path";

type Callback = (err: unknown, response?: unknown) => void;
type Handler = (this: unknown, call: { request?: unknown }, callback: Callback) => unknown;

const acceptedConfigureListeners: Array<(request: unknown) => void> = [];
let installed = false;

/** Calls `listener(request)` for every Configure request the server accepted, before the engine gets the answer. */
export function onAcceptedConfigure(listener: (request: unknown) => void): void {
    if (!acceptedConfigureListeners.includes(listener)) {
        acceptedConfigureListeners.push(listener);
    }
}

function asError(rpc: string, err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    return new Error(`lambda-code-signing policy pack: ${rpc} failed: ${message}`);
}

/** Wraps one analyzer handler: answers exactly once, turns rejections and throws into errors, reports accepted Configures. */
export function guardHandler(rpc: string, handler: Handler): Handler {
    return function guarded(this: unknown, call, callback) {
        let answered = false;
        const once: Callback = (err, response) => {
            if (answered) {
                return;
            }
            answered = true;
            if (!err && rpc === "configure") {
                for (const listener of acceptedConfigureListeners) {
                    try {
                        listener(call?.request);
                    } catch {
                        // A listener never changes the answer.
                    }
                }
            }
            callback(err, response);
        };
        const fail = (err: unknown) => once(asError(rpc, err));
        try {
            const result = handler.call(this, call, once) as { then?: unknown } | undefined;
            if (result && typeof result.then === "function") {
                (result as Promise<unknown>).then(undefined, fail);
            }
        } catch (err) {
            fail(err);
        }
        return undefined;
    };
}

/** Installs the hooks once per process; false when grpc-js or the analyzer service can't be found. */
export function installServerHooks(): boolean {
    if (installed) {
        return true;
    }
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const rpc = require(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", { paths: [policyDir] }));
        // A module without these throws here, and the catch below answers false just as the check does.
        const proto = grpc.Server.prototype;
        const addService = proto.addService;
        if (typeof addService !== "function" || !rpc.AnalyzerService) {
            return false;
        }
        proto.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>) {
            if (service === rpc.AnalyzerService && implementation && typeof implementation === "object") {
                const wrapped: Record<string, unknown> = {};
                for (const [name, h] of Object.entries(implementation)) {
                    wrapped[name] = typeof h === "function" ? guardHandler(name, h as Handler) : h;
                }
                return addService.call(this, service, wrapped);
            }
            return addService.call(this, service, implementation);
        };
        installed = true;
        return true;
    } catch {
        return false;
    }
}
