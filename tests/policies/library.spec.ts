/**
 * policies/library.ts: the factory an organisation composes into its own pack (levels, config as defaults, strict
 * validation of its argument), no side effects on import, and the single-pass wrap only where it is exact.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import type { Policy, StackValidationPolicy } from "@pulumi/policy";
import * as library from "../../policies/library";
import {
    lambdaCodeSigningPolicies, lambdaCodeSigningPolicyNames, lambdaSignedLayers, LambdaCodeSigningPolicyConfig, singlePassAvailable,
} from "../../policies/library";
import { T, UNKNOWN, analyzeResource, analyzeStack, r } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const DATADOG = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115";

/** The exported policy constants, in the library's order. */
const EXPORTED = [
    library.lambdaEnforceCodeSigning, library.lambdaSignedLayers, library.lambdaSignedCode, library.lambdaImageFunctions,
    library.signerProfileHygiene, library.signerJobNoIgnoreFailure, library.lambdaCscEnforceMode, library.lambdaCloudformationTemplateUrl,
] as Policy[];
const LAYER_VIOLATION = {
    policy: "lambda-signed-layers",
    level: "mandatory",
    urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack$aws:lambda/function:Function::fn",
    message: "Every layer of a Lambda function must be signed by a publisher its code signing config allows.\nLambda function \"fn\" uses layer arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115, which is not created in this stack and matches no pattern in trustedLayerArns, so its publisher can't be verified. If its vendor signs it with a profile your code signing config allows, add the publisher to trustedLayerArns (e.g. \"arn:aws:lambda:*:<account>:layer:<name>*\"); otherwise deploy the layer with SignedLayer (lambda-code-signing).",
};
const CODE_VIOLATION = {
    policy: "lambda-signed-code",
    level: "mandatory",
    urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack$aws:lambda/function:Function::fn",
    message: "Every Zip-packaged Lambda function's code must come from an AWS Signer signing job whose profile its code signing config allows.\nLambda function \"fn\": its code is signed by SigningJob \"job\" with profile \"team\", which CodeSigningConfig \"csc\" does not provably allow (allowed: SigningProfile \"profile\"). Sign it with a profile the code signing config allows (set the SigningJob's profileName from that SigningProfile), or add the profile's versionArn to the config's allowedPublishers.",
};

const byName = (policies: Policy[]) => Object.fromEntries(policies.map(p => [p.name, p]));
const levels = (policies: Policy[]) => policies.map(p => `${p.name}:${p.enforcementLevel}`);

/** A function behind an Enforce CSC whose only problem is the vendor layer (untrusted unless configured). */
function vendorLayerStack() {
    const job = r(T.job, "job", { profileName: "team", signedObjects: UNKNOWN });
    const profile = r(T.profile, "profile", { name: "team", platformId: "AWSLambda-SHA384-ECDSA", versionArn: UNKNOWN });
    const csc = r(T.csc, "csc", { policies: { untrustedArtifactOnDeployment: "Enforce" }, allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, arn: UNKNOWN },
        { "allowedPublishers": [profile] });
    const fn = r(T.fn, "fn", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN, layers: [DATADOG], role: "r", handler: "h", runtime: "nodejs20.x" },
        { s3Bucket: [job], s3Key: [job], codeSigningConfigArn: [csc] });
    return [profile, job, csc, fn];
}

