import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckReport } from "../../cli/report";
import { assertOneLineFailure, check, CommandResult, fixture, json, nameOf, ROOT, run, runAll, snapshot } from "./helpers";

const APP_CONFIG = "examples/app/policy-config.json";


/** Every policy is mandatory by default except lambda-cloudformation-template-url (advisory: its level is the user's call). */
const DEFAULT_LEVEL = (policy: string) => (policy === "lambda-cloudformation-template-url" ? "advisory" : "mandatory");

describe("check: offline preview of a Pulumi program with the policy pack", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    describe("examples/app (compliant)", () => {
        let text: CommandResult;
        let preview: CheckReport;
        let update: CheckReport;
        before(async () => {
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "check-app-"));
            const [t, u] = await runAll([
                () => check("examples/app", "--policy-pack-config", APP_CONFIG, "--format", "json", "--output", path.join(out, "preview.json"), "--format", "text"),
                () => check("examples/app", "--policy-pack-config", APP_CONFIG, "--json", "--update"),
            ]);
            text = t;
            preview = JSON.parse(fs.readFileSync(path.join(out, "preview.json"), "utf8"));
            update = json(u);
        });

        it("exits 0 and prints the tree, the functions, the policies and the coverage in that order", () => {
            assert.strictEqual(text.status, 0, text.stderr);
            const order = ["Stack: organization/signed-orders-service/dev", "Type", "Lambda functions:", "Policies:", "Coverage:", "Result: no mandatory policy violations"].map((s) => text.stdout.indexOf(s));
            assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), text.stdout);
            assert.match(text.stdout, /lambda-code-signing:index:SignedFunction\s+orders-api\s+create/);
            assert.match(text.stdout, /└─ aws:lambda:Function\s+payments-worker-function/);
        });

        it("writes nothing but the document to stdout and nothing to a non-terminal stderr", () => {
            assert.strictEqual(text.stderr, "");
            assert.ok(text.stdout.startsWith("Previewing update (dev) of signed-orders-service"), text.stdout.slice(0, 200));
        });

        it("names the config file and every policy's effective level", () => {
            assert.match(text.stdout, /config: examples\/app\/policy-config\.json/);
            assert.match(text.stdout, /lambda-signed-layers\s+mandatory/);
            assert.strictEqual(preview.policyConfig, APP_CONFIG);
            assert.deepStrictEqual(preview.policies.map((p) => p.enforcementLevel), preview.policies.map((p) => DEFAULT_LEVEL(p.name)));
            const layers = preview.policies.find((p) => p.name === "lambda-signed-layers")!;
            assert.deepStrictEqual(layers.properties.trustedLayerArns, ["arn:aws:lambda:*:464622532012:layer:Datadog-*"]);
        });

        it("describes every function: signed code, Enforce CSC, signed and trusted layers", () => {
            for (const report of [preview, update]) {
                assert.deepStrictEqual(report.functions.map((f) => f.name).sort(), ["orders-api-function", "payments-worker-function"]);
                for (const f of report.functions) {
                    assert.strictEqual(f.code.status, "signed", JSON.stringify(f));
                    assert.strictEqual(f.csc.status, "enforce", JSON.stringify(f));
                    assert.strictEqual(f.csc.resource, "orders-signing-csc");
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

        it("runs the program in the mode asked for: unknown ARNs in preview, known ones after --update", () => {
            assert.strictEqual(preview.mode, "preview");
            assert.strictEqual(update.mode, "update");
            // In preview the functions' signing job outputs are unknown: the code is traced through dependencies.
            assert.strictEqual(preview.functions[0].code.signingJob !== undefined, true);
            assert.ok(preview.resources.every((r) => r.plan === "create"));
            assert.ok(update.resources.every((r) => r.plan === "create"));
        });

        it("names resources like the engine: no stack type in child URNs, parents' types chained", () => {
            const guard = preview.resources.find((r) => r.type === "lambda-code-signing:index:CodeSigningGuard")!;
            assert.strictEqual(guard.urn, "urn:pulumi:dev::signed-orders-service::lambda-code-signing:index:CodeSigningGuard::orders-signing");
            const csc = preview.resources.find((r) => r.name === "orders-signing-csc")!;
            assert.strictEqual(csc.urn, "urn:pulumi:dev::signed-orders-service::lambda-code-signing:index:CodeSigningGuard$aws:lambda/codeSigningConfig:CodeSigningConfig::orders-signing-csc");
            assert.strictEqual(csc.parent, guard.urn);
        });

        it("locates each resource at the program line that constructs it", () => {
            const source = fs.readFileSync(path.join(ROOT, "examples/app/index.ts"), "utf8").split("\n");
            const fn = preview.resources.find((r) => r.name === "orders-api-function")!;
            assert.strictEqual(fn.location?.file, "examples/app/index.ts");
            assert.match(source[fn.location!.line - 1], /new SignedFunction\("orders-api"/);
            const stack = preview.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
            assert.deepStrictEqual(stack.location, { file: "examples/app/Pulumi.yaml", line: 1 });
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
        let results: CommandResult[];
        before(async () => {
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "check-unsigned-"));
            const [text, update] = await runAll([
                () => check("examples/unsigned", "--format", "json", "--output", path.join(out, "preview.json"), "--format", "text"),
                () => check("examples/unsigned", "--json", "--update"),
            ]);
            results = [{ ...text, stdout: fs.readFileSync(path.join(out, "preview.json"), "utf8") }, update, text];
        });

        for (const [index, mode] of ["preview", "update"].entries()) {
            it(`exits 1 and names each problem (${mode})`, () => {
                const result = results[index];
                assert.strictEqual(result.status, 1, result.stderr);
                const report = json(result);
                for (const [policy, resource, message] of expected) {
                    const hit = report.violations.find((v) => v.policy === policy && nameOf(report, v.urn) === resource && message.test(v.message));
                    assert.ok(hit, `expected ${policy} on ${resource} matching ${message}; got ${JSON.stringify(report.violations.map((v) => [v.policy, nameOf(report, v.urn)]))}`);
                    assert.strictEqual(hit!.level, "mandatory");
                    assert.strictEqual(hit!.resource.name, resource);
                    assert.strictEqual(hit!.location?.file, "examples/unsigned/index.ts");
                }
                assert.ok(report.violations.every((v) => !/can't run policy/.test(v.message)));
                assert.deepStrictEqual(report.functions.map((f) => [f.name, f.csc.status]).sort(), [
                    ["legacy-webhook", "missing"], ["report-exporter", "warn"], ["report-generator", "missing"],
                ]);
                assert.strictEqual(report.coverage.functions, 3);
                assert.strictEqual(report.coverage.behindEnforceCsc, 0);
                assert.strictEqual(report.coverage.signedCode, 0);
                assert.strictEqual(report.coverage.unsignedLayers, 1);
                assert.strictEqual(report.policyConfig, null);
                assert.strictEqual(report.stackSource, "only-stack-file");
            });
        }

        it("prints the violations grouped like the CLI, with the fix and the source line", () => {
            const result = results[2];
            assert.strictEqual(result.status, 1);
            assert.match(result.stdout, /❌ lambda-code-signing@v[\d.]+ — \d+ mandatory/);
            assert.match(result.stdout, /- \[mandatory\]  lambda-enforce-code-signing  \(aws:lambda:Function: report-generator\)  examples\/unsigned\/index\.ts:\d+/);
            assert.match(result.stdout, /config: none \(no --policy-pack-config/);
            assert.match(result.stdout, /Result: \d+ mandatory policy violations: `pulumi preview` would fail\./);
        });
    });

    describe("a pull request cannot bring its own policy config", () => {
        let results: CommandResult[];
        const dir = fixture("pr-policy-config");
        before(async () => {
            results = await runAll([() => check(dir, "--json"), () => check(dir)]);
        });

        it("ignores <programDir>/policy-config.json: the violations stay mandatory and the document says no config was used", () => {
            assert.ok(fs.existsSync(path.join(dir, "policy-config.json")), "the fixture carries a PR-added policy-config.json");
            const report = json(results[0]);
            assert.strictEqual(results[0].status, 1, results[0].stderr);
            assert.strictEqual(report.policyConfig, null);
            assert.ok(report.policies.every((p) => p.enforcementLevel === DEFAULT_LEVEL(p.name)), JSON.stringify(report.policies));
            assert.deepStrictEqual(report.violations.filter((v) => v.level === "mandatory").map((v) => v.policy).sort(), ["lambda-enforce-code-signing", "lambda-signed-code"]);
            assert.match(results[1].stdout, /config: none/);
            assert.deepStrictEqual(results[1].stdout.split("\n").filter((l) => /DISABLED|ADVISORY/.test(l)).map((l) => l.trim().split(/\s+/)[0]), ["lambda-cloudformation-template-url"]);
        });

        it("shows a disabled or advisory policy plainly when a config given on the command line says so", async () => {
            const result = await check(dir, "--policy-pack-config", path.join(dir, "policy-config.json"));
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stdout, /config: .*pr-policy-config\/policy-config\.json/);
            assert.match(result.stdout, /lambda-enforce-code-signing\s+disabled  DISABLED: not evaluated/);
            assert.match(result.stdout, /lambda-signed-code\s+advisory  ADVISORY: violations do not fail/);
        });
    });

    describe("bad input: one clear line, exit code 2, nothing written", () => {
        const badConfig = fs.mkdtempSync(path.join(os.tmpdir(), "check-config-"));
        fs.writeFileSync(path.join(badConfig, "malformed.json"), "{ \"lambda-signed-layers\": ");
        fs.writeFileSync(path.join(badConfig, "unknown-policy.json"), JSON.stringify({ "lambda-signed-layer": { trustedLayerArns: [] } }));
        fs.writeFileSync(path.join(badConfig, "unknown-property.json"), JSON.stringify({ "lambda-signed-layers": { trustedLayers: [] } }));
        fs.writeFileSync(path.join(badConfig, "wrong-type.json"), JSON.stringify({ "lambda-signed-layers": { trustedLayerArns: "arn:aws:lambda:*" } }));
        fs.writeFileSync(path.join(badConfig, "outputs.json"), JSON.stringify({ "acme/platform/prod": { cscArn: "arn" } }));
        fs.writeFileSync(path.join(badConfig, "answers.json"), JSON.stringify({ getVpc: {} }));
        const program = fixture("transforms");
        const cases: [string, string[], RegExp][] = [
            ["a missing directory", ["examples/nope"], /^error: program directory 'examples\/nope' does not exist$/],
            ["a directory that is not a Pulumi program", [fixture("not-a-program")], /is not a Pulumi program: it has no Pulumi.yaml/],
            ["a program that throws", [fixture("throwing-program")], /^error: the program failed: config value 'team' is required$/],
            ["a malformed policy config", [program, "--policy-pack-config", path.join(badConfig, "malformed.json")], /is not valid JSON/],
            ["an unknown policy in the config", [program, "--config", "transforms:mode=none", "--policy-pack-config", path.join(badConfig, "unknown-policy.json")], /unknown policy 'lambda-signed-layer'/],
            ["an unknown property in the config", [program, "--config", "transforms:mode=none", "--policy-pack-config", path.join(badConfig, "unknown-property.json")], /lambda-signed-layers.trustedLayers: unknown property/],
            ["a config value of the wrong type", [program, "--config", "transforms:mode=none", "--policy-pack-config", path.join(badConfig, "wrong-type.json")], /trustedLayerArns must be of type array/],
            ["a missing config file", [program, "--policy-pack-config", path.join(badConfig, "absent.json")], /cannot be read/],
            ["a stack-outputs file of the wrong shape", [program, "--stack-outputs", path.join(badConfig, "outputs.json")], /--stack-outputs file .*"acme\/platform\/prod" needs an "outputs" object/],
            ["an invoke-answers key that is no token", [program, "--invoke-answers", path.join(badConfig, "answers.json")], /--invoke-answers file .*"getVpc" is not an invoke token/],
            ["an unknown option", [program, "--preview-only"], /^error: unknown option --preview-only/],
            ["an unknown format", [program, "--format", "xml"], /--format 'xml' is not one of text, json, sarif, github, markdown/],
            ["two documents for stdout", [program, "--format", "json", "--format", "sarif"], /would both go to stdout/],
            ["an output into a missing directory", [program, "--format", "sarif", "--output", path.join(badConfig, "no", "such", "dir.sarif")], /--output .* does not exist/],
            ["a bad time limit", [program, "--timeout", "soon"], /--timeout 'soon' must be a positive number of seconds/],
            ["a stack without its stack file", [program, "--stack", "prod"], /^error: no stack named 'prod' found: .*Pulumi\.prod\.yaml does not exist$/],
            ["a stack of another project", [fixture("config-shapes"), "--stack", "acme/other/prod"], /belongs to project 'other', but this program is project 'config-shapes'/],
            ["a program directory with several stacks and no --stack", [fixture("several-stacks")], /has several stacks \(dev, prod\): choose one with --stack/],
            ["a missing required configuration value", [program], /Missing required configuration variable 'transforms:mode'.*pulumi config set transforms:mode <value>/],
            ["a policy pack directory that is not a pack", [program, "--policy-pack", badConfig], /--policy-pack '.*' is not a policy pack directory/],
        ];
        let results: CommandResult[];
        const watched = [path.join(ROOT, "examples"), FIXTURES_DIR(), badConfig];
        let before_: string[][];
        let after_: string[][];
        before(async () => {
            before_ = watched.map(snapshot);
            results = await runAll(cases.map(([, args]) => () => check(...args)), 3);
            after_ = watched.map(snapshot);
        });

        cases.forEach(([what, , message], i) => {
            it(`rejects ${what}`, () => assertOneLineFailure(results[i], message));
        });

        it("wrote nothing: not in the examples, not in the fixture programs' own directories, not next to the inputs", () => {
            assert.deepStrictEqual(after_, before_);
        });

        it("adds the program's own error output with --verbose", async () => {
            const result = await check(fixture("throwing-program"), "--verbose");
            assert.strictEqual(result.status, 2);
            assert.match(result.stderr, /^error: the program failed: config value 'team' is required\n/);
            assert.match(result.stderr, /\n\s+at /, "the stack trace follows the error line");
        });
    });

    describe("command-line habits", () => {
        it("--version prints the package version; --help lists every option", async () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
            const [version, checkVersion, help] = await runAll([() => run(["--version"]), () => check("--version"), () => check("--help")]);
            assert.deepStrictEqual([version.status, version.stdout], [0, `${pkg.version}\n`]);
            assert.deepStrictEqual([checkVersion.status, checkVersion.stdout], [0, `${pkg.version}\n`]);
            assert.strictEqual(help.status, 0);
            for (const option of ["--stack", "--config", "--policy-pack-config", "--policy-pack", "--update", "--stack-outputs", "--invoke-answers", "--format", "--json", "--output", "--timeout", "--verbose", "--version"]) {
                assert.ok(help.stdout.includes(option), `--help mentions ${option}`);
            }
        });

        it("checks the current directory by default", async () => {
            const result = await run(["check", "--json"], { cwd: fixture("pr-policy-config") });
            assert.strictEqual(result.status, 1, result.stderr);
            assert.strictEqual(json(result).program, ".");
            assert.strictEqual(json(result).project, "pr-policy-config");
        });

        it("validates its arguments before it starts anything", async () => {
            const result = await check("examples/nope", "--policy-pack-config", path.join(os.tmpdir(), "absent.json"));
            assertOneLineFailure(result, /program directory 'examples\/nope' does not exist/);
            assert.deepStrictEqual(result.processes, [], "no program or pack process was started");
        });
    });
});

function FIXTURES_DIR(): string {
    return path.join(ROOT, "tests", "cli", "fixtures");
}
