/**
 * policies/library.ts: lambdaCodeSigningPolicies rejects every malformed argument with a PolicyConfigurationError that
 * names the setting and the fix (never a silently ignored or weakened setting), and its schema check covers every
 * schema the policies declare.
 */
import * as assert from "assert";
import type { Policy } from "@pulumi/policy";
import { lambdaCodeSigningPolicies, lambdaCodeSigningPolicyNames, LambdaCodeSigningPolicyConfig, PolicyConfigurationError } from "../../policies/library";

const NAMES = lambdaCodeSigningPolicyNames.join(", ");
const FIX_VALUE = "Fix the value (see the policy's configuration reference)";
const NOT_A_SETTING = `must be an enforcement level or an object. Pass e.g. "mandatory" or { enforcementLevel: "advisory" }`;
const NOT_A_LEVEL = "not an enforcement level. Use one of advisory, mandatory, remediate, disabled";

function rejection(config: unknown): string {
    try {
        lambdaCodeSigningPolicies(config as LambdaCodeSigningPolicyConfig, { singlePass: false });
    } catch (e) {
        assert.ok(e instanceof PolicyConfigurationError, `a PolicyConfigurationError, not ${String(e)}`);
        return e.message;
    }
    assert.fail(`accepted ${JSON.stringify(config)}`);
}

describe("policies/library: lambdaCodeSigningPolicies validates its argument", () => {
    const invalid: Array<[string, unknown, string]> = [
        ["an array as config", ["mandatory"], `config must be an object. Pass e.g. { all: "mandatory" }`],
        ["null as config", null, `config must be an object. Pass e.g. { all: "mandatory" }`],
        ["a level as config", "mandatory", `config must be an object. Pass e.g. { all: "mandatory" }`],
        ["an unknown policy", { "lambda-signed-everything": "mandatory" }, `"lambda-signed-everything" is not a lambda-code-signing policy. Use "all" or one of ${NAMES}`],
        ["a malformed level for all", { all: "strict" }, `all is "strict", ${NOT_A_LEVEL}`],
        ["a malformed level given as a string", { "lambda-signed-code": "on" }, `"lambda-signed-code" is "on", ${NOT_A_LEVEL}`],
        ["a malformed enforcementLevel", { "lambda-signed-code": { enforcementLevel: "on" } }, `"lambda-signed-code".enforcementLevel is "on", ${NOT_A_LEVEL}`],
        ["null as a policy setting", { "lambda-signed-layers": null }, `"lambda-signed-layers" ${NOT_A_SETTING}`],
        ["a number as a policy setting", { "lambda-signed-layers": 1 }, `"lambda-signed-layers" ${NOT_A_SETTING}`],
        ["an array as a policy setting", { "lambda-signed-layers": ["mandatory"] }, `"lambda-signed-layers" ${NOT_A_SETTING}`],
        ["an unknown property", { "lambda-signed-layers": { trustedLayers: [] } },
            `"lambda-signed-layers".trustedLayers is not a property of this policy. Use trustedLayerArns, trustedSignedArtifacts`],
        ["a property of a policy that takes none", { "signer-job-no-ignore-failure": { strict: true } },
            `"signer-job-no-ignore-failure".strict is not a property of this policy. This policy takes no properties besides enforcementLevel`],
        ["a property of the remediating policy", { "lambda-csc-enforce-mode": { mode: "Enforce" } },
            `"lambda-csc-enforce-mode".mode is not a property of this policy. This policy takes no properties besides enforcementLevel`],
        ["a string for an integer", { "signer-profile-hygiene": { maxSignatureValidityMonths: "12" } },
            `"signer-profile-hygiene".maxSignatureValidityMonths must be of type integer. ${FIX_VALUE}`],
        ["a fraction for an integer", { "signer-profile-hygiene": { maxSignatureValidityMonths: 12.5 } },
            `"signer-profile-hygiene".maxSignatureValidityMonths must be of type integer. ${FIX_VALUE}`],
        ["an integer below the minimum", { "signer-profile-hygiene": { maxSignatureValidityMonths: 0 } },
            `"signer-profile-hygiene".maxSignatureValidityMonths must be at least 1. ${FIX_VALUE}`],
        ["an integer above the maximum", { "signer-profile-hygiene": { maxSignatureValidityMonths: 136 } },
            `"signer-profile-hygiene".maxSignatureValidityMonths must be at most 135. ${FIX_VALUE}`],
        ["a string for a list", { "lambda-signed-layers": { trustedLayerArns: "arn:a" } },
            `"lambda-signed-layers".trustedLayerArns must be of type array. ${FIX_VALUE}`],
        ["a list with a non-string", { "lambda-signed-layers": { trustedLayerArns: ["arn:a", 7] } },
            `"lambda-signed-layers".trustedLayerArns [1] must be of type string. ${FIX_VALUE}`],
        ["a value outside the enum", { "lambda-image-functions": { imageFunctions: "maybe" } },
            `"lambda-image-functions".imageFunctions must be one of "deny", "allow". ${FIX_VALUE}`],
    ];
    for (const [what, config, message] of invalid) {
        it(`rejects ${what}, naming the setting and the fix`, () => {
            assert.strictEqual(rejection(config), `lambdaCodeSigningPolicies: ${message}`);
        });
    }

    it("accepts the bounds of a range and every enum value", () => {
        for (const months of [1, 135]) {
            const hygiene = lambdaCodeSigningPolicies({ "signer-profile-hygiene": { maxSignatureValidityMonths: months } }, { singlePass: false })
                .find(p => p.name === "signer-profile-hygiene")!;
            assert.strictEqual(hygiene.configSchema?.properties.maxSignatureValidityMonths.default, months);
        }
        for (const imageFunctions of ["deny", "allow"] as const) {
            assert.doesNotThrow(() => lambdaCodeSigningPolicies({ "lambda-image-functions": { imageFunctions } }, { singlePass: false }));
        }
    });

    it("checks every schema feature the policies use: types array, string and integer, items, enum, minimum, maximum", () => {
        const checked = new Set(["type", "items", "enum", "minimum", "maximum", "default", "description"]);
        const visit = (where: string, schema: Record<string, any>) => {
            assert.deepStrictEqual(Object.keys(schema).filter(k => !checked.has(k)), [], `${where}: a schema keyword the factory doesn't check`);
            assert.ok(["array", "string", "integer"].includes(schema.type), `${where}: type ${schema.type} isn't checked by the factory`);
            if (schema.items) {
                visit(`${where}[]`, schema.items);
            }
        };
        for (const policy of lambdaCodeSigningPolicies({}, { singlePass: false })) {
            for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
                visit(`${policy.name}.${key}`, schema as Record<string, any>);
            }
        }
    });

    it("takes no properties for a remediating policy, so remediation never needs the factory's defaults", () => {
        const remediating = lambdaCodeSigningPolicies({}, { singlePass: false })
            .filter((p: Policy & { remediateResource?: unknown }) => typeof p.remediateResource === "function");
        assert.deepStrictEqual(remediating.map(p => [p.name, Object.keys(p.configSchema?.properties ?? {})]), [["lambda-csc-enforce-mode", []]]);
    });
});
