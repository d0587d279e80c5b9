import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SignedFunction } from "../../index";
import { hashArchive, hashBuildInputs, hashDirectory, hashPath, outputDirectories } from "../../components/contentHash";
import { MockEngine, tempDir, unwrap } from "./harness";

// What re-signs code: the content hash names the unsigned upload, so equal content must give the same key wherever and
// whenever it was checked out, and any change to what is deployed must give a new one.

const sources = {
    "index.js": "exports.handler = async () => 1;",
    "lib/util.js": "module.exports = 2;",
    "lib/deep/data.json": "{\"a\":1}",
};

/** Sets every file's and folder's access and modification times, as a fresh checkout or a `touch -R` would. */
function touchAll(dir: string, time: Date): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        fs.utimesSync(path.join(entry.parentPath, entry.name), time, time);
    }
    fs.utimesSync(dir, time, time);
}

describe("content hash: equal content, equal key", () => {
    const engine = new MockEngine();
    before(() => engine.install(false));
    beforeEach(() => engine.reset());

    async function uploadKey(code: pulumi.asset.Archive): Promise<string> {
        engine.reset();
        const fn = new SignedFunction("api", {
            signingProfileName: "team_0001", artifactBucket: "team-artifacts", runtime: "nodejs20.x", handler: "index.handler",
            codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0", code,
        });
        await unwrap(fn.functionArn);
        await engine.settle();
        return engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs.key;
    }

    it("a fresh checkout of the same sources (another folder, other timestamps) uploads under the same key", async () => {
        const first = tempDir(sources);
        touchAll(first, new Date("2024-01-01T00:00:00Z"));
        const checkout = tempDir({});
        fs.cpSync(first, checkout, { recursive: true });
        touchAll(checkout, new Date("2025-06-30T12:34:56Z"));

        assert.strictEqual(hashDirectory(checkout, false), hashDirectory(first, false));
        assert.strictEqual(hashPath(checkout), hashPath(first));
        assert.strictEqual(await uploadKey(new pulumi.asset.FileArchive(checkout)), await uploadKey(new pulumi.asset.FileArchive(first)));
    });

    it("touching every file in place changes nothing; changing one byte of a nested file changes the key", async () => {
        const dir = tempDir(sources);
        const before = await uploadKey(new pulumi.asset.FileArchive(dir));
        touchAll(dir, new Date("2030-01-01T00:00:00Z"));
        assert.strictEqual(await uploadKey(new pulumi.asset.FileArchive(dir)), before);
        fs.writeFileSync(path.join(dir, "lib/deep/data.json"), "{\"a\":2}");
        assert.notStrictEqual(await uploadKey(new pulumi.asset.FileArchive(dir)), before);
    });
});

describe("content hash: what counts as a change", () => {
    const hashOf = (files: Record<string, string>, skipIgnored = false, excluded: string[] = []) =>
        hashDirectory(tempDir(files), skipIgnored, excluded);
    const base = hashOf(sources);

    it("a renamed or moved file (same bytes) is a change; so is a new empty file", () => {
        const { "index.js": index, ...withoutIndex } = sources;
        assert.notStrictEqual(hashOf({ ...withoutIndex, "main.js": index }), base);
        const { "lib/util.js": util, ...withoutUtil } = sources;
        assert.notStrictEqual(hashOf({ ...withoutUtil, "util.js": util }), base);
        assert.notStrictEqual(hashOf({ ...sources, "lib/__init__.py": "" }), base);
        assert.strictEqual(hashOf({ ...sources }), base, "the same files in a new folder");
    });

    it("symbolic links are hashed by their target, not followed", () => {
        const withLink = (target: string) => {
            const dir = tempDir(sources);
            fs.symlinkSync(target, path.join(dir, "current"));
            return hashDirectory(dir, false);
        };
        const toLib = withLink("lib");
        assert.notStrictEqual(toLib, base);
        assert.strictEqual(withLink("lib"), toLib);
        assert.notStrictEqual(withLink("lib/deep"), toLib);
        assert.notStrictEqual(withLink("/nonexistent/lib"), toLib);
    });

    it("node_modules and .git count when they are deployed (code), and are skipped anywhere as build sources", () => {
        const withDeps = (version: string) => ({ ...sources, "node_modules/dep/index.js": version, "lib/.git/HEAD": version });
        assert.notStrictEqual(hashOf(withDeps("1")), hashOf(withDeps("2")), "a deployed dependency changed");
        assert.strictEqual(hashOf(withDeps("1"), true), hashOf(withDeps("2"), true));
        assert.strictEqual(hashOf(withDeps("1"), true), hashOf(sources, true));
    });

    it("excluded paths drop that path and everything below it, nothing else", () => {
        const built = (out: string) => ({ ...sources, "dist/index.js": out, "dist/maps/index.js.map": out, "src/dist/keep.js": "k", "dist2/x.js": "1" });
        assert.strictEqual(hashOf(built("a"), true, ["dist"]), hashOf(built("b"), true, ["dist"]));
        assert.notStrictEqual(hashOf(built("a"), true, ["dist"]), hashOf(sources, true, ["dist"]), "src/dist and dist2 stay sources");
        assert.notStrictEqual(hashOf(built("a"), true, []), hashOf(built("b"), true, []));
        const nested = (out: string) => ({ ...sources, "out/lib/a.js": out, "out/keep.js": "k" });
        assert.strictEqual(hashOf(nested("a"), true, ["out/lib"]), hashOf(nested("b"), true, ["out/lib"]));
        assert.notStrictEqual(hashOf(nested("a"), true, ["out/lib"]), hashOf({ ...sources, "out/keep.js": "other" }, true, ["out/lib"]));
    });

    it("a path this process cannot see is named by its path", () => {
        assert.strictEqual(hashPath("./nowhere/app.zip"), "path:./nowhere/app.zip");
        const file = path.join(tempDir({ "app.zip": "PK" }), "app.zip");
        assert.match(hashPath(file), /^file:[0-9a-f]{64}$/);
        assert.match(hashPath(path.dirname(file)), /^dir:[0-9a-f]{64}$/);
    });
});

