import * as assert from "assert";
import * as fc from "fast-check";
import {
    checkCodeSigningConfig,
    cscModeOf,
    lambdaCscEnforceMode,
    remediateCodeSigningConfig,
    unremediableReason,
} from "../../../policies/rules/lambda-csc-enforce-mode";
import { T, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, remediateResource, secret, withConfig, withPack } from "../helpers";
import { enforceCsc, signedFunction, signedObject, signingSetup } from "../programs";

const P = "lambda-csc-enforce-mode";
const SIG = "4dabf18193072939515e22adb298388d";

/** The violation texts of a diagnostic list (the server prefixes each with the policy description and a newline). */
const messages = (d: Array<{ message: string }>) => d.map(x => x.message.slice(x.message.indexOf("\n") + 1));

const NO_POLICIES = "has no policies (AWS then defaults untrustedArtifactOnDeployment to Warn)";
const POLICIES_NOT_OBJECT = "has policies that is unknown during preview or not an object";
const FIELD_UNSET = "does not set policies.untrustedArtifactOnDeployment (AWS then defaults to Warn)";
const FIELD_NOT_STRING = "has policies.untrustedArtifactOnDeployment unknown during preview or not a string";

/** CSC type, inputs, the mode cscModeOf gives and why. */
const MODE_CASES: Array<[string, Record<string, unknown>, "Enforce" | "Warn" | "unknown", string]> = [
    [T.csc, { policies: { untrustedArtifactOnDeployment: "Enforce" } }, "Enforce", "enforces"],
    [T.csc, { policies: { untrustedArtifactOnDeployment: secret("Enforce") } }, "Enforce", "enforces"],
    [T.csc, { policies: secret({ untrustedArtifactOnDeployment: "Enforce" }) }, "Enforce", "enforces"],
    [T.csc, {}, "Warn", NO_POLICIES],
    [T.csc, { policies: null }, "Warn", NO_POLICIES],
    [T.csc, { policies: UNKNOWN }, "unknown", POLICIES_NOT_OBJECT],
    [T.csc, { policies: "Enforce" }, "unknown", POLICIES_NOT_OBJECT],
    [T.csc, { policies: [{ untrustedArtifactOnDeployment: "Enforce" }] }, "unknown", POLICIES_NOT_OBJECT],
    [T.csc, { policies: {} }, "Warn", FIELD_UNSET],
    [T.csc, { policies: { untrustedArtifactOnDeployment: null } }, "Warn", FIELD_UNSET],
    [T.csc, { policies: { untrustedArtifactOnDeployment: "" } }, "Warn", FIELD_UNSET],
    [T.csc, { policies: { untrustedArtifactOnDeployment: UNKNOWN } }, "unknown", FIELD_NOT_STRING],
    [T.csc, { policies: { untrustedArtifactOnDeployment: 1 } }, "unknown", FIELD_NOT_STRING],
    [T.csc, { policies: { untrustedArtifactOnDeployment: { value: "Enforce" } } }, "unknown", FIELD_NOT_STRING],
    [T.csc, { policies: { untrustedArtifactOnDeployment: "Warn" } }, "Warn", `sets policies.untrustedArtifactOnDeployment to "Warn"`],
    [T.csc, { policies: { untrustedArtifactOnDeployment: "enforce" } }, "Warn", `sets policies.untrustedArtifactOnDeployment to "enforce"`],
    [T.csc, { codeSigningPolicies: { untrustedArtifactOnDeployment: "Enforce" } }, "Warn", NO_POLICIES],
    [T.nativeCsc, { codeSigningPolicies: { untrustedArtifactOnDeployment: "Enforce" } }, "Enforce", "enforces"],
    [T.nativeCsc, { policies: { untrustedArtifactOnDeployment: "Enforce" } }, "Warn", "has no codeSigningPolicies (AWS then defaults untrustedArtifactOnDeployment to Warn)"],
    [T.nativeCsc, { codeSigningPolicies: UNKNOWN }, "unknown", "has codeSigningPolicies that is unknown during preview or not an object"],
    [T.nativeCsc, { codeSigningPolicies: {} }, "Warn", "does not set codeSigningPolicies.untrustedArtifactOnDeployment (AWS then defaults to Warn)"],
    [T.nativeCsc, { codeSigningPolicies: { untrustedArtifactOnDeployment: UNKNOWN } }, "unknown", "has codeSigningPolicies.untrustedArtifactOnDeployment unknown during preview or not a string"],
    [T.nativeCsc, { codeSigningPolicies: { untrustedArtifactOnDeployment: "Warn" } }, "Warn", `sets codeSigningPolicies.untrustedArtifactOnDeployment to "Warn"`],
];

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
        it("names what each CSC lacks, for classic and aws-native CSCs, failing closed on unknowns", async () => {
            for (const [type, props, mode, why] of MODE_CASES) {
                const flavor = type === T.csc ? "classic" : "native";
                assert.deepStrictEqual(cscModeOf(flavor, props), { mode, why }, `${type} ${JSON.stringify(props)}`);
                const key = flavor === "classic" ? "policies" : "codeSigningPolicies";
                const d = await analyzeResource([lambdaCscEnforceMode], type, "c", props);
                assertNoCantRun(d);
                assert.deepStrictEqual(messages(d), mode === "Enforce" ? [] : [
                    `CodeSigningConfig "c" ${why}, so Lambda would deploy unsigned or untrusted code with only a warning. ` +
                        `Set ${key}.untrustedArtifactOnDeployment to the literal "Enforce" ` +
                        `(or run this policy at enforcement level "remediate" to have it rewritten).`,
                ], `${type} ${JSON.stringify(props)}`);
            }
        });

        it("judges only code signing configs: other resources with a policies block are not reported", async () => {
            assert.deepStrictEqual(await analyzeResource([lambdaCscEnforceMode], T.fn, "c", { policies: null }), []);
            assert.strictEqual(checkCodeSigningConfig(T.fn, "c", {}), undefined);
            assert.strictEqual(remediateCodeSigningConfig(T.fn, {}), undefined);
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
            const fix = `, so Lambda would deploy unsigned or untrusted code with only a warning. ` +
                `Set CodeSigningPolicies.UntrustedArtifactOnDeployment to the literal "Enforce" in the template.`;
            assert.deepStrictEqual(messages(d), [
                `CodeSigningConfig "Warn" of CloudFormation stack "cfn" sets UntrustedArtifactOnDeployment to Warn${fix}`,
                `CodeSigningConfig "Bare" of CloudFormation stack "cfn" has no CodeSigningPolicies (AWS then defaults to Warn)${fix}`,
                `CodeSigningConfig "Empty" of CloudFormation stack "cfn" does not set CodeSigningPolicies.UntrustedArtifactOnDeployment (AWS then defaults to Warn)${fix}`,
                `CodeSigningConfig "Param" of CloudFormation stack "cfn" has an UntrustedArtifactOnDeployment that is not a literal${fix}`,
            ]);
            assert.deepStrictEqual(await remediateResource([{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" }], T.cfnStack, "cfn", { templateBody: body }), []);
        });

        it("reports an invalid configuration on the resources it judges (CSCs and CloudFormation stacks), and only there", async () => {
            const policy = withConfig(lambdaCscEnforceMode, { level: "high" });
            const invalid =
                `Invalid configuration of policy "lambda-csc-enforce-mode": level is not a property of this policy. ` +
                `Remove it: this policy has no properties besides enforcementLevel. ` +
                `Until the configuration is fixed, "lambda-csc-enforce-mode" applies its most restrictive setting for level.`;
            const enforce = { untrustedArtifactOnDeployment: "Enforce" };
            for (const [type, props] of [
                [T.csc, { policies: enforce }],
                [T.nativeCsc, { codeSigningPolicies: enforce }],
                [T.cfnStack, { templateBody: "{}" }],
                ["aws-native:cloudformation:Stack", { templateBody: "{}" }],
            ] as const) {
                assert.deepStrictEqual(messages(await analyzeResource([policy], type, "c", props)), [invalid], type);
            }
            assert.deepStrictEqual(messages(await analyzeResource([policy], T.csc, "c", { policies: { untrustedArtifactOnDeployment: "Warn" } })), [
                invalid,
                `CodeSigningConfig "c" sets policies.untrustedArtifactOnDeployment to "Warn", so Lambda would deploy unsigned or untrusted code ` +
                    `with only a warning. Set policies.untrustedArtifactOnDeployment to the literal "Enforce" ` +
                    `(or run this policy at enforcement level "remediate" to have it rewritten).`,
            ]);
            for (const type of [T.fn, T.layer, T.profile]) {
                assert.deepStrictEqual(await analyzeResource([policy], type, "c", {}), [], type);
            }
        });

        it("refuses to rewrite inputs of more than 100 001 values (bounded walk) and rewrites anything up to that size", () => {
            // The walk visits the props object, the policies block and its string, the list and each of its elements.
            const ofSize = (values: number) => ({ policies: { untrustedArtifactOnDeployment: "Warn" }, tags: new Array(values - 4).fill(0) });
            assert.strictEqual(unremediableReason(ofSize(100_001)), undefined);
            assert.deepStrictEqual(remediateCodeSigningConfig(T.csc, ofSize(100_001))!.policies, { untrustedArtifactOnDeployment: "Enforce" });
            assert.strictEqual(unremediableReason(ofSize(100_002)), "its inputs are too large to rewrite");
            assert.strictEqual(remediateCodeSigningConfig(T.csc, ofSize(100_002)), undefined);
            assert.strictEqual(checkCodeSigningConfig(T.csc, "big", ofSize(100_002)),
                `CodeSigningConfig "big" sets policies.untrustedArtifactOnDeployment to "Warn", so Lambda would deploy unsigned or untrusted code ` +
                    `with only a warning. Set policies.untrustedArtifactOnDeployment to the literal "Enforce" ` +
                    `(it can't be rewritten automatically: its inputs are too large to rewrite).`);
        });

        it("plain data, including objects without a prototype, is always rewritten and carried over unchanged", () => {
            fc.assert(fc.property(fc.object({ withNullPrototype: true, maxDepth: 3 }), extra => {
                const props = { ...extra, policies: { untrustedArtifactOnDeployment: "Warn" } };
                assert.strictEqual(unremediableReason(props), undefined);
                assert.deepStrictEqual(remediateCodeSigningConfig(T.csc, props), { ...extra, policies: { untrustedArtifactOnDeployment: "Enforce" } });
            }));
            const bare = Object.assign(Object.create(null), { team: "payments" });
            assert.strictEqual(unremediableReason({ policies: null, tags: bare }), undefined);
        });
    });
});
