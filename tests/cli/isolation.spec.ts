import * as assert from "assert";
import { assertNoSurvivors, assertOneLineFailure, check, CommandResult, fixture, json, runAll, snapshot } from "./helpers";

// The pull request is an attacker: the program under check controls its whole process. None of these tricks may
// turn its violation (a function without a code signing config) into a pass, and none may leave a process behind.

const HOSTILE = fixture("hostile");

function hostile(mode: string, ...args: string[]): () => Promise<CommandResult> {
    const timeout = mode === "never-settle" ? "8" : "30";
    return () => check(HOSTILE, "--config", `hostile:mode=${mode}`, "--timeout", timeout, ...args);
}

describe("check isolates the program: its process cannot change the verdict", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const modes = ["exit-at-load", "exit-timer", "exit-handler-after-throw", "throw-late", "never-settle", "exit-handler", "forged-json", "grandchild", "plain"] as const;
    const results = new Map<string, CommandResult>();
    let before_: string[];
    let after_: string[];
    before(async () => {
        before_ = snapshot(HOSTILE);
        const runs = await runAll(modes.map((m) => hostile(m, "--json")), 3);
        modes.forEach((m, i) => results.set(m, runs[i]));
        after_ = snapshot(HOSTILE);
    });

    const failures: [string, RegExp][] = [
        // process.exit(0) at load: the SDK never reports that it finished. (Exit code 0, or 1 when the SDK finds
        // promises still pending at exit and turns the code into 1: either way the program did not finish.)
        ["exit-at-load", /^error: the program failed: the program exited (before it finished \(it called process\.exit\(\) or was stopped\), so its resources cannot be judged$|with code \d+ before it finished)/],
        // process.exit(0) from a timer: the SDK never reports that it finished. (On a slow machine the timer can fire
        // while registrations are pending, and the SDK then turns the exit code into 1 for the leaked promises.)
        ["exit-timer", /^error: the program failed: the program exited (before it finished \(it called process\.exit\(\) or was stopped\), so its resources cannot be judged|with code 1 before it finished: The Pulumi runtime detected that \d+ promises? (were|was) still active)$/],
        ["exit-handler-after-throw", /^error: the program failed: thrown after the resources were registered$/],
        ["throw-late", /^error: the program failed: thrown after the resources were registered$/],
        ["never-settle", /^error: the program failed: the program did not finish within 8 s \(raise the limit with --timeout\)$/],
    ];
    for (const [mode, message] of failures) {
        it(`${mode}: exit 2 with one line, and no process survives`, () => {
            const result = results.get(mode)!;
            assertOneLineFailure(result, message);
            assertNoSurvivors(result);
            if (mode === "never-settle") {
                assert.ok(result.processes.length >= 2, `the program and the grandchild it started were seen: ${result.processes}`);
            }
        });
    }

    it("the program's baseline: one mandatory violation, exit 1", () => {
        const result = results.get("plain")!;
        assert.strictEqual(result.status, 1, result.stderr);
        const report = json(result);
        assert.deepStrictEqual(report.functions.map((f) => [f.name, f.csc.status, f.code.status]), [["unsigned", "missing", "inline"]]);
        assertNoSurvivors(result);
    });

    it("an exit handler that resets the exit code changes nothing: exit 1 with the violations", () => {
        const result = results.get("exit-handler")!;
        assert.strictEqual(result.status, 1, result.stderr);
        assert.ok(json(result).coverage.mandatoryViolations > 0);
        assert.strictEqual(result.stderr, "");
    });

    it("a forged JSON document (and a workflow command) on the program's stdout never reaches check's stdout", () => {
        const result = results.get("forged-json")!;
        assert.strictEqual(result.status, 1, result.stderr);
        const report = json(result);
        assert.strictEqual(report.tool.name, "lambda-code-signing");
        assert.ok(report.coverage.mandatoryViolations > 0, "the real verdict, not the forged one");
        assert.doesNotMatch(result.stdout, /::notice::all good/);
        assert.doesNotMatch(result.stderr, /::notice::all good/);
    });

    it("a grandchild started in its own session does not outlive check", () => {
        const result = results.get("grandchild")!;
        assert.strictEqual(result.status, 1, result.stderr);
        assert.ok(result.processes.length >= 3, `program, grandchild and pack were seen: ${result.processes}`);
        assertNoSurvivors(result);
    });

    it("the program's directory is as it was", () => {
        assert.deepStrictEqual(after_, before_);
    });

    it("with --verbose the program's own output is shown on stderr, marked as the program's", async () => {
        const result = await hostile("forged-json", "--json", "--verbose")();
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stderr, /^program stdout\| \{"version":1,"violations":\[\]/m);
        assert.match(result.stderr, /^program stdout\| ::notice::all good$/m);
        assert.strictEqual(json(result).tool.name, "lambda-code-signing");
    });
});
