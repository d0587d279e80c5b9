import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { PROGRAM_SDK_VARIABLE, preloadNodeOptions } from "../../engine/childPreload";

const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const PROBE = `const d = require(${JSON.stringify(path.join(SDK, "runtime", "debuggable.js"))});
const p = Promise.resolve(1);
d.debuggablePromise(p, "probe");
process.stdout.write(JSON.stringify({ frames: p._debugStackTrace.split("\\n").length, ctx: p._debugCtx, argv: process.execArgv }));`;

function probe(extra: NodeJS.ProcessEnv): { frames: number; ctx: string; argv: string[] } {
    const env = { ...process.env, NODE_OPTIONS: preloadNodeOptions(undefined), [PROGRAM_SDK_VARIABLE]: SDK, ...extra };
    const result = spawnSync(process.execPath, ["-e", PROBE], { env, encoding: "utf8" });
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

describe("engine/childPreload: the program's SDK without unread per-promise stack traces", () => {
    it("leaves the promise's context but records no frames, and stays out of process.execArgv", () => {
        const result = probe({});
        assert.deepStrictEqual(result, { frames: 1, ctx: "probe", argv: ["-e", PROBE] });
    });

    it("keeps the traces when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
        assert.ok(probe({ PULUMI_DEBUG_PROMISE_LEAKS: "1" }).frames > 1);
    });
});
