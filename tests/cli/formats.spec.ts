import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { renderGithub, renderMarkdown } from "../../cli/formats";
import { neutral } from "../../cli/render";
import { CheckReport } from "../../cli/report";
import { check, CommandResult, fixture, ROOT, runAll } from "./helpers";

const SARIF_SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "data", "sarif-schema-2.1.0.json"), "utf8"));
const REPORT_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "cli", "check-report.schema.json"), "utf8"));

function validator(draft04: boolean, schema: object) {
    const ajv = draft04 ? new AjvDraft04({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: true });
    addFormats(ajv as any);
    return ajv.compile(schema);
}

function assertValid(validate: ReturnType<typeof validator>, doc: unknown): void {
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
}

describe("check's output formats", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "check-formats-"));
    const file = (name: string) => path.join(out, name);
    const program = fixture("pr-policy-config");
    const functionLine = fs.readFileSync(path.join(program, "index.js"), "utf8").split("\n").findIndex((l) => l.includes("new aws.lambda.Function(")) + 1;
    let all: CommandResult;
    let gaps: CommandResult;
    let report: CheckReport;
    before(async () => {
        [all, gaps] = await runAll([
            () => check(program, "--format", "json", "--output", file("report.json"), "--format", "sarif", "-o", file("report.sarif"),
                "--format", "markdown", "--output", file("summary.md"), "--format", "github"),
            () => check(fixture("stack-reference"), "--json"),
        ]);
        report = JSON.parse(fs.readFileSync(file("report.json"), "utf8"));
    });

    it("writes every --format/--output pair from one run, and the one without a file to stdout", () => {
        assert.strictEqual(all.status, 1, all.stderr);
        assert.ok(all.stdout.startsWith("::error "), all.stdout);
        for (const name of ["report.json", "report.sarif", "summary.md"]) {
            assert.ok(fs.statSync(file(name)).size > 0, name);
        }
    });

    it("json: matches the documented JSON Schema (cli/check-report.schema.json), with and without gaps", () => {
        const validate = validator(false, REPORT_SCHEMA);
        assertValid(validate, report);
        assertValid(validate, JSON.parse(gaps.stdout));
        assert.strictEqual(JSON.parse(gaps.stdout).gaps.length, 1);
        assert.ok(!validate({ ...report, surprise: 1 }), "the schema rejects undocumented fields");
    });

    it("sarif: valid SARIF 2.1.0 with a rule per policy and a result per violation at the program's source line", () => {
        const sarif = JSON.parse(fs.readFileSync(file("report.sarif"), "utf8"));
        assertValid(validator(true, SARIF_SCHEMA), sarif);
        assert.strictEqual(sarif.version, "2.1.0");
        const run = sarif.runs[0];
        assert.deepStrictEqual(run.tool.driver.rules.map((r: any) => r.id), report.policies.map((p) => p.name));
        assert.strictEqual(run.results.length, report.violations.length);
        const result = run.results.find((r: any) => r.ruleId === "lambda-enforce-code-signing");
        assert.strictEqual(result.level, "error");
        assert.strictEqual(run.tool.driver.rules[result.ruleIndex].id, "lambda-enforce-code-signing");
        assert.match(result.message.text, /code signing config/);
        const location = result.locations[0];
        assert.deepStrictEqual(location.physicalLocation.artifactLocation, { uri: "tests/cli/fixtures/pr-policy-config/index.js", uriBaseId: "%SRCROOT%" });
        assert.strictEqual(location.physicalLocation.region.startLine, functionLine);
        assert.strictEqual(location.logicalLocations[0].fullyQualifiedName, "urn:pulumi:dev::pr-policy-config::aws:lambda/function:Function::unsigned");
        assert.match(result.partialFingerprints["lambdaCodeSigning/policyAndUrn/v1"], /^[0-9a-f]{64}$/);
    });

    it("github: an annotation per violation with file and line, then the result", () => {
        const lines = all.stdout.trim().split("\n");
        assert.strictEqual(lines.length, report.violations.length + 1);
        assert.match(lines[0], new RegExp(`^::error file=tests/cli/fixtures/pr-policy-config/index\\.js,line=${functionLine},col=\\d+,title=lambda-enforce-code-signing \\(aws%3Alambda%3AFunction unsigned\\)::`));
        assert.match(lines[lines.length - 1], /^::error title=lambda-code-signing check::Result: 2 mandatory policy violations: `pulumi preview` would fail\.$/);
        assert.ok(lines.every((l) => l.startsWith("::")), "every line is a workflow command");
    });

    it("markdown: a summary for a pull request with the functions table, violations and coverage", () => {
        const md = fs.readFileSync(file("summary.md"), "utf8");
        assert.match(md, /^## ❌ Lambda code signing: 2 mandatory violations$/m);
        assert.match(md, /^\| unsigned \| ❌ plain-s3 \| ❌ missing \| — \|$/m);
        assert.match(md, /^\| mandatory \| lambda-enforce-code-signing \| aws:lambda:Function unsigned \| tests\/cli\/fixtures\/pr-policy-config\/index\.js:\d+ \| /m);
        assert.match(md, /^\| Behind an Enforce CSC \| 0 of 1 \(0%\) \|$/m);
        assert.match(md, /policy config: none\./);
    });
});