describe("content hash: archives", () => {
    const text = (t: string) => new pulumi.asset.StringAsset(t);

    it("an AssetArchive is hashed by member names and contents, in any declaration order, nested archives included", async () => {
        const dir = tempDir(sources);
        const a = await hashArchive(new pulumi.asset.AssetArchive({ "a.js": text("1"), "b.js": text("2"), lib: new pulumi.asset.FileArchive(dir) }));
        assert.strictEqual(await hashArchive(new pulumi.asset.AssetArchive({ lib: new pulumi.asset.FileArchive(dir), "b.js": text("2"), "a.js": text("1") })), a);
        assert.notStrictEqual(await hashArchive(new pulumi.asset.AssetArchive({ "a.js": text("2"), "b.js": text("1"), lib: new pulumi.asset.FileArchive(dir) })), a, "contents swapped between names");
        fs.writeFileSync(path.join(dir, "index.js"), "changed");
        assert.notStrictEqual(await hashArchive(new pulumi.asset.AssetArchive({ "a.js": text("1"), "b.js": text("2"), lib: new pulumi.asset.FileArchive(dir) })), a, "nested archive changed");
    });

    it("file assets by content, remote ones by URI", async () => {
        const file = path.join(tempDir({ "x.js": "same" }), "x.js");
        const other = path.join(tempDir({ "y.js": "same" }), "y.js");
        const of = (asset: pulumi.asset.Asset) => hashArchive(new pulumi.asset.AssetArchive({ "x.js": asset }));
        assert.strictEqual(await of(new pulumi.asset.FileAsset(file)), await of(new pulumi.asset.FileAsset(other)));
        assert.notStrictEqual(await of(new pulumi.asset.RemoteAsset("https://example.com/a.js")), await of(new pulumi.asset.RemoteAsset("https://example.com/b.js")));
        assert.strictEqual(await hashArchive(new pulumi.asset.RemoteArchive("https://example.com/a.zip")),
            await hashArchive(new pulumi.asset.RemoteArchive("https://example.com/a.zip")));
        assert.notStrictEqual(await hashArchive(new pulumi.asset.RemoteArchive("https://example.com/a.zip")),
            await hashArchive(new pulumi.asset.RemoteArchive("https://example.com/b.zip")));
    });
});

describe("build inputs", () => {
    it("archive globs name the output folders left out of the source hash", () => {
        assert.deepStrictEqual(outputDirectories(["dist/**", "./out/lib/*.js", "index.js", "**/*.js", "build/a?.js", "pkg/[ab]/x"]),
            ["dist", "out/lib", "build", "pkg"]);
    });

    it("command, folder, globs, environment and sources each change the build hash; environment order does not", () => {
        const base = hashBuildInputs("npm run build", "app", ["dist/**"], { A: "1", B: "2" }, "src");
        assert.match(base, /^[0-9a-f]{64}$/);
        assert.strictEqual(hashBuildInputs("npm run build", "app", ["dist/**"], { B: "2", A: "1" }, "src"), base);
        for (const changed of [
            hashBuildInputs("npm run build:prod", "app", ["dist/**"], { A: "1", B: "2" }, "src"),
            hashBuildInputs("npm run build", "api", ["dist/**"], { A: "1", B: "2" }, "src"),
            hashBuildInputs("npm run build", "app", ["out/**"], { A: "1", B: "2" }, "src"),
            hashBuildInputs("npm run build", "app", ["dist/**"], { A: "1", B: "3" }, "src"),
            hashBuildInputs("npm run build", "app", ["dist/**"], { A: "1" }, "src"),
            hashBuildInputs("npm run build", "app", ["dist/**"], { A: "1", B: "2" }, "src2"),
        ]) {
            assert.notStrictEqual(changed, base);
        }
        assert.strictEqual(hashBuildInputs("c", "d", [], undefined, "s"), hashBuildInputs("c", "d", [], {}, "s"));
    });
});
