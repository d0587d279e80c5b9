// Loaded into the program's process before the Pulumi runner (`NODE_OPTIONS=--import=data:…`, so that it is not in
// process.execArgv, where the runner looks for custom loaders before it chooses its ESM mode).
//
// Why: the Node.js SDK records a stack trace for every promise it creates (`runtime/debuggable.js`
// `debuggablePromise`: `new Error().stack`), and under ts-node every such trace is source-mapped frame by frame. That
// trace is printed only when PULUMI_DEBUG_PROMISE_LEAKS is set; otherwise it is never read. Measured on 100
// SignedFunctions it was 60% of the program's time and most of its memory. Without the variable, the preload makes
// those traces frame-less. Nothing else in the SDK or the program changes: resources' own source positions
// (`Resource.stackTrace`) are still recorded in full.

/** The preload's code, run in the child as an ES module; `sdkDir` is the program's own @pulumi/pulumi. */
function preload(sdkDir: string, createRequire: (path: string) => (id: string) => any): void {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return;
    }
    try {
        const debuggable = createRequire(`${sdkDir}/package.json`)("./runtime/debuggable.js");
        const original = debuggable.debuggablePromise;
        if (typeof original !== "function" || debuggable.debugPromiseLeaks) {
            return;
        }
        debuggable.debuggablePromise = function debuggablePromise(this: unknown, ...args: unknown[]) {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                return original.apply(this, args);
            } finally {
                Error.stackTraceLimit = limit;
            }
        };
    } catch {
        // Another SDK layout: leave it as it is.
    }
}

/** `NODE_OPTIONS` for the program's process: the user's own, plus the preload for the program's SDK. */
export function preloadNodeOptions(existing: string | undefined, sdkDir: string): string {
    const source = `import { createRequire } from "module"; (${preload.toString()})(${JSON.stringify(sdkDir)}, createRequire);`;
    const flag = `--import=data:text/javascript,${encodeURIComponent(source)}`;
    return existing ? `${existing} ${flag}` : flag;
}
