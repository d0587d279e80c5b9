import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckReport } from "../../cli/report";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");

interface CommandResult { status: number | null; stdout: string; stderr: string }

function check(...args: string[]): CommandResult {
    const result = spawnSync(process.execPath, [path.join(ROOT, "bin", "lambda-code-signing.js"), "check", ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(result: CommandResult): CheckReport {
    return JSON.parse(result.stdout);
}

function nameOf(report: CheckReport, urn: string): string {
    return report.resources.find((r) => r.urn === urn)?.name ?? urn;
}

/** Every file below a directory with its modification time: to prove a command wrote nothing. */
function snapshot(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true } as any).map(String).sort()
        .map((f) => `${f}@${fs.statSync(path.join(dir, f)).mtimeMs}`);
}

describe("check: offline preview of a Pulumi program with the policy pack", () => {
    describe("examples/app (compliant)", () => {
        let text: CommandResult;
        let preview: CheckReport;
        let update: CheckReport;
        before(() => {
            text = check("examples/app");
            preview = json(check("examples/app", "--json"));
            update = json(check("examples/app", "--json", "--update"));
        });

        it("exits 0 and prints the tree, the functions, the policies and the coverage in that order", () => {
            assert.strictEqual(text.status, 0, text.stderr);
            const order = ["Type", "Lambda functions:", "Policies:", "Coverage:", "Result: no mandatory policy violations"].map((s) => text.stdout.indexOf(s));
            assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), text.stdout);
            assert.match(text.stdout, /lambda-code-signing:index:SignedFunction\s+orders-api\s+create/);
            assert.match(text.stdout, /└─ aws:lambda:Function\s+payments-worker-function/);
        });

        it("reports progress on stderr, and nothing but the document with --json", () => {
            assert.match(text.stderr, /Running program examples\/app \(preview\)/);
            const quiet = check("examples/app", "--json");
            assert.strictEqual(quiet.stderr, "");
        });

        it("describes every function: signed code, Enforce CSC, signed and trusted layers", () => {
            for (const report of [preview, update]) {
                assert.deepStrictEqual(report.functions.map((f) => f.name).sort(), ["orders-api-function", "payments-worker-function"]);
                for (const f of report.functions) {
                    assert.strictEqual(f.code.status, "signed", JSON.stringify(f));
                    assert.strictEqual(f.csc.status, "enforce", JSON.stringify(f));
                }
                const orders = report.functions.find((f) => f.name === "orders-api-function")!;
                assert.deepStrictEqual(orders.layers.map((l) => l.status).sort(), ["signed", "trusted"]);
                assert.deepStrictEqual(report.violations, []);
                assert.deepStrictEqual(
                    { ...report.coverage },
                    { functions: 2, behindEnforceCsc: 2, behindEnforceCscPercent: 100, signedCode: 2, signedCodePercent: 100, unsignedLayers: 0, mandatoryViolations: 0, advisoryViolations: 0 },
                );
            }
        });

        it("has the documented JSON shape in both modes", () => {
            for (const [report, mode] of [[preview, "preview"], [update, "update"]] as const) {
                assert.deepStrictEqual(Object.keys(report).sort(), ["coverage", "functions", "mode", "policyPack", "program", "project", "resources", "stack", "version", "violations"].sort());
                assert.strictEqual(report.version, 1);
                assert.strictEqual(report.mode, mode);
                assert.deepStrictEqual(report.policyPack.name, "lambda-code-signing");
                assert.ok(report.resources.every((r) => r.urn && r.type && r.name && r.plan));
                assert.ok(report.resources.some((r) => r.type === "lambda-code-signing:index:CodeSigningGuard"));
            }
        });
    });

    describe("examples/unsigned (what the pack rejects)", () => {
        const expected: [string, string, RegExp][] = [
            ["lambda-enforce-code-signing", "report-generator", /code signing config/i],
            ["lambda-enforce-code-signing", "report-exporter", /Warn/],
            ["lambda-enforce-code-signing", "legacy-webhook", /code signing config/i],
            ["lambda-csc-enforce-mode", "warn-only", /Enforce/],
            ["lambda-signed-layers", "report-exporter", /report-helpers/],
            ["lambda-signed-code", "report-generator", /inline|unsigned/i],
            ["lambda-signed-code", "legacy-webhook", /inline|unsigned/i],
        ];
        for (const mode of ["preview", "update"]) {
            it(`exits 1 and names each problem (${mode})`, () => {
                const result = check("examples/unsigned", "--json", ...(mode === "update" ? ["--update"] : []));
                assert.strictEqual(result.status, 1, result.stderr);
                const report = json(result);
                for (const [policy, resource, message] of expected) {
                    const hit = report.violations.find((v) => v.policy === policy && nameOf(report, v.urn) === resource && message.test(v.message));
                    assert.ok(hit, `expected ${policy} on ${resource} matching ${message}; got ${JSON.stringify(report.violations.map((v) => [v.policy, nameOf(report, v.urn)]))}`);
                    assert.strictEqual(hit!.level, "mandatory");
                }
                assert.ok(report.violations.every((v) => !/can't run policy/.test(v.message)));
                assert.strictEqual(report.coverage.functions, 3);
                assert.strictEqual(report.coverage.behindEnforceCsc, 0);
                assert.strictEqual(report.coverage.signedCode, 0);
                assert.strictEqual(report.coverage.unsignedLayers, 1);
            });
        }

        it("prints the violations grouped like the CLI, with the fix", () => {
            const result = check("examples/unsigned");
            assert.strictEqual(result.status, 1);
            assert.match(result.stdout, /❌ lambda-code-signing@v[\d.]+ — \d+ mandatory/);
            assert.match(result.stdout, /- \[mandatory\]  lambda-enforce-code-signing  \(aws:lambda:Function: report-generator\)/);
            assert.match(result.stdout, /Result: \d+ mandatory policy violations: `pulumi preview` would fail\./);
        });
    });

    describe("bad input: one clear line, exit code 2, nothing written", () => {
        const badConfig = fs.mkdtempSync(path.join(os.tmpdir(), "check-config-"));
        fs.writeFileSync(path.join(badConfig, "malformed.json"), "{ \"lambda-signed-layers\": ");
        fs.writeFileSync(path.join(badConfig, "unknown-policy.json"), JSON.stringify({ "lambda-signed-layer": { trustedLayerArns: [] } }));
        fs.writeFileSync(path.join(badConfig, "unknown-property.json"), JSON.stringify({ "lambda-signed-layers": { trustedLayers: [] } }));
        fs.writeFileSync(path.join(badConfig, "wrong-type.json"), JSON.stringify({ "lambda-signed-layers": { trustedLayerArns: "arn:aws:lambda:*" } }));
        const cases: [string, string[], RegExp][] = [
            ["a missing directory", ["examples/nope"], /^error: program directory 'examples\/nope' does not exist$/],
            ["a directory that is not a Pulumi program", [path.join(FIXTURES, "not-a-program")], /is not a Pulumi program: it has no Pulumi.yaml/],
            ["a program that throws", [path.join(FIXTURES, "throwing-program")], /^error: the program failed: config value 'team' is required$/],
            ["a malformed policy config", ["examples/app", "--policy-pack-config", path.join(badConfig, "malformed.json")], /is not valid JSON/],
            ["an unknown policy in the config", ["examples/app", "--policy-pack-config", path.join(badConfig, "unknown-policy.json")], /unknown policy 'lambda-signed-layer'/],
            ["an unknown property in the config", ["examples/app", "--policy-pack-config", path.join(badConfig, "unknown-property.json")], /lambda-signed-layers.trustedLayers: unknown property/],
            ["a config value of the wrong type", ["examples/app", "--policy-pack-config", path.join(badConfig, "wrong-type.json")], /trustedLayerArns must be of type array/],
            ["a missing config file", ["examples/app", "--policy-pack-config", path.join(badConfig, "absent.json")], /cannot be read/],
            ["an unknown option", ["examples/app", "--preview-only"], /^error: unknown option --preview-only$/],
        ];
        for (const [what, args, message] of cases) {
            it(`rejects ${what}`, () => {
                const before = snapshot(path.join(ROOT, "examples"));
                const result = check(...args);
                assert.strictEqual(result.status, 2, result.stdout + result.stderr);
                const errorLines = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
                assert.strictEqual(errorLines.length, 1, result.stderr);
                assert.match(errorLines[0], message);
                assert.ok(!/\n\s+at /.test(result.stderr), "no stack trace without --verbose");
                assert.strictEqual(result.stdout, "");
                assert.deepStrictEqual(snapshot(path.join(ROOT, "examples")), before);
            });
        }

        it("adds the stack trace with --verbose", () => {
            const result = check(path.join(FIXTURES, "throwing-program"), "--verbose");
            assert.strictEqual(result.status, 2);
            assert.match(result.stderr, /\n\s+at /);
        });
    });
});