describe("policies/library: lambdaCodeSigningPolicies", () => {
    it("returns every policy in the shipped pack's order, each at its own level, without touching the exported ones", () => {
        const policies = lambdaCodeSigningPolicies({}, { singlePass: false });
        assert.deepStrictEqual(policies.map(p => p.name), [...lambdaCodeSigningPolicyNames]);
        assert.deepStrictEqual(levels(policies).filter(l => !l.endsWith(":mandatory")), ["lambda-cloudformation-template-url:advisory"]);
        assert.ok(!policies.includes(lambdaSignedLayers), "a copy, not the exported constant");
    });

    it("applies levels like a policy config file: all first, then per policy", () => {
        const policies = byName(lambdaCodeSigningPolicies({
            all: "advisory",
            "lambda-signed-code": "mandatory",
            "lambda-signed-layers": { enforcementLevel: "disabled" },
            "signer-profile-hygiene": { maxSignatureValidityMonths: 24 },
        }, { singlePass: false }));
        assert.strictEqual(policies["lambda-enforce-code-signing"].enforcementLevel, "advisory");
        assert.strictEqual(policies["lambda-signed-code"].enforcementLevel, "mandatory");
        assert.strictEqual(policies["lambda-signed-layers"].enforcementLevel, "disabled");
        assert.strictEqual(policies["signer-profile-hygiene"].enforcementLevel, "advisory");
        assert.strictEqual(lambdaSignedLayers.enforcementLevel, "mandatory");
    });

    it("makes given properties the schema defaults (what the CLI sends) and the fallback of getConfig()", async () => {
        const settings: LambdaCodeSigningPolicyConfig = { "lambda-signed-layers": { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] } };
        const configured = byName(lambdaCodeSigningPolicies(settings, { singlePass: false }))["lambda-signed-layers"] as StackValidationPolicy;
        assert.deepStrictEqual(configured.configSchema?.properties.trustedLayerArns.default, ["arn:aws:lambda:*:464622532012:layer:Datadog-*"]);
        assert.deepStrictEqual(lambdaSignedLayers.configSchema?.properties.trustedLayerArns.default, []);
        // In process the server's config is empty: the policy falls back to the factory's settings.
        assert.deepStrictEqual(await analyzeStack([configured], vendorLayerStack()), []);
        const unconfigured = await analyzeStack([lambdaSignedLayers], vendorLayerStack());
        assert.deepStrictEqual(unconfigured.map(d => d.policy), ["lambda-signed-layers"]);
    });

    it("returns copies with exactly the properties of the exported policies, levels and schemas aside", () => {
        const settings: LambdaCodeSigningPolicyConfig = {
            all: "advisory", "signer-profile-hygiene": { maxSignatureValidityMonths: 24 }, "lambda-signed-layers": { trustedLayerArns: [] },
        };
        for (const config of [{}, settings]) {
            const policies = lambdaCodeSigningPolicies(config, { singlePass: false });
            assert.deepStrictEqual(policies.map(p => Object.keys(p).sort()), EXPORTED.map(p => Object.keys(p).sort()));
        }
    });

    it("runs a configured resource policy with the factory's properties as its config", async () => {
        const profile = { platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 36 } };
        const hygiene = byName(lambdaCodeSigningPolicies({ "signer-profile-hygiene": { maxSignatureValidityMonths: 24 } }, { singlePass: false }))["signer-profile-hygiene"];
        assert.deepStrictEqual(await analyzeResource([hygiene], T.profile, "sp", profile), [{
            policy: "signer-profile-hygiene",
            level: "mandatory",
            urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack$aws:signer/signingProfile:SigningProfile::sp",
            message: "AWS Signer signing profiles must use an allowed platform (default AWSLambda-SHA384-ECDSA) and a signature validity of at most maxSignatureValidityMonths.\nSigningProfile \"sp\" signs with a validity of 36 MONTHS (36 months), more than maxSignatureValidityMonths (24). Set signatureValidityPeriod to { type: \"MONTHS\", value: 24 } or less.",
        }]);
        assert.deepStrictEqual(await analyzeResource([library.signerProfileHygiene], T.profile, "sp", profile), [], "135 months by default");
    });

    it("still reports what a configured stack policy's settings don't trust", async () => {
        const layers = byName(lambdaCodeSigningPolicies({ "lambda-signed-layers": { trustedLayerArns: ["arn:aws:lambda:*:111111111111:layer:Other-*"] } },
            { singlePass: false }))["lambda-signed-layers"];
        assert.deepStrictEqual(await analyzeStack([layers], vendorLayerStack()), [LAYER_VIOLATION]);
    });

    it("gives the same verdicts in one pass as policy by policy, with every other policy unchanged", async () => {
        const single = lambdaCodeSigningPolicies({ all: "advisory", "lambda-signed-layers": "mandatory", "lambda-signed-code": "mandatory" });
        const separate = lambdaCodeSigningPolicies({ all: "advisory", "lambda-signed-layers": "mandatory", "lambda-signed-code": "mandatory" }, { singlePass: false });
        assert.deepStrictEqual(levels(single), levels(separate));
        assert.deepStrictEqual(single.slice(3), separate.slice(3));
        assert.deepStrictEqual(await analyzeStack(single, vendorLayerStack()), [LAYER_VIOLATION, CODE_VIOLATION]);
        assert.deepStrictEqual(await analyzeStack(separate, vendorLayerStack()), [LAYER_VIOLATION, CODE_VIOLATION]);
    });

    it("evaluates the graph policies in one pass where exact, and never with singlePass: false", () => {
        assert.strictEqual(singlePassAvailable(), true, "in this repository one @pulumi/policy 1.21 serves");
        const single = lambdaCodeSigningPolicies({});
        const graph = single.slice(0, 3) as StackValidationPolicy[];
        assert.strictEqual(typeof graph[0].validateStack, "function", "the leader runs the pass");
        assert.deepStrictEqual([graph[1].validateStack, graph[2].validateStack], [undefined, undefined], "the others ride along");
        const separate = lambdaCodeSigningPolicies({}, { singlePass: false }).slice(0, 3) as StackValidationPolicy[];
        assert.ok(separate.every(p => typeof p.validateStack === "function"));
    });

    it("has no side effect on import: no server, no patched @pulumi/policy internals", () => {
        const probe = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", `
            require(${JSON.stringify(path.join(ROOT, "policies", "library"))});
            const deserialize = require("@pulumi/policy/deserialize").deserializeProperties;
            const protoutil = require("@pulumi/policy/protoutil");
            console.log(JSON.stringify({ memo: Boolean(deserialize.__lambdaCodeSigningMemo), info: protoutil.makeAnalyzerInfo.name }));
        `], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
        assert.strictEqual(probe.status, 0, probe.stderr);
        assert.deepStrictEqual(JSON.parse(probe.stdout), { memo: false, info: "makeAnalyzerInfo" });
    });
});
