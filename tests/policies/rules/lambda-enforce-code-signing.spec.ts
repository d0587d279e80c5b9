import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { T, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_OBJECT, analyzeStack, assertNoCantRun, expectViolations, r, secret, withConfig, withPack } from "../helpers";
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
    });
});
