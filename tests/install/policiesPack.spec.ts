/**
 * `policies/` copied on its own, as `pulumi policy publish` uses it: `npm install && npm pack` builds the pack with
 * its own dev dependencies; the tarball holds the compiled pack, PulumiPolicy.yaml, README and LICENSE, and the copy
 * serves like the CLI starts it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { startPolicyPack } from "../../engine/analyzer";
import { lambdaCodeSigningPolicyNames } from "../../policies/library";
import { copySources, must, tarballFiles, tempDir } from "./consumer";

describe("policies/ on its own: npm install && npm pack", function () {
    this.timeout(300_000);
    let copy: string;
    let files: string[];

    before(() => {
        copy = tempDir("policies");
        copySources(copy, "policies");
        assert.ok(!fs.existsSync(path.join(copy, "bin")) && !fs.existsSync(path.join(copy, "node_modules")), "a clean copy");
        must("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], copy);
        must("npm", ["pack"], copy);
        const [tarball] = fs.readdirSync(copy).filter(f => f.endsWith(".tgz"));
        files = tarballFiles(path.join(copy, tarball));
    });

    it("packs the compiled pack with its declarations, PulumiPolicy.yaml, README, LICENSE and the example config", () => {
        for (const required of ["package.json", "PulumiPolicy.yaml", "README.md", "LICENSE", "policy-config.example.json",
            "bin/index.js", "bin/library.js", "bin/library.d.ts"]) {
            assert.ok(files.includes(required), `${required} missing from ${files.join(", ")}`);
        }
        const unexpected = files.filter(f => !/^bin\/.+\.(js|d\.ts|js\.map)$/.test(f) &&
            !["package.json", "PulumiPolicy.yaml", "README.md", "LICENSE", "policy-config.example.json"].includes(f));
        assert.deepStrictEqual(unexpected, []);
    });

    it("the copy serves as the CLI starts it (pulumi policy publish boots it before packing)", async () => {
        const session = await startPolicyPack(copy);
        try {
            assert.strictEqual(session.info.name, "lambda-code-signing");
            assert.strictEqual(session.info.version, JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8")).version);
            assert.deepStrictEqual(session.info.policies.map(p => p.name), [...lambdaCodeSigningPolicyNames]);
        } finally {
            await session.close();
        }
    });
});
