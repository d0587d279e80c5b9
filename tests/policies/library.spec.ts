/**
 * policies/library.ts: the factory an organisation composes into its own pack (levels, config as defaults, strict
 * validation of its argument), no side effects on import, and the single-pass wrap only where it is exact.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import type { Policy, StackValidationPolicy } from "@pulumi/policy";
import {
    lambdaCodeSigningPolicies, lambdaCodeSigningPolicyNames, lambdaSignedLayers, LambdaCodeSigningPolicyConfig,
    PolicyConfigurationError, singlePassAvailable,
} from "../../policies/library";
import { T, UNKNOWN, analyzeStack, r, stringArchive } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const DATADOG = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115";

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

    const invalid: Array<[string, unknown, RegExp]> = [
        ["an unknown policy", { "lambda-signed-everything": "mandatory" }, /"lambda-signed-everything" is not a lambda-code-signing policy\. Use "all" or one of lambda-enforce-code-signing/],
        ["an unknown property", { "lambda-signed-layers": { trustedLayers: [] } }, /"lambda-signed-layers"\.trustedLayers is not a property of this policy\. Use trustedLayerArns/],
        ["a property of a policy that takes none", { "signer-job-no-ignore-failure": { strict: true } }, /takes no properties besides enforcementLevel/],
        ["a malformed level", { all: "strict" }, /all is "strict", not an enforcement level\. Use one of advisory, mandatory, remediate, disabled/],
        ["a malformed per-policy level", { "lambda-signed-code": { enforcementLevel: "on" } }, /"lambda-signed-code"\.enforcementLevel is "on"/],
        ["a value of the wrong type", { "signer-profile-hygiene": { maxSignatureValidityMonths: "12" } }, /"signer-profile-hygiene"\.maxSignatureValidityMonths must be of type/],
        ["a list with a non-string", { "lambda-signed-layers": { trustedLayerArns: ["arn:a", 7] } }, /trustedLayerArns \[1\] must be of type string/],
        ["a value outside the enum", { "lambda-image-functions": { imageFunctions: "maybe" } }, /imageFunctions must be one of "deny", "allow"/],
        ["not an object", ["mandatory"], /config must be an object/],
    ];
    for (const [what, config, message] of invalid) {
        it(`rejects ${what} with a PolicyConfigurationError naming it`, () => {
            assert.throws(() => lambdaCodeSigningPolicies(config as LambdaCodeSigningPolicyConfig),
                (e: unknown) => e instanceof PolicyConfigurationError && message.test((e as Error).message));
        });
    }

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
