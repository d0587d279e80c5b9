import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckReport } from "../../cli/report";
import { assertOneLineFailure, check, CommandResult, fixture, json, runAll } from "./helpers";

// What the real engine does before an analyzer sees a resource, reproduced by the offline engine: transforms,
// stack references, invokes, assets.

function cscOf(report: CheckReport, name: string): string {
    return report.functions.find((f) => f.name === name)!.csc.status;
}

function policiesOn(report: CheckReport, name: string): string[] {
    return report.violations.filter((v) => v.resource.name === name && v.level === "mandatory").map((v) => v.policy).sort();
}

describe("check applies transforms like the engine, before the pack sees a resource", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const runs: [string, boolean][] = [
        ["none", false], ["strip-stack", false], ["strip-stack", true], ["strip-stack-async", false],
        ["strip-resource", false], ["add-stack", true], ["add-resource", true], ["add-stack", false],
    ];
    const reports = new Map<string, CheckReport>();
    before(async () => {
        const results = await runAll(runs.map(([mode, update]) => () => check(fixture("transforms"), "--config", `transforms:mode=${mode}`, "--json", ...(update ? ["--update"] : []))), 3);
        runs.forEach(([mode, update], i) => {
            assert.ok(results[i].status === 0 || results[i].status === 1, `${mode}: ${results[i].stderr}`);
            reports.set(`${mode}${update ? "/update" : ""}`, json(results[i]));
        });
    });

    it("without transforms the function is behind the Enforce CSC", () => {
        const report = reports.get("none")!;
        assert.strictEqual(cscOf(report, "orders-fn"), "enforce");
        assert.deepStrictEqual(policiesOn(report, "orders-fn"), ["lambda-signed-code"]);
    });

    for (const key of ["strip-stack", "strip-stack/update", "strip-stack-async", "strip-resource"]) {
        it(`a transform that removes codeSigningConfigArn (${key}) leaves the function without a CSC: a mandatory violation`, () => {
            const report = reports.get(key)!;
            assert.strictEqual(cscOf(report, "orders-fn"), "missing");
            assert.deepStrictEqual(policiesOn(report, "orders-fn"), ["lambda-enforce-code-signing", "lambda-signed-code"]);
        });
    }

    for (const key of ["add-stack/update", "add-resource/update"]) {
        it(`a transform that adds the CSC (${key}) puts the function behind it`, () => {
            const report = reports.get(key)!;
            assert.strictEqual(cscOf(report, "orders-fn"), "enforce");
            assert.deepStrictEqual(policiesOn(report, "orders-fn"), ["lambda-signed-code"]);
        });
    }

    it("in preview a CSC added by a transform is an unknown value without a dependency, as the engine passes it on: fail closed", () => {
        const report = reports.get("add-stack")!;
        assert.strictEqual(cscOf(report, "orders-fn"), "unverifiable");
        assert.deepStrictEqual(policiesOn(report, "orders-fn"), ["lambda-enforce-code-signing", "lambda-signed-code"]);
    });
});

