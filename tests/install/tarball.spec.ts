/**
 * What `npm pack` ships: compiled code with declarations and source maps, the plugin manifest, the precompiled policy
 * pack, README and LICENSE; no TypeScript sources, tests, benchmarks, examples or CI files.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { packRoot, tarballFiles } from "./consumer";

describe("npm pack: the tarball's file list", function () {
    this.timeout(300_000);
    let files: string[];
    before(() => {
        files = tarballFiles(packRoot());
    });

    it("ships the manifest, README, LICENSE, the plugin manifest, the CLI and the precompiled pack directory", () => {
        for (const required of ["package.json", "README.md", "LICENSE", "PulumiPlugin.yaml", "bin/lambda-code-signing.js",
            "dist/index.js", "dist/index.d.ts", "dist/index.js.map", "dist/testing/index.js", "dist/testing/index.d.ts",
            "dist/cli/main.js", "policies/package.json", "policies/PulumiPolicy.yaml", "policies/policy-config.example.json",
            "policies/bin/index.js", "policies/bin/library.js", "policies/bin/library.d.ts"]) {
            assert.ok(files.includes(required), `${required} is missing`);
        }
        assert.match(fs.readFileSync(path.join(__dirname, "..", "..", "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
    });

    it("ships nothing else: every file is compiled output or one of the named files", () => {
        const named = new Set(["package.json", "README.md", "LICENSE", "PulumiPlugin.yaml", "bin/lambda-code-signing.js",
            "policies/package.json", "policies/PulumiPolicy.yaml", "policies/policy-config.example.json"]);
        const unexpected = files.filter(f => !named.has(f) && !/^(dist|policies\/bin)\/.+\.(js|d\.ts|js\.map)$/.test(f));
        assert.deepStrictEqual(unexpected, []);
        assert.deepStrictEqual(files.filter(f => /^(tests|bench|examples|\.ci|components|engine|cli|testing)\//.test(f)), []);
        assert.deepStrictEqual(files.filter(f => /(^|\/)tsconfig[^/]*\.json$|\.tsbuildinfo$|\.tgz$/.test(f)), []);
        assert.deepStrictEqual(files.filter(f => f.endsWith(".ts") && !f.endsWith(".d.ts")), []);
    });

    it("every compiled module comes with its declarations and source map", () => {
        for (const js of files.filter(f => f.endsWith(".js") && f !== "bin/lambda-code-signing.js")) {
            assert.ok(files.includes(js.replace(/\.js$/, ".d.ts")), `${js} has no .d.ts`);
            assert.ok(files.includes(`${js}.map`), `${js} has no source map`);
        }
    });
});
