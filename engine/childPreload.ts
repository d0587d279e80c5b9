// Loaded into the program's process before the Pulumi runner (`NODE_OPTIONS=--import=data:…`, so that it is not in
// process.execArgv, where the runner looks for custom loaders before it chooses its ESM mode).
//
// It removes two costs of the Node.js SDK that buy nothing offline, and changes nothing else in the SDK or the program
// (resources' own source positions, `Resource.stackTrace`, are still recorded in full):
//
// - The SDK records a stack trace for every promise it creates (`runtime/debuggable.js` `debuggablePromise`:
//   `new Error().stack`), and under ts-node every such trace is source-mapped frame by frame. That trace is printed
//   only when PULUMI_DEBUG_PROMISE_LEAKS is set; otherwise it is never read. Measured on 100 SignedFunctions it was 60%
//   of the program's time and a good part of its memory. Without the variable, the preload makes those traces
//   frame-less.
// - The SDK sends every `log.debug` message to the engine, one Log RPC at a time, each waiting for the previous one
//   (`log/index.js` keeps them in order): about 24 per SignedFunction, three quarters of all its RPCs. The CLI shows
//   them only with `--debug`, and `check` never shows them, so they are dropped where the SDK drops them when no engine
//   listens. Measured on 300 SignedFunctions: the program's last 4 s were spent waiting for that queue to drain.
//
// The source is plain JavaScript text, not a function of this module: it must run unchanged in another process,
// whatever compiles or instruments this file.
const PRELOAD = `
import { createRequire } from "module";
const sdkDir = process.env.LAMBDA_CODE_SIGNING_PROGRAM_SDK;
const sdkRequire = sdkDir ? createRequire(sdkDir + "/package.json") : undefined;
if (sdkRequire && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    try {
        const debuggable = sdkRequire("./runtime/debuggable.js");
        const original = debuggable.debuggablePromise;
        if (typeof original === "function" && !debuggable.debugPromiseLeaks) {
            debuggable.debuggablePromise = function debuggablePromise(...args) {
                const limit = Error.stackTraceLimit;
                Error.stackTraceLimit = 0;
                try {
                    return original.apply(this, args);
                } finally {
                    Error.stackTraceLimit = limit;
                }
            };
        }
    } catch {
        // Another SDK layout: leave it as it is.
    }
}
if (sdkRequire) {
    try {
        const log = sdkRequire("./log/index.js");
        if (typeof log.debug === "function") {
            // What the SDK itself does when no engine listens: the message goes nowhere.
            log.debug = function debug() {
                return Promise.resolve();
            };
        }
    } catch {
        // Another SDK layout: leave it as it is.
    }
}
`;

/** The environment variable that names the program's own @pulumi/pulumi directory for the preload. */
export const PROGRAM_SDK_VARIABLE = "LAMBDA_CODE_SIGNING_PROGRAM_SDK";

/** `NODE_OPTIONS` for the program's process: the user's own, plus the preload. */
export function preloadNodeOptions(existing: string | undefined): string {
    const flag = `--import=data:text/javascript,${encodeURIComponent(PRELOAD)}`;
    return existing ? `${existing} ${flag}` : flag;
}
