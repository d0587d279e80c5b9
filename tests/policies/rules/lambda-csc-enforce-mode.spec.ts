import * as assert from "assert";
import { lambdaCscEnforceMode } from "../../../policies/rules/lambda-csc-enforce-mode";
import { T, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, remediateResource, secret, withPack } from "../helpers";
import { enforceCsc, signedFunction, signedObject, signingSetup } from "../programs";

const P = "lambda-csc-enforce-mode";
const SIG = "4dabf18193072939515e22adb298388d";

describe("policies/rules/lambda-csc-enforce-mode", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();
        const program = () => {
            const s = signingSetup();
            const warn = enforceCsc("warn-csc", [s.profile.versionArn], { untrustedArtifactOnDeployment: "Warn" });
            const bare = enforceCsc("bare-csc", [s.profile.versionArn], null);
            signedFunction("fn-warn", signedObject("fn-warn", s), warn.arn);
            signedFunction("fn-bare", signedObject("fn-bare", s), bare.arn);
        };

        it("reports Warn and missing policies on the CSC itself", async () => {
            const { preview, urn } = await pack.both(program);
            expectViolations(preview, [
                { policy: P, urn: urn("warn-csc"), message: [/CodeSigningConfig "warn-csc" sets policies\.untrustedArtifactOnDeployment to "Warn"/, /Set policies\.untrustedArtifactOnDeployment to the literal "Enforce"/] },
                { policy: P, urn: urn("bare-csc"), message: /has no policies/ },
                { policy: "lambda-enforce-code-signing", urn: urn("fn-warn") },
                { policy: "lambda-enforce-code-signing", urn: urn("fn-bare") },
            ]);
        });

        it("at enforcement level remediate, rewrites both CSCs to Enforce and nothing is left to report", async () => {
            const { preview, update } = await pack.both(program, { [P]: "remediate" });
            expectViolations(preview, []);
            expectViolations(update, []);
        });
    });

    describe("in process", () => {
        it("validates classic and aws-native CSCs, failing closed on unknowns", async () => {
            const cases: Array<[string, Record<string, unknown>, number]> = [
                [T.csc, { policies: { untrustedArtifactOnDeployment: "Enforce" } }, 0],
                [T.csc, { policies: { untrustedArtifactOnDeployment: secret("Enforce") } }, 0],
                [T.csc, { policies: UNKNOWN }, 1],
                [T.csc, { policies: { untrustedArtifactOnDeployment: UNKNOWN } }, 1],
                [T.csc, { policies: null }, 1],
                [T.nativeCsc, { codeSigningPolicies: { untrustedArtifactOnDeployment: "Enforce" } }, 0],
                [T.nativeCsc, { policies: { untrustedArtifactOnDeployment: "Enforce" } }, 1],
                [T.fn, { policies: null }, 0],
            ];
            for (const [type, props, n] of cases) {
                const d = await analyzeResource([lambdaCscEnforceMode], type, "c", props);
                assertNoCantRun(d);
                assert.strictEqual(d.length, n, `${type} ${JSON.stringify(props)}`);
            }
        });

        it("remediation keeps other properties and secrets, and is a no-op on an Enforce CSC", async () => {
            const policy = { ...lambdaCscEnforceMode, enforcementLevel: "remediate" as const };
            const [rem] = await remediateResource([policy], T.csc, "c", {
                description: secret("top secret"),
                allowedPublishers: { signingProfileVersionArns: [UNKNOWN] },
                policies: { untrustedArtifactOnDeployment: UNKNOWN },
            });
            assert.strictEqual(rem.diagnostic, "");
            assert.deepStrictEqual(rem.properties, {
                description: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "top secret" },
                allowedPublishers: { signingProfileVersionArns: [UNKNOWN] },
                policies: { untrustedArtifactOnDeployment: "Enforce" },
            });
            const [native] = await remediateResource([policy], T.nativeCsc, "n", { allowedPublishers: { signingProfileVersionArns: ["a"] } });
            assert.deepStrictEqual(native.properties!.codeSigningPolicies, { untrustedArtifactOnDeployment: "Enforce" });
            assert.deepStrictEqual(await remediateResource([policy], T.csc, "ok", { policies: { untrustedArtifactOnDeployment: "Enforce" } }), []);
        });
    
        it("never hands back props the policy server would mangle: reserved proxy keys and assets are left alone and reported", async () => {
            const remediate = [{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" as const }];
            for (const [props, why] of [
                [{ policies: { untrustedArtifactOnDeployment: "Warn", __isSpecialProxy: true, __getSpecialProxyTarget: {} } }, `its inputs hold a property named "__isSpecialProxy", which @pulumi/policy reserves for its proxies`],
                [{ __getSpecialProxyTarget: { policies: { untrustedArtifactOnDeployment: "Enforce" } }, policies: { untrustedArtifactOnDeployment: "Warn" } }, `its inputs hold a property named "__getSpecialProxyTarget", which @pulumi/policy reserves for its proxies`],
                [{ policies: { untrustedArtifactOnDeployment: "Warn" }, tags: { x: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", text: "a" } } }, `its inputs hold an asset, archive or other value the policy server can't write back`],
            ] as const) {
                assert.deepStrictEqual(await remediateResource(remediate, T.csc, "csc", props as any), [], why);
                const d = await analyzeResource([lambdaCscEnforceMode], T.csc, "csc", props as any);
                assert.strictEqual(d.length, 1);
                assert.ok(d[0].message.endsWith(`(it can't be rewritten automatically: ${why}).`), d[0].message);
            }
            const fine = await remediateResource(remediate, T.csc, "csc", { policies: { untrustedArtifactOnDeployment: "Warn" }, tags: { a: [1, { b: secret("s") }] } });
            assert.deepStrictEqual(fine[0].properties, { policies: { untrustedArtifactOnDeployment: "Enforce" }, tags: { a: [1, { b: secret("s") }] } });
        });

        it("validates the code signing configs of an inline CloudFormation template (validation only)", async () => {
            const body = [
                "Resources:",
                "  Warn: { Type: AWS::Lambda::CodeSigningConfig, Properties: { CodeSigningPolicies: { UntrustedArtifactOnDeployment: Warn } } }",
                "  Bare: { Type: AWS::Lambda::CodeSigningConfig, Properties: {} }",
                "  Empty: { Type: AWS::Lambda::CodeSigningConfig, Properties: { CodeSigningPolicies: {} } }",
                "  Param: { Type: AWS::Lambda::CodeSigningConfig, Properties: { CodeSigningPolicies: { UntrustedArtifactOnDeployment: !Ref Mode } } }",
                "  Good: { Type: AWS::Lambda::CodeSigningConfig, Properties: { CodeSigningPolicies: { UntrustedArtifactOnDeployment: Enforce } } }",
            ].join("\n");
            const d = await analyzeResource([lambdaCscEnforceMode], T.cfnStack, "cfn", { templateBody: body });
            assert.deepStrictEqual(d.map(x => x.message.split("\n")[1].split(", so Lambda")[0]), [
                `CodeSigningConfig "Warn" of CloudFormation stack "cfn" sets UntrustedArtifactOnDeployment to Warn`,
                `CodeSigningConfig "Bare" of CloudFormation stack "cfn" has no CodeSigningPolicies (AWS then defaults to Warn)`,
                `CodeSigningConfig "Empty" of CloudFormation stack "cfn" does not set CodeSigningPolicies.UntrustedArtifactOnDeployment (AWS then defaults to Warn)`,
                `CodeSigningConfig "Param" of CloudFormation stack "cfn" has an UntrustedArtifactOnDeployment that is not a literal`,
            ]);
            assert.deepStrictEqual(await remediateResource([{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" }], T.cfnStack, "cfn", { templateBody: body }), []);
        });
});
});
