import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { T, TestResource, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_OBJECT, analyzeStack, assertNoCantRun, expectViolations, r, secret, withConfig, withPack } from "../helpers";
import {
    EXTERNAL_CSC_ARN,
    ROLE_ARN,
    Wrapper,
    codeArchive,
    compliantProgram,
    enforceCsc,
    signedFunction,
    signedObject,
    signingSetup,
} from "../programs";

const P = "lambda-enforce-code-signing";

describe("policies/rules/lambda-enforce-code-signing", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();

        it("passes a signed function behind an in-stack Enforce CSC (no violation from any policy)", async () => {
            const { preview, update } = await pack.both(() => compliantProgram());
            expectViolations(preview, []);
            expectViolations(update, []);
        });

        it("passes functions nested two components deep", async () => {
            const { preview } = await pack.both(() => {
                new Wrapper("outer", o => {
                    new Wrapper("inner", o2 => compliantProgram(o2), o);
                });
            });
            expectViolations(preview, []);
        });

        it("reports a nested function whose CSC is Warn (URN of the nested function)", async () => {
            const { preview, urn } = await pack.both(() => {
                new Wrapper("outer", o => {
                    const s = signingSetup("app", o);
                    const csc = enforceCsc("warn-csc", [s.profile.versionArn], { untrustedArtifactOnDeployment: "Warn" }, o);
                    signedFunction("nested-fn", signedObject("nested-fn", s, o), csc.arn, {}, o);
                });
            });
            expectViolations(preview, [
                { policy: P, urn: urn("nested-fn"), message: [/Lambda function "nested-fn"/, /sets untrustedArtifactOnDeployment to Warn/, /Set policies\.untrustedArtifactOnDeployment to "Enforce" on "warn-csc"/] },
                { policy: "lambda-csc-enforce-mode", urn: urn("warn-csc") },
            ]);
        });

        it("reports a function without any CSC", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                signedFunction("no-csc", signedObject("no-csc", s), undefined);
            });
            expectViolations(preview, [
                { policy: P, urn: urn("no-csc"), message: [/has no code signing config/, /deploy it with SignedFunction/] },
            ]);
        });

        it("reports a CSC without policies (AWS defaults to Warn)", async () => {
            const { update, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("bare-csc", [s.profile.versionArn], null);
                signedFunction("fn", signedObject("fn", s), csc.arn);
            });
            expectViolations(update, [
                { policy: P, urn: urn("fn"), message: [/has no policies \(AWS then defaults to Warn\)/, /Set policies\.untrustedArtifactOnDeployment to "Enforce"/] },
                { policy: "lambda-csc-enforce-mode", urn: urn("bare-csc") },
            ]);
        });

        it("reports a CSC with no allowed publishers", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("empty-csc", []);
                signedFunction("fn", signedObject("fn", s), csc.arn);
            });
            expectViolations(preview, [
                { policy: P, urn: urn("fn"), message: [/lists 0 allowed publishers/, /1\.\.20/, /Add your SigningProfile's versionArn/] },
                // The code is signed by a profile the (empty) CSC doesn't allow.
                { policy: "lambda-signed-code", urn: urn("fn"), message: [/SigningJob "fn-signing" with SigningProfile "app-profile" \(us-east-1\)/, /does not provably allow \(allowed: no identifiable profile\)/] },
            ]);
        });

        it("judges a CSC outside the stack by trustedCodeSigningConfigArns", async () => {
            const program = () => {
                const s = signingSetup();
                signedFunction("external", signedObject("external", s), EXTERNAL_CSC_ARN);
            };
            const untrusted = await pack.both(program);
            expectViolations(untrusted.preview, [
                { policy: P, urn: untrusted.urn("external"), message: [/not created in this stack and not listed in trustedCodeSigningConfigArns/, new RegExp(EXTERNAL_CSC_ARN)] },
            ]);
            const trusted = await pack.both(program, { [P]: { trustedCodeSigningConfigArns: [EXTERNAL_CSC_ARN] } });
            expectViolations(trusted.preview, []);
            expectViolations(trusted.update, []);
        });

        it("can be made advisory or disabled by config", async () => {
            const program = () => {
                const s = signingSetup();
                signedFunction("no-csc", signedObject("no-csc", s), undefined);
            };
            const advisory = await pack.session().analyze(
                await (await import("../../../engine/capture")).runProgram(program, { preview: true }),
                { [P]: "advisory" },
            );
            assert.deepStrictEqual(advisory.map(d => [d.policy, d.level]), [[P, "advisory"]]);
            const disabled = await pack.both(program, { [P]: "disabled" });
            expectViolations(disabled.preview, []);
        });

        it("skips container-image functions (lambda-image-functions owns them) and reports unsigned inline code separately", async () => {
            const { preview, urn } = await pack.both(() => {
                new aws.lambda.Function("image-fn", { role: ROLE_ARN, packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1" });
                new aws.lambda.Function("inline", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive() });
            });
            expectViolations(preview, [
                { policy: "lambda-image-functions", urn: urn("image-fn") },
                { policy: P, urn: urn("inline"), message: /has no code signing config/ },
                { policy: "lambda-signed-code", urn: urn("inline") },
            ]);
        });
    });

    describe("in process (hand-built requests with sentinels)", () => {
        const profile = r(T.profile, "p", { name: "p", platformId: "AWSLambda-SHA384-ECDSA", versionArn: UNKNOWN });
        const job = r(T.job, "j", { profileName: "p", signedObjects: UNKNOWN }, { profileName: [profile] });
        const enforce = (props: Record<string, unknown> = {}, deps = { allowedPublishers: [profile] }, type = T.csc) =>
            r(type, "csc", { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, policies: { untrustedArtifactOnDeployment: "Enforce" }, arn: UNKNOWN, ...props }, deps);
        const fn = (props: Record<string, unknown>, deps: Record<string, any[]> = {}) =>
            r(T.fn, "fn", { packageType: "Zip", s3Bucket: UNKNOWN, s3Key: UNKNOWN, ...props }, { s3Key: [job], s3Bucket: [job], ...deps });
        const run = async (resources: any[], config?: object) => {
            const d = await analyzeStack([withConfig(lambdaEnforceCodeSigning, config)], [profile, job, ...resources]);
            assertNoCantRun(d);
            return d;
        };

        it("follows propertyDependencies to an Enforce CSC whose ARN is unknown", async () => {
            const csc = enforce();
            assert.deepStrictEqual(await run([csc, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] })]), []);
        });

        it("matches a known ARN to an in-stack CSC without dependencies (update mode)", async () => {
            const arn = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1";
            const csc = enforce({ arn, policies: { untrustedArtifactOnDeployment: "Warn" } });
            const d = await run([csc, fn({ codeSigningConfigArn: arn })]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /sets untrustedArtifactOnDeployment to Warn/);
        });

        it("fails closed on an unknown ARN that traces to no CSC", async () => {
            const d = await run([fn({ codeSigningConfigArn: UNKNOWN })]);
            assert.strictEqual(d.length, 1);
            assert.strictEqual(d[0].level, "mandatory");
            assert.match(d[0].message, /unknown during preview and does not trace to a CodeSigningConfig/);
            assert.strictEqual(d[0].urn, fn({}).urn);
        });

        it("fails closed on unknown policies / mode / publisher list", async () => {
            for (const props of [
                { policies: UNKNOWN_OBJECT },
                { policies: { untrustedArtifactOnDeployment: UNKNOWN } },
                { allowedPublishers: { signingProfileVersionArns: UNKNOWN_ARRAY } },
                { allowedPublishers: UNKNOWN },
            ]) {
                const csc = enforce(props);
                const d = await run([csc, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] })]);
                assert.strictEqual(d.length, 1, JSON.stringify(props));
                assert.match(d[0].message, /unknown during preview|can't be determined/);
            }
        });

        it("reads the publisher count even when elements are unknown; 21 is too many", async () => {
            const csc = enforce({ allowedPublishers: { signingProfileVersionArns: Array(21).fill(UNKNOWN) } });
            const d = await run([csc, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] })]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /lists 21 allowed publishers/);
        });

        it("reports an unknown packageType", async () => {
            const csc = enforce();
            const d = await run([csc, fn({ packageType: UNKNOWN, codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] })]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /Set packageType as a literal \("Zip"\)/);
        });

        it("an ARN computed from two CSCs passes when both enforce, and names the one that doesn't", async () => {
            const a = enforce();
            const b = r(T.csc, "csc2", a.props, a.deps);
            assert.deepStrictEqual(await run([a, b, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [a, b] })]), []);
            const warn = r(T.csc, "csc-warn", { ...a.props, policies: { untrustedArtifactOnDeployment: "Warn" } }, a.deps);
            const d = await run([a, warn, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [a, warn] })]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /^Every Zip-packaged.*\nLambda function "fn" \(its codeSigningConfigArn may name any of 2 code signing configs; each must pass\) uses CodeSigningConfig "csc-warn", which sets untrustedArtifactOnDeployment to Warn/);
        });

        it("handles secrets, aws-native CSCs (codeSigningPolicies) and native functions", async () => {
            const csc = r(T.nativeCsc, "ncsc", {
                allowedPublishers: secret({ signingProfileVersionArns: [UNKNOWN] }),
                codeSigningPolicies: { untrustedArtifactOnDeployment: secret("Enforce") },
                codeSigningConfigArn: UNKNOWN,
            }, { allowedPublishers: [profile] });
            const nfn = r(T.nativeFn, "nfn", { code: { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, codeSigningConfigArn: secret(UNKNOWN) }, { code: [job], codeSigningConfigArn: [csc] });
            assert.deepStrictEqual(await run([csc, nfn]), []);
            const warn = r(T.nativeCsc, "ncsc", { ...csc.props, codeSigningPolicies: { untrustedArtifactOnDeployment: "Warn" } }, csc.deps);
            const d = await run([warn, nfn]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /codeSigningPolicies\.untrustedArtifactOnDeployment to "Enforce"/);
        });

        it("treats malformed values as violations, never throws", async () => {
            const d = await run([
                r(T.fn, "weird", { codeSigningConfigArn: 42, packageType: null, layers: "x" }),
                r(T.fn, "weirder", { codeSigningConfigArn: { a: 1 } }, { codeSigningConfigArn: ["urn:pulumi:dev::proj::nope::x"] }),
            ]);
            assert.strictEqual(d.length, 2);
        });
    
        it("trusts exactly the listed CSC ARNs, never a longer or shorter ARN sharing a prefix", async () => {
            const listed = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0";
            const config = { trustedCodeSigningConfigArns: [listed] };
            assert.deepStrictEqual(await run([fn({ codeSigningConfigArn: listed })], config), []);
            for (const other of [`${listed}1`, listed.slice(0, -1)]) {
                const d = await run([fn({ codeSigningConfigArn: other })], config);
                assert.strictEqual(d.length, 1, other);
                assert.strictEqual(d[0].message.split("\n")[1], `Lambda function "fn" uses code signing config ${other}, which is not created in this stack and not listed in trustedCodeSigningConfigArns, so its Enforce mode and publishers can't be verified. Add the ARN to the lambda-enforce-code-signing policy's trustedCodeSigningConfigArns config (after checking it enforces trusted publishers), or create the CodeSigningConfig in this stack.`);
            }
        });

        it("reports an invalid config once for the stack and trusts none of its invalid entries", async () => {
            const d = await run([fn({ codeSigningConfigArn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:*" })], { trustedCodeSigningConfigArns: ["arn:aws:lambda:us-east-1:111122223333:code-signing-config:*"], extra: true });
            assert.deepStrictEqual(d.map(x => [x.urn, x.message.split("\n")[1]]), [
                ["", `Invalid configuration of policy "lambda-enforce-code-signing": extra is not a property of this policy. Remove it, or use one of: trustedCodeSigningConfigArns. Until the configuration is fixed, "lambda-enforce-code-signing" applies its most restrictive setting for extra.`],
                ["", `Invalid configuration of policy "lambda-enforce-code-signing": trustedCodeSigningConfigArns entry "arn:aws:lambda:us-east-1:111122223333:code-signing-config:*" is not a code signing config ARN (arn:aws:lambda:<region>:<account>:code-signing-config:csc-…). List exact code signing config ARNs, e.g. "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0". Until the configuration is fixed, "lambda-enforce-code-signing" applies its most restrictive setting for trustedCodeSigningConfigArns.`],
                [fn({}).urn, d[2].message.split("\n")[1]],
            ]);
            assert.ok(d[2].message.includes("which is not created in this stack and not listed in trustedCodeSigningConfigArns"));
        });

        it("a CloudFormation template that can't be read is a violation on the stack resource", async () => {
            const stack = r(T.cfnStack, "cfn", { templateBody: UNKNOWN });
            const d = await run([stack]);
            assert.deepStrictEqual(d.map(x => [x.urn, x.message.split("\n")[1]]), [[stack.urn,
                `CloudFormation stack "cfn": its templateBody is unknown during preview, so the Lambda functions, layers and code signing configs it declares can't be checked. Pass the template as a literal string (JSON or YAML) and feed Pulumi outputs in through the stack's parameters.`]]);
            assert.deepStrictEqual(await run([r(T.cfnStack, "url", { templateUrl: "https://x" })]), [], "URL-only templates belong to lambda-cloudformation-template-url");
        });

        describe("exact violation messages", () => {
            /** The violation lines (without the policy description) for one function behind `csc`. */
            const messagesFor = async (csc: TestResource) =>
                (await run([csc, fn({ codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] })])).map(x => x.message.split("\n")[1]);
            const USES = `Lambda function "fn" uses CodeSigningConfig "csc"`;
            const WARN = `unsigned or untrusted code would deploy with only a warning. Set policies.untrustedArtifactOnDeployment to "Enforce" on "csc".`;

            it("says why the mode is Warn: no policies, no mode field, or an explicit Warn", async () => {
                assert.deepStrictEqual(await messagesFor(enforce({ policies: undefined })), [`${USES}, which has no policies (AWS then defaults to Warn): ${WARN}`]);
                assert.deepStrictEqual(await messagesFor(enforce({ policies: {} })), [`${USES}, which does not set untrustedArtifactOnDeployment (AWS then defaults to Warn): ${WARN}`]);
                assert.deepStrictEqual(await messagesFor(enforce({ policies: { untrustedArtifactOnDeployment: "Warn" } })), [`${USES}, which sets untrustedArtifactOnDeployment to Warn: ${WARN}`]);
            });

            it("names an undeterminable mode and an unknown publisher list, with the fix", async () => {
                assert.deepStrictEqual(await messagesFor(enforce({ policies: { untrustedArtifactOnDeployment: UNKNOWN } })), [
                    `${USES}, whose untrustedArtifactOnDeployment can't be determined (unknown during preview or not a string). Set policies.untrustedArtifactOnDeployment to the literal "Enforce" on "csc".`,
                ]);
                assert.deepStrictEqual(await messagesFor(enforce({ allowedPublishers: { signingProfileVersionArns: UNKNOWN_ARRAY } })), [
                    `${USES}, whose allowed publishers list is unknown during preview or malformed, so its publishers can't be verified. Pass a list literal of 1..20 signing profile version ARNs (elements may be outputs, e.g. profile.versionArn).`,
                ]);
            });

            it("accepts 1..20 allowed publishers; asks to add one to an empty list and to remove some from a longer one", async () => {
                const withPublishers = (n: number) => enforce({ allowedPublishers: { signingProfileVersionArns: Array(n).fill(UNKNOWN) } });
                assert.deepStrictEqual(await messagesFor(withPublishers(1)), []);
                assert.deepStrictEqual(await messagesFor(withPublishers(20)), []);
                const count = (n: number) => `${USES}, which lists ${n} allowed publishers; a code signing config needs 1..20 signing profile version ARNs in its allowed publishers.`;
                assert.deepStrictEqual(await messagesFor(withPublishers(0)), [`${count(0)} Add your SigningProfile's versionArn.`]);
                assert.deepStrictEqual(await messagesFor(withPublishers(21)), [`${count(21)} Remove publishers you don't need.`]);
            });

            it("a missing and an untraceable code signing config each say what to set", async () => {
                const d = await run([fn({}), r(T.fn, "fn2", { ...fn({}).props, codeSigningConfigArn: UNKNOWN }, fn({}).deps)]);
                assert.deepStrictEqual(d.map(x => x.message.split("\n")[1]), [
                    `Lambda function "fn" has no code signing config, so Lambda accepts unsigned code for it. Set codeSigningConfigArn to the arn of a CodeSigningConfig whose policies.untrustedArtifactOnDeployment is "Enforce" (deploy it with SignedFunction, or use CodeSigningGuard's code signing config).`,
                    `Lambda function "fn2": can't verify its code signing config: its codeSigningConfigArn is unknown during preview and does not trace to a CodeSigningConfig in this stack. Set codeSigningConfigArn to the arn of a CodeSigningConfig in this stack, or to a literal ARN listed in trustedCodeSigningConfigArns.`,
                ]);
            });
        });
});
});