describe("check answers stack references and invokes from files", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const stackRef = fixture("stack-reference");
    const outputs = path.join(stackRef, "outputs.json");
    const trust = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-trust-")), "trust.json");
    fs.writeFileSync(trust, JSON.stringify({ "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: ["arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0"] } }));
    let results: CommandResult[];
    before(async () => {
        results = await runAll([
            () => check(stackRef, "--json"),
            () => check(stackRef, "--json", "--update"),
            () => check(stackRef, "--json", "--stack-outputs", outputs),
            () => check(stackRef, "--json", "--update", "--stack-outputs", outputs, "--policy-pack-config", trust),
            () => check(fixture("invokes")),
            () => check(fixture("invokes"), "--json", "--invoke-answers", path.join(fixture("invokes"), "answers.json")),
        ], 3);
    });

    for (const [i, mode] of [[0, "preview"], [1, "update"]] as const) {
        it(`without answers a stack reference's outputs are unknown (${mode}, no crash) and the violation says how to supply them`, () => {
            const result = results[i];
            assert.strictEqual(result.status, 1, result.stderr);
            const report = json(result);
            assert.strictEqual(cscOf(report, "orders"), "unverifiable");
            const violation = report.violations.find((v) => v.policy === "lambda-enforce-code-signing" && v.resource.name === "orders")!;
            assert.match(violation.message, /The outputs of stack 'acme\/platform\/prod' are unknown offline: supply them with --stack-outputs FILE\.$/);
            assert.deepStrictEqual(report.gaps.map((g) => [g.kind, g.subject]), [["stack-reference", "acme/platform/prod"]]);
        });
    }

    it("with answers the stack reference's outputs flow into the program: an external CSC, untrusted unless configured", () => {
        const report = json(results[2]);
        assert.strictEqual(cscOf(report, "orders"), "untrusted-external");
        assert.strictEqual(report.functions[0].csc.arn, "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0");
        assert.deepStrictEqual(report.gaps, []);
        const trusted = json(results[3]);
        assert.strictEqual(cscOf(trusted, "orders"), "trusted-external");
        assert.strictEqual(trusted.coverage.behindEnforceCsc, 1);
        assert.deepStrictEqual(policiesOn(trusted, "orders"), ["lambda-signed-code"]);
    });

    it("an unanswered invoke fails with one line naming the token and the option", () => {
        assertOneLineFailure(results[4], /^error: the program failed: the program called the provider function 'aws:(ec2\/getVpc:getVpc|lambda\/getLayerVersion:getLayerVersion)', which the offline check cannot answer: give its result with --invoke-answers FILE$/);
    });

    it("answered invokes (and the built-in getCallerIdentity) reach the program", () => {
        const result = results[5];
        assert.strictEqual(result.status, 1, result.stderr);
        const fn = json(result).functions[0];
        assert.deepStrictEqual(fn.layers.map((l) => [l.ref, l.status]), [["arn:aws:lambda:us-east-1:999999999999:layer:shared-utils:3", "unsigned"]]);
    });
});

describe("check takes empty and binary assets", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    it("runs a program with an empty StringAsset, an empty file and a binary file to a verdict", async () => {
        const result = await check(fixture("assets"), "--json", "--timeout", "60");
        // The engine hands the pack an empty text asset as a hash-only asset, as the Pulumi engine does, and the pack
        // reads it: a verdict (exit 1 for the unsigned code), not a pack failure and not a hang.
        assert.strictEqual(result.status, 1, result.stderr);
        const report = json(result);
        assert.deepStrictEqual(report.functions.map((f) => [f.name, f.csc.status, f.code.status]), [["python", "enforce", "inline"]]);
    });

    it("--update: an empty StringAsset fails like `pulumi up` (the SDK cannot read it back), in one line that says what to use", async () => {
        // Whatever the engine answers (the Pulumi engine returns an empty text asset hash-only), the Node.js SDK rejects
        // an asset with empty text when it reads a deployment's outputs: exit 2, the SDK's message and the way out.
        const [empty, file] = await runAll([
            () => check(fixture("assets"), "--json", "--update", "--timeout", "60"),
            () => check(fixture("assets"), "--json", "--update", "--timeout", "60", "--config", "empty=file"),
        ]);
        assertOneLineFailure(empty, /^error: the program failed: Invalid asset encountered when unmarshaling resource property \(an asset with empty text, such as new pulumi\.asset\.StringAsset\(""\), cannot be read back by the Node\.js SDK after a deployment, and `pulumi up` fails the same way: use a FileAsset of an empty file instead\)$/);
        // The way out works: a FileAsset of an empty file round-trips, and the program runs to its verdict.
        assert.strictEqual(file.status, 1, file.stderr);
        assert.deepStrictEqual(json(file).functions.map((f) => [f.name, f.csc.status, f.code.status]), [["python", "enforce", "inline"]]);
    });
});

describe("check runs the program in the mode it reports", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    let preview: CheckReport;
    let update: CheckReport;
    before(async () => {
        const [p, u] = await runAll([() => check(fixture("modes"), "--json"), () => check(fixture("modes"), "--json", "--update")]);
        preview = json(p);
        update = json(u);
    });

    it("preview: isDryRun() is true and provider-computed outputs are unknown (an apply on them never runs)", () => {
        assert.strictEqual(preview.mode, "preview");
        assert.deepStrictEqual(preview.functions.map((f) => f.name), ["fn-preview"]);
        assert.ok(!preview.resources.some((r) => r.name.startsWith("after-")));
    });

    it("--update: isDryRun() is false and outputs are known", () => {
        assert.strictEqual(update.mode, "update");
        assert.deepStrictEqual(update.functions.map((f) => f.name), ["fn-update"]);
        assert.ok(update.resources.some((r) => r.name === "after-us-east-1"), JSON.stringify(update.resources.map((r) => r.name)));
    });

    it("a layer that cannot be verified counts as an unsigned layer in the coverage", () => {
        for (const report of [preview, update]) {
            assert.deepStrictEqual(report.functions[0].layers.map((l) => [l.ref, l.status]), [["(unknown)", "unverifiable"]]);
            assert.strictEqual(report.coverage.unsignedLayers, 1);
        }
    });
});
