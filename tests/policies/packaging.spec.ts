import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const PACK_DIR = path.join(__dirname, "..", "..", "policies");

describe("policies: packaging for `pulumi policy publish`", () => {
    it("npm pack ships the compiled entry point, PulumiPolicy.yaml and the example config, and no TypeScript", function () {
        this.timeout(120_000);
        const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], { cwd: PACK_DIR, encoding: "utf8" });
        const [tarball] = JSON.parse(output.slice(output.indexOf("[")));
        const files: string[] = tarball.files.map((f: { path: string }) => f.path);
        const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        assert.strictEqual(manifest.main, "bin/index.js");
        assert.ok(manifest.version, "pulumi policy publish needs a version");
        for (const required of ["package.json", "PulumiPolicy.yaml", "bin/index.js", "policy-config.example.json", "bin/lib/graph/cloudformation.js", "bin/lib/serverHooks.js"]) {
            assert.ok(files.includes(required), `${required} missing from ${files.join(", ")}`);
        }
        assert.deepStrictEqual(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), []);
        // js-yaml reads YAML CloudFormation templates (loaded only when a template is not JSON).
        assert.deepStrictEqual(Object.keys(manifest.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi", "js-yaml"]);
    });
});
