import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../../index";
import { MockState, runProgram, RunResult, signingJobsStarted } from "../../engine/capture";
import { tempDir } from "./harness";

describe("components: redeploying unchanged code starts no signing job", () => {
    const dirs = {
        api: tempDir({ "index.js": "exports.handler = async () => 'api';" }),
        worker: tempDir({ "index.js": "exports.handler = async () => 'worker';" }),
        layer: tempDir({ "helpers.js": "module.exports = {};" }),
    };
    const program = () => {
        const guard = new CodeSigningGuard("signing", {});
        const layer = new SignedLayer("helpers", { ...guard.signingArgs(), code: new pulumi.asset.FileArchive(dirs.layer) });
        for (const name of ["api", "worker"] as const) {
            new SignedFunction(name, {
                ...guard.signingArgs(), code: new pulumi.asset.FileArchive(dirs[name]),
                runtime: "nodejs20.x", handler: "index.handler", layers: [layer.layerArn],
            });
        }
    };
    const jobs = (run: RunResult) => run.resources.filter((r) => r.type === "aws:signer/signingJob:SigningJob");
    const state = new MockState();
    let first: RunResult;
    let second: RunResult;

    before(async () => {
        first = await runProgram(program, { preview: false, state });
        second = await runProgram(program, { preview: false, state });
    });

    it("the first deployment signs every artifact once", () => {
        assert.strictEqual(signingJobsStarted(first), 3);
    });

    it("the same program run again changes nothing: no new object version, identical signing-job inputs", () => {
        assert.strictEqual(signingJobsStarted(second), 0);
        const changed = second.resources.filter((r) => second.operations[r.urn] !== "same");
        assert.deepStrictEqual(changed.map((r) => r.urn), []);
        assert.deepStrictEqual(jobs(second).map((j) => j.inputs), jobs(first).map((j) => j.inputs));
    });

    it("a preview of the unchanged program plans no signing job either", async () => {
        const preview = await runProgram(program, { preview: true, state });
        assert.strictEqual(signingJobsStarted(preview), 0);
    });

    it("changing one function's code re-signs exactly that function", async () => {
        fs.writeFileSync(path.join(dirs.worker, "index.js"), "exports.handler = async () => 'worker v2';");
        const third = await runProgram(program, { preview: false, state });
        assert.strictEqual(signingJobsStarted(third), 1);
        const resigned = jobs(third).filter((j) => third.operations[j.urn] === "replace");
        assert.deepStrictEqual(resigned.map((j) => j.name), ["worker-signing"]);
    });
});
