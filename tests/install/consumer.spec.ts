/**
 * Installed, not in-repo: the packed package installed into a fresh Pulumi TypeScript program outside the
 * repository, used there as a user would: types, the user's own unit tests, `npx lambda-code-signing`, one copy of
 * the shared Pulumi packages.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Consumer, CONSUMER_PULUMI, installedConsumer, installedCopies, must, ROOT, run } from "./consumer";

/** A code block of the README, exactly as a user copies it: the first one after `<!-- README example: <name>`. */
function readmeExample(name: string, language: string): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const marker = readme.indexOf(`<!-- README example: ${name}`);
    assert.ok(marker >= 0, `the README lost its example "${name}"`);
    const block = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(readme.slice(marker));
    assert.ok(block, `no ${language} code block after the README example "${name}"`);
    return block[1];
}

const STRICT = ["--noEmit", "--strict", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess"];

describe("installed: a Pulumi program that npm-installed the packed package", function () {
    this.timeout(300_000);
    let consumer: Consumer;

    before(() => {
        consumer = installedConsumer();
        fs.writeFileSync(path.join(consumer.dir, ".mocharc.js"), readmeExample("consumer mocharc", "js"));
        fs.writeFileSync(path.join(consumer.dir, "test", "readme.test.ts"), readmeExample("consumer unit test", "ts"));
    });

    it("installs without warnings of its own and resolves compiled entry points (no TypeScript in the package)", () => {
        // The machine's own npm config may name "nodedir"; on a Node.js older than the supported 22, npm rightly warns.
        const unsupportedNode = Number(process.versions.node.split(".")[0]) < 22;
        const warnings = consumer.installLog.split("\n").filter(l => /npm warn/i.test(l) &&
            !/Unknown (user|env) config "nodedir"/.test(l) && !(unsupportedNode && /EBADENGINE/.test(l)));
        assert.deepStrictEqual(warnings, []);
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer.packageDir, "package.json"), "utf8"));
        for (const entry of [".", "./policies", "./testing"]) {
            const target = manifest.exports[entry];
            assert.ok(fs.existsSync(path.join(consumer.packageDir, target.default)), `${entry} → ${target.default} missing`);
            assert.ok(fs.existsSync(path.join(consumer.packageDir, target.types)), `${entry} → ${target.types} missing`);
        }
        const resolved = run(process.execPath, ["-e", "for (const m of ['lambda-code-signing', 'lambda-code-signing/policies', " +
            "'lambda-code-signing/testing']) console.log(require.resolve(m))"], consumer.dir);
        assert.strictEqual(resolved.status, 0, resolved.stderr);
        for (const file of resolved.stdout.trim().split("\n")) {
            assert.match(file, /\.js$/);
        }
    });

    it("(a) type-checks with --strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess, node and nodenext resolution", () => {
        const tsc = path.join(consumer.dir, "node_modules", "typescript", "bin", "tsc");
        // Every declaration file included (no skipLibCheck): the package's own .d.ts must pass these flags too.
        const node10 = run(process.execPath, [tsc, "-p", ".", ...STRICT], consumer.dir);
        assert.strictEqual(node10.status, 0, node10.stdout + node10.stderr);
        // package.json `exports` (with its `types` conditions) resolve the same entry points.
        const nodeNext = run(process.execPath, [tsc, "-p", ".", ...STRICT, "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext"], consumer.dir);
        assert.strictEqual(nodeNext.status, 0, nodeNext.stdout + nodeNext.stderr);
    });

    it("(b) the user's own mocha specs pass: the guide's standard mocks in preview and update, and the README example", () => {
        const mocha = path.join(consumer.dir, "node_modules", "mocha", "bin", "mocha.js");
        const result = run(process.execPath, [mocha, "--reporter", "json"], consumer.dir);
        const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
        const titles = report.passes.map((t: { fullTitle: string }) => t.fullTitle);
        assert.deepStrictEqual(report.failures.map((f: { fullTitle: string; err: { message: string } }) => `${f.fullTitle}: ${f.err.message}`), []);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.ok(titles.some((t: string) => /guide's mocks \(preview\)/.test(t)), titles.join("\n"));
        assert.ok(titles.some((t: string) => /guide's mocks \(update\)/.test(t)), titles.join("\n"));
        assert.ok(titles.some((t: string) => /^payments \(pulumi up\)/.test(t)), titles.join("\n"));
        assert.ok(titles.some((t: string) => /^payments \(pulumi preview\)/.test(t)), titles.join("\n"));
        assert.strictEqual(report.stats.passes, 4);
    });

    it("(c) npx lambda-code-signing check: 0 on the compliant program, 1 on the unsigned one; --help and --version", () => {
        const compliant = run("npx", ["--no-install", "lambda-code-signing", "check", "."], consumer.dir);
        assert.strictEqual(compliant.status, 0, compliant.stdout + compliant.stderr);
        assert.match(compliant.stdout, /Result: no mandatory policy violations/);
        assert.match(compliant.stdout, /lambda-code-signing:index:SignedFunction\s+api\s+create/);

        const unsigned = run("npx", ["--no-install", "lambda-code-signing", "check", "noncompliant", "--json"], consumer.dir);
        assert.strictEqual(unsigned.status, 1, unsigned.stdout + unsigned.stderr);
        const report = JSON.parse(unsigned.stdout);
        assert.deepStrictEqual([...new Set(report.violations.map((v: { policy: string }) => v.policy))].sort(),
            ["lambda-enforce-code-signing", "lambda-signed-code"]);
        assert.ok(report.violations.every((v: { level: string }) => v.level === "mandatory"));

        const help = run("npx", ["--no-install", "lambda-code-signing", "--help"], consumer.dir);
        assert.strictEqual(help.status, 0, help.stderr);
        assert.match(help.stdout, /^Usage: lambda-code-signing <command>/);
        const checkHelp = run("npx", ["--no-install", "lambda-code-signing", "check", "--help"], consumer.dir);
        assert.strictEqual(checkHelp.status, 0, checkHelp.stderr);
        assert.match(checkHelp.stdout, /^Usage: lambda-code-signing check/);
        const version = run("npx", ["--no-install", "lambda-code-signing", "--version"], consumer.dir);
        assert.strictEqual(version.status, 0, version.stderr);
        assert.strictEqual(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    });

    it("(d) one copy of @pulumi/pulumi and of @pulumi/aws: the program's own (older than ours, in range)", () => {
        for (const [name, version] of Object.entries(CONSUMER_PULUMI)) {
            const installed = JSON.parse(fs.readFileSync(path.join(consumer.dir, "node_modules", name, "package.json"), "utf8"));
            assert.strictEqual(installed.version.replace(/^v/, ""), version);
        }
        assert.deepStrictEqual(installedCopies(consumer.dir, "@pulumi/pulumi"), [path.join("node_modules", "@pulumi", "pulumi")]);
        assert.deepStrictEqual(installedCopies(consumer.dir, "@pulumi/aws"), [path.join("node_modules", "@pulumi", "aws")]);
        const listed = must("npm", ["ls", "@pulumi/pulumi", "@pulumi/aws", "--all", "--parseable"], consumer.dir);
        assert.deepStrictEqual([...new Set(listed.stdout.trim().split("\n"))].map(p => path.relative(consumer.dir, p)).sort(),
            [path.join("node_modules", "@pulumi", "aws"), path.join("node_modules", "@pulumi", "pulumi")]);
    });

    it("ships no build tools into the program: typescript and ts-node come from the program's own devDependencies", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer.packageDir, "package.json"), "utf8"));
        for (const tool of ["typescript", "ts-node", "@grpc/grpc-js", "google-protobuf"]) {
            assert.ok(!(tool in (manifest.dependencies ?? {})), `${tool} is a runtime dependency`);
        }
        assert.deepStrictEqual(Object.keys(manifest.peerDependencies).sort(), ["@pulumi/aws", "@pulumi/pulumi"]);
    });
});