describe("program-controlled text cannot inject into a workflow or a summary", function () {
    // End to end: every check starts real processes, two or three at a time on a loaded machine.
    this.timeout(600_000);
    const evilName = "evil\n::error file=forged.ts,line=1::all clear <img src=x onerror=alert(1)> | `x`";
    const report: CheckReport = {
        version: 1, tool: { name: "lambda-code-signing", version: "0.0.0" }, program: ".", project: "p", stack: "dev", organization: "o",
        stackSource: "default", mode: "preview", policyPack: { name: "lambda-code-signing", version: "0.0.0" }, policyConfig: null,
        policies: [{ name: "lambda-enforce-code-signing", enforcementLevel: "mandatory", properties: {} }],
        resources: [],
        functions: [{ urn: "urn:x", name: evilName, type: "aws:lambda/function:Function", code: { status: "inline" }, csc: { status: "missing" }, layers: [] }],
        violations: [{ policy: "lambda-enforce-code-signing", level: "mandatory", urn: "urn:x", message: `first line\n::warning::forged\r\n${evilName}`, resource: { type: "aws:lambda/function:Function", name: evilName }, location: { file: "a,b:c.ts", line: 3 } }],
        coverage: { functions: 1, behindEnforceCsc: 0, behindEnforceCscPercent: 0, signedCode: 0, signedCodePercent: 0, unsignedLayers: 0, mandatoryViolations: 1, advisoryViolations: 0 },
        gaps: [],
    };

    it("github: each annotation stays on its line, properties escaped", () => {
        const lines = renderGithub(report).trim().split("\n");
        assert.strictEqual(lines.length, 2);
        assert.ok(lines[0].startsWith("::error file=a%2Cb%3Ac.ts,line=3,title=lambda-enforce-code-signing (aws%3Alambda%3AFunction evil%0A%3A%3Aerror file=forged.ts%2Cline=1%3A%3Aall clear"), lines[0]);
        assert.ok(lines[0].includes("::first line%0A::warning::forged%0D%0Aevil%0A::error"), lines[0]);
    });

    it("markdown: no HTML, no table breaking, no line breaks from names", () => {
        const md = renderMarkdown(report);
        assert.ok(!/(^|[^\\])<img/.test(md), "every < is escaped");
        assert.ok(md.includes("| evil ::error file=forged.ts,line=1::all clear \\<img src=x onerror=alert\\(1\\)\\> \\| \\`x\\` | ❌ inline |"), md);
        assert.ok(md.split("\n").every((l) => !l.startsWith("::")));
    });

    it("text: a name or message line can neither break a line nor start a workflow command", () => {
        assert.strictEqual(neutral("a\nb\rc"), "a b c");
        assert.strictEqual(neutral("::error::x"), ": :error::x");
        assert.strictEqual(neutral("   ::warning::x"), "   : :warning::x");
        assert.strictEqual(neutral("fine :: text"), "fine :: text");
    });
});
