import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { PROGRAM_SDK_VARIABLE, preloadNodeOptions } from "../../engine/childPreload";

const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const PROBE = `const d = require(${JSON.stringify(path.join(SDK, "runtime", "debuggable.js"))});
const p = Promise.resolve(1);
d.debuggablePromise(p, "probe");
process.stdout.write(JSON.stringify({ frames: p._debugStackTrace.split("\\n").length, ctx: p._debugCtx, argv: process.execArgv }));`;

// An engine that records every Log request, as the SDK's log module finds it (settings.getEngine).
const LOG_PROBE = `const settings = require(${JSON.stringify(path.join(SDK, "runtime", "settings.js"))});
const log = require(${JSON.stringify(path.join(SDK, "log", "index.js"))});
const received = [];
settings.getEngine = () => ({ log: (req, done) => { received.push([req.getSeverity(), req.getMessage()]); done(); } });
Promise.all([log.debug("d"), log.info("i"), log.warn("w"), log.error("e")]).then(() => process.stdout.write(JSON.stringify(received)));`;

function probe(extra: NodeJS.ProcessEnv, script = PROBE): any {
    const env = { ...process.env, NODE_OPTIONS: preloadNodeOptions(undefined), [PROGRAM_SDK_VARIABLE]: SDK, ...extra };
    const result = spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8" });
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

    it("drops the SDK's debug messages before they reach the engine, and delivers every other severity in order", () => {
        // LogSeverity: DEBUG 0, INFO 1, WARNING 2, ERROR 3.
        assert.deepStrictEqual(probe({}, LOG_PROBE), [[1, "i"], [2, "w"], [3, "e"]]);
    });
});
