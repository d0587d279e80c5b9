/**
 * The compiled pack as the CLI sees it: names, levels, schemas, the example config, and the layout rules
 * (one PolicyPack construction, no @pulumi/aws at runtime).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../../engine/capture";
import { assertNoCantRun, withPack } from "./helpers";
import * as aws from "@pulumi/aws";
import { DATADOG_LAYER_ARN, DATADOG_LAYER_GLOB, ROLE_ARN, codeArchive, compliantProgram, enforceCsc, signingSetup } from "./programs";

const ROOT = path.resolve(__dirname, "..", "..");
const POLICIES = path.join(ROOT, "policies");
const EXAMPLE = JSON.parse(fs.readFileSync(path.join(POLICIES, "policy-config.example.json"), "utf8"));

const EXPECTED = [
    "lambda-enforce-code-signing",
    "lambda-signed-layers",
    "lambda-signed-code",
    "lambda-image-functions",
    "signer-profile-hygiene",
    "signer-job-no-ignore-failure",
    "lambda-csc-enforce-mode",
    "lambda-cloudformation-template-url",
];
/** Every policy is mandatory by default except the one whose level is the user's call (templates given by URL). */
const DEFAULT_LEVELS: Record<string, string> = Object.fromEntries(EXPECTED.map(n => [n, n === "lambda-cloudformation-template-url" ? "advisory" : "mandatory"]));

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? (e.name === "bin" || e.name === "node_modules" ? [] : sourceFiles(path.join(dir, e.name)))
            : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
}

describe("policies: the compiled pack", () => {
    const pack = withPack();

    it("declares every policy, mandatory by default (the template-URL policy advisory), named lambda-code-signing", () => {
        const info = pack.session().info;
        assert.strictEqual(info.name, "lambda-code-signing");
        assert.deepStrictEqual(info.policies.map(p => [p.name, p.enforcementLevel]), EXPECTED.map(n => [n, DEFAULT_LEVELS[n]]));
    });

    it("every configurable property has a schema with a default", () => {
        const props = Object.fromEntries(pack.session().info.policies.map(p => [p.name, p.configSchema?.properties ?? {}]));
        assert.deepStrictEqual(props["lambda-enforce-code-signing"].trustedCodeSigningConfigArns.default, []);
        assert.deepStrictEqual(props["lambda-signed-layers"].trustedLayerArns.default, []);
        assert.deepStrictEqual(props["lambda-signed-layers"].trustedSignedArtifacts.default, []);
        assert.deepStrictEqual(props["lambda-signed-code"].trustedSignedArtifacts.default, []);
        assert.deepStrictEqual(props["lambda-image-functions"].imageFunctions.enum, ["deny", "allow"]);
        assert.strictEqual(props["lambda-image-functions"].imageFunctions.default, "deny");
        assert.deepStrictEqual(props["signer-profile-hygiene"].allowedPlatformIds.default, ["AWSLambda-SHA384-ECDSA"]);
        assert.strictEqual(props["signer-profile-hygiene"].maxSignatureValidityMonths.default, 135);
        for (const [policy, schema] of Object.entries(props)) {
            for (const [name, s] of Object.entries(schema)) {
                assert.ok("default" in (s as object), `${policy}.${name} has no default`);
            }
        }
    });

    it("policy-config.example.json names every policy and is valid against the schemas", () => {
        assert.deepStrictEqual(Object.keys(EXAMPLE).sort(), [...EXPECTED].sort());
        const resolved = pack.session().resolveConfig(EXAMPLE);
        assert.deepStrictEqual(Object.keys(resolved).sort(), [...EXPECTED].sort());
        assert.throws(() => pack.session().resolveConfig({ "signer-profile-hygiene": { maxSignatureValidityMonths: "long" } }));
        assert.throws(() => pack.session().resolveConfig({ "lambda-image-functions": { imageFunctions: "maybe" } }));
    });

    it("the example config is usable on a compliant program (no violations, no can't-run)", async () => {
        const d = await pack.session().analyze(await runProgram(() => compliantProgram(), { preview: true }), EXAMPLE);
        assertNoCantRun(d);
        assert.deepStrictEqual(d, []);
    });

    it("layout: one PolicyPack construction (index.ts), no runtime @pulumi/aws, one rule per file", () => {
        const files = sourceFiles(POLICIES);
        for (const f of files) {
            const text = fs.readFileSync(f, "utf8");
            const constructs = /new PolicyPack\(/.test(text);
            assert.strictEqual(constructs, path.relative(POLICIES, f) === "index.ts", `${f} constructs a PolicyPack`);
            assert.ok(!/from\s+["']@pulumi\/aws["']|require\(["']@pulumi\/aws["']\)/.test(text.replace(/import type[^;]+;/g, "")), `${f} imports @pulumi/aws`);
        }
        const rules = fs.readdirSync(path.join(POLICIES, "rules")).filter(f => f.endsWith(".ts")).map(f => f.replace(/\.ts$/, "")).sort();
        assert.deepStrictEqual(rules, [...EXPECTED].sort());
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES, "package.json"), "utf8"));
        assert.strictEqual(pkg.main, "bin/index.js");
    });
});

describe("policies: one AnalyzeStack pass for the three graph policies, with per-policy levels and config", () => {
    const pack = withPack();
    const program = () => {
        const s = signingSetup();
        const csc = enforceCsc("warn-csc", [s.profile.versionArn], { untrustedArtifactOnDeployment: "Warn" });
        const layer = new aws.lambda.LayerVersion("inline-layer", { layerName: "inline-layer", code: codeArchive() });
        new aws.lambda.Function("fn", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive(), codeSigningConfigArn: csc.arn, layers: [layer.arn, DATADOG_LAYER_ARN] });
    };
    const graphDiags = (d: Array<{ policy: string; level: string }>) =>
        d.filter(x => x.policy.startsWith("lambda-") && x.policy !== "lambda-csc-enforce-mode").map(x => `${x.policy}:${x.level}`).sort();

    it("every graph policy reports under its own name and level", async () => {
        const { preview } = await pack.both(program);
        assert.deepStrictEqual(graphDiags(preview), [
            "lambda-enforce-code-signing:mandatory",
            "lambda-signed-code:mandatory",
            "lambda-signed-layers:mandatory",
            "lambda-signed-layers:mandatory",
        ]);
        for (const d of preview.filter(x => x.policy === "lambda-signed-layers")) {
            assert.match(d.message, /^Every layer of a Lambda function must be signed by a publisher its code signing config allows\.\n/);
        }
    });

    it("honours levels when the first policy is disabled (another one leads) and advisory levels", async () => {
        const stack = await runProgram(program, { preview: true });
        const d = await pack.session().analyze(stack, {
            "lambda-enforce-code-signing": "disabled",
            "lambda-signed-layers": { enforcementLevel: "advisory", trustedLayerArns: [DATADOG_LAYER_GLOB] },
            "lambda-signed-code": "remediate",
        });
        assert.deepStrictEqual(graphDiags(d), ["lambda-signed-code:mandatory", "lambda-signed-layers:advisory"]);
        const all = await pack.session().analyze(stack, { all: "disabled" });
        assert.deepStrictEqual(all, []);
        const onlyCode = await pack.session().analyze(stack, { all: "disabled", "lambda-signed-code": "mandatory" });
        assert.deepStrictEqual(graphDiags(onlyCode), ["lambda-signed-code:mandatory"]);
    });
});
