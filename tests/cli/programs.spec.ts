import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertOneLineFailure, check, CommandResult, fixture, json, run, runAll, snapshot } from "./helpers";

// Programs load the way Pulumi's Node.js runtime loads them: the program's own @pulumi/pulumi runner, its
// TypeScript toolchain and tsconfig, ESM, `main`, `runtime.options`, every shape of stack configuration.

describe("check loads programs like Pulumi's Node.js runtime", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    let results: Record<string, CommandResult>;
    const noDeps = fs.mkdtempSync(path.join(os.tmpdir(), "check-no-deps-"));
    fs.writeFileSync(path.join(noDeps, "Pulumi.yaml"), "name: no-deps\nruntime: nodejs\n");
    fs.writeFileSync(path.join(noDeps, "package.json"), JSON.stringify({ name: "no-deps", main: "index.js", dependencies: { "@pulumi/pulumi": "^3", "@pulumi/aws": "^7" } }));
    fs.writeFileSync(path.join(noDeps, "index.js"), "require('@pulumi/aws');\n");
    const missingModule = fs.mkdtempSync(path.join(fixture(""), ".tmp-missing-module-"));
    fs.writeFileSync(path.join(missingModule, "Pulumi.yaml"), "name: missing-module\nruntime: nodejs\n");
    fs.writeFileSync(path.join(missingModule, "package.json"), JSON.stringify({ name: "missing-module", main: "index.js" }));
    fs.writeFileSync(path.join(missingModule, "index.js"), "require('@pulumi/pulumi');\nrequire('@pulumi/not-installed-anywhere');\n");
    const watched = ["ts-program", "ts-type-error", "esm", "layout", "config-shapes"].map(fixture);
    let before_: string[][];
    after(() => fs.rmSync(missingModule, { recursive: true, force: true }));

    before(async () => {
        before_ = watched.map(snapshot);
        const jobs: [string, () => Promise<CommandResult>][] = [
            ["ts-program", () => check(fixture("ts-program"), "--json")],
            ["ts-type-error", () => check(fixture("ts-type-error"), "--json")],
            ["ts-type-error-nocheck", () => check(fixture("ts-type-error-nocheck"), "--json")],
            ["esm", () => check(fixture("esm"), "--json")],
            ["layout", () => check(fixture("layout"), "--json")],
            ["config-qualified", () => check(fixture("config-shapes"), "--stack", "acme/config-shapes/prod", "--json")],
            ["config-org-stack", () => check(fixture("config-shapes"), "--stack", "acme/prod", "--json")],
            ["config-override", () => run(["check", fixture("config-shapes"), "--stack", "acme/config-shapes/prod", "--config", "dbPassword=hunter2", "--json"], { env: { ...process.env, EXPECTED_PASSWORD: "hunter2" } })],
            ["default-stack", () => check(fixture("transforms"), "--config", "transforms:mode=none")],
            ["no-deps", () => check(noDeps)],
            ["missing-module", () => check(missingModule)],
        ];
        const done = await runAll(jobs.map(([, job]) => job), 3);
        results = Object.fromEntries(jobs.map(([name], i) => [name, done[i]]));
    });

    it("type-checks TypeScript and runs a program that passes", () => {
        const result = results["ts-program"];
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(json(result).resources.map((r) => r.name).sort(), ["default", "orders-logs", "ts-program-dev"]);
    });

    it("a type error fails like Pulumi's runner: exit 2 with the compiler's message", () => {
        assertOneLineFailure(results["ts-type-error"], /^error: the program failed: TSError: ⨯ Unable to compile TypeScript: index\.ts\(10,7\): error TS2322: Type 'string' is not assignable to type 'number'\.$/);
    });

    it("a project that turns type-checking off (tsconfig noCheck) runs the same code", () => {
        const result = results["ts-type-error-nocheck"];
        assert.strictEqual(result.status, 0, result.stderr);
        assert.ok(json(result).resources.some((r) => r.name === "logs"));
    });

    it("loads an ES module program (\"type\": \"module\", top-level await)", () => {
        const result = results.esm;
        assert.strictEqual(result.status, 1, result.stderr);
        const report = json(result);
        assert.deepStrictEqual(report.functions.map((f) => [f.name, f.code.status, f.csc.status]), [["esm-handler", "inline", "missing"]]);
        // The SDK records no source position for top-level ES module code (its frames have no parentheses):
        // the violation falls back to the project file.
        assert.strictEqual(report.violations.find((v) => v.resource.name === "esm-handler")?.location?.file, "tests/cli/fixtures/esm/Pulumi.yaml");
    });

    it("honours main: and runtime.options.nodeargs", () => {
        const result = results.layout;
        assert.strictEqual(result.status, 0, result.stderr);
        assert.ok(json(result).resources.some((r) => r.name === "layout-logs"));
    });

    it("reads every config shape: namespaced keys, project defaults, secure values as secrets, objects and lists", () => {
        for (const key of ["config-qualified", "config-org-stack"]) {
            const result = results[key];
            assert.strictEqual(result.status, 0, `${key}: ${result.stderr}`);
            const report = json(result);
            assert.deepStrictEqual([report.organization, report.project, report.stack, report.stackSource], ["acme", "config-shapes", "prod", "option"]);
            const provider = report.resources.find((r) => r.type === "pulumi:providers:aws")!;
            assert.strictEqual(provider.urn, "urn:pulumi:prod::config-shapes::pulumi:providers:aws::default_7_48_0");
        }
    });

    it("--config overrides a value for the run, a secret's plaintext included (it stays a secret)", () => {
        // The fixture asserts the password is EXPECTED_PASSWORD (else the placeholder) and still a secret.
        const result = results["config-override"];
        assert.strictEqual(result.status, 0, result.stderr);
    });

    it("without --stack and without a stack file, says which defaults it used", () => {
        const result = results["default-stack"];
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /^Stack: organization\/transforms\/dev \(default: no --stack and no Pulumi\.<stack>\.yaml, so no stack configuration\)$/m);
    });

    it("a program whose dependencies are not installed is told to install them", () => {
        assertOneLineFailure(results["no-deps"], /^error: the program's dependencies are not installed: @pulumi\/pulumi cannot be found from .*; run `npm install` \(or `pulumi install`\) there first$/);
        assertOneLineFailure(results["missing-module"], /Cannot find module '@pulumi\/not-installed-anywhere'.*\(run `npm install` in .* to install the program's dependencies\)$/);
    });

    it("wrote nothing into the programs' directories", () => {
        assert.deepStrictEqual(watched.map(snapshot), before_);
    });
});
