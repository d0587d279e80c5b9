import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { fixture, ROOT } from "./helpers";

describe("the composite GitHub Action (action.yml)", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const action = yaml.load(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as any;
    const step = action.runs.steps.find((s: any) => s.name === "Check");

    it("is a composite action whose inputs reach the check only through environment variables", () => {
        assert.strictEqual(action.runs.using, "composite");
        assert.doesNotMatch(step.run, /\$\{\{/, "no expression is expanded inside the script (no injection)");
        for (const input of ["program", "stack", "policy-pack-config", "sarif", "args"]) {
            assert.ok(Object.values(step.env).includes(`\${{ inputs.${input} }}`), input);
        }
    });

    it("its check step gates, annotates and writes the SARIF and the step summary", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "check-action-"));
        const env = {
            ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_STEP_SUMMARY: path.join(out, "summary.md"),
            PROGRAM: fixture("pr-policy-config"), STACK: "", POLICY_PACK_CONFIG: "", SARIF: path.join(out, "results.sarif"), EXTRA_ARGS: "--timeout 120",
        };
        const result = spawnSync("bash", ["-e", "-c", step.run], { cwd: ROOT, env, encoding: "utf8" });
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /^::error file=tests\/cli\/fixtures\/pr-policy-config\/index\.js,line=\d+/m);
        assert.strictEqual(JSON.parse(fs.readFileSync(env.SARIF, "utf8")).version, "2.1.0");
        assert.match(fs.readFileSync(env.GITHUB_STEP_SUMMARY, "utf8"), /^## ❌ Lambda code signing: 2 mandatory violations$/m);
    });
});
