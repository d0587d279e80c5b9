import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaSignedCode } from "../../../policies/rules/lambda-signed-code";
import { T, UNKNOWN, analyzeStack, assertNoCantRun, expectViolations, r, stringArchive, urnOf, withConfig, withPack } from "../helpers";
import {
    EXTERNAL_CSC_ARN,
    ROLE_ARN,
    Wrapper,
    codeArchive,
    enforceCsc,
    signedFunction,
    signedObject,
    signingProfile,
    signingSetup,
} from "../programs";

const P = "lambda-signed-code";
const FIX = /Deploy it with SignedFunction \(lambda-code-signing\) or point s3Bucket\/s3Key at a SigningJob's signedObjects/;

describe("policies/rules/lambda-signed-code", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();

        it("reports aws.lambda.CallbackFunction closures as unsigned inline code", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                new aws.lambda.CallbackFunction("callback", {
                    callback: async () => ({ statusCode: 200 }),
                    codeSigningConfigArn: csc.arn,
                });
            });
            expectViolations(preview, [{ policy: P, urn: urn("callback"), message: [/aws\.lambda\.CallbackFunction/, /rejects unsigned code at deploy/, FIX] }]);
        });

        it("reports a CallbackFunction nested in a component with no CSC under both rules", async () => {
            const { preview, urn } = await pack.both(() => {
                new Wrapper("svc", o => {
                    new aws.lambda.CallbackFunction("nested-callback", { callback: async () => 1 }, o);
                });
            });
            expectViolations(preview, [
                { policy: P, urn: urn("nested-callback"), message: FIX },
                { policy: "lambda-enforce-code-signing", urn: urn("nested-callback") },
            ]);
        });

        it("reports plain S3 code: a literal key and a key from a BucketObject", async () => {
            const { update, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                signedFunction("literal-key", { s3Bucket: "my-artifacts", s3Key: "builds/app.zip" }, csc.arn);
                const obj = new aws.s3.BucketObjectv2("plain-object", { bucket: s.bucket.id, key: "builds/app.zip", source: codeArchive() });
                signedFunction("object-key", { s3Bucket: obj.bucket, s3Key: obj.key }, csc.arn);
            });
            expectViolations(update, [
                { policy: P, urn: urn("literal-key"), message: [/s3Key "builds\/app\.zip" is a literal object key/, FIX] },
                { policy: P, urn: urn("object-key"), message: [/s3Key comes from aws:s3\/bucketObjectv2:BucketObjectv2 "plain-object"/, FIX] },
                { policy: P, urn: urn("object-key"), message: [/s3Bucket comes from aws:s3\/bucketObjectv2:BucketObjectv2 "plain-object", an object this stack writes itself/, FIX] },
            ]);
        });

        it("reports code signed with a profile the CSC does not allow", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const rogue = signingProfile("rogue-profile");
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                signedFunction("fn", signedObject("fn", s, undefined, {}, rogue.name), csc.arn);
            });
            expectViolations(preview, [{ policy: P, urn: urn("fn"), message: [/signed by SigningJob "fn-signing" with SigningProfile "rogue-profile" \(us-east-1\), which CodeSigningConfig "csc" does not provably allow \(allowed: SigningProfile "app-profile" \(us-east-1\)\)/] }]);
        });

        it("a literal profileName is the in-stack profile of that name; a literal version ARN it can't be proven to be is not allowed", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", ["arn:aws:signer:us-east-1:123456789012:/signing-profiles/app_profile/abcdef1234"]);
                signedFunction("fn", signedObject("fn", s, undefined, {}, "app_profile"), csc.arn);
            });
            expectViolations(preview, [{
                policy: P,
                urn: urn("fn"),
                message: /with SigningProfile "app-profile" \(us-east-1\), which CodeSigningConfig "csc" does not provably allow \(allowed: arn:aws:signer:us-east-1:123456789012:\/signing-profiles\/app_profile\/abcdef1234\)/,
            }]);
        });

        it("with a CSC outside the stack, code from a signing job is enough; with no CSC only the signature is checked", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const rogue = signingProfile("rogue-profile");
                signedFunction("external", signedObject("external", s, undefined, {}, rogue.name), EXTERNAL_CSC_ARN);
                signedFunction("no-csc", signedObject("no-csc", s), undefined);
            }, { "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: [EXTERNAL_CSC_ARN] } });
            expectViolations(preview, [{ policy: "lambda-enforce-code-signing", urn: urn("no-csc") }]);
        });

        it("reports inline code of a plain Function", async () => {
            const { preview, urn } = await pack.both(() => {
                new aws.lambda.Function("inline", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive() });
            });
            expectViolations(preview, [
                { policy: P, urn: urn("inline"), message: [/inline `code` archive/, FIX] },
                { policy: "lambda-enforce-code-signing", urn: urn("inline") },
            ]);
        });
    });

    describe("in process (hand-built requests with sentinels)", () => {
        const profile = r(T.profile, "p", { name: "p" });
        const job = r(T.job, "j", { profileName: UNKNOWN }, { profileName: [profile] });
        const csc = r(T.csc, "csc", { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, policies: { untrustedArtifactOnDeployment: "Enforce" } }, { allowedPublishers: [profile] });
        const run = async (resources: any[]) => {
            const d = await analyzeStack([lambdaSignedCode], [profile, job, csc, ...resources]);
            assertNoCantRun(d);
            return d;
        };

        it("an unknown s3Key that traces to no signing job is unverifiable (no trustedSignedArtifacts hint when none are configured)", async () => {
            const d = await run([r(T.fn, "fn", { s3Bucket: "b", s3Key: UNKNOWN })]);
            assert.deepStrictEqual(d.map(x => x.message.split("\n")[1]), [
                `Lambda function "fn": can't verify that its code is signed: its s3Key is unknown during preview and does not trace to a SigningJob in this stack. ` +
                    `Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`,
            ]);
        });

        it("a job whose profile is identified only through propertyDependencies matches", async () => {
            assert.deepStrictEqual(await run([r(T.fn, "fn", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN }, { s3Key: [job], codeSigningConfigArn: [csc] })]), []);
        });

        it("a job with an unknown, untraceable profile is not allowed (fail closed)", async () => {
            const lost = r(T.job, "lost", { profileName: UNKNOWN });
            const d = await run([lost, r(T.fn, "fn", { s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN }, { s3Key: [lost], codeSigningConfigArn: [csc] })]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /unidentifiable profile/);
        });

        it("aws-native functions: code.zipFile is inline; code traced to a job is signed", async () => {
            const inline = r(T.nativeFn, "inline", { code: { zipFile: "exports.handler=1" } });
            const signed = r(T.nativeFn, "signed", { code: UNKNOWN, codeSigningConfigArn: UNKNOWN }, { code: [job], codeSigningConfigArn: [csc] });
            const d = await run([inline, signed]);
            assert.strictEqual(d.length, 1);
            assert.strictEqual(d[0].urn, inline.urn);
            assert.match(d[0].message, /code\.zipFile/);
            assert.match(d[0].message, /point code\.s3Bucket\/code\.s3Key at a SigningJob's signedObjects/);
        });

        it("archives in every wire shape count as inline code", async () => {
            const d = await run([
                r(T.fn, "a", { code: stringArchive({ "index.js": "x" }) }),
                r(T.fn, "b", { code: UNKNOWN }),
                r(T.fn, "c", { code: "e48ece36-62e2-4504-bad9-02848725956a" }),
            ]);
            assert.strictEqual(d.length, 3);
        });

        it("a function with no code source at all is unverifiable; container images are left to lambda-image-functions", async () => {
            const template = JSON.stringify({ Resources: { Img: { Type: "AWS::Lambda::Function", Properties: { PackageType: "Image", Code: { S3Bucket: "b", S3Key: "k.zip" } } } } });
            const d = await run([
                r(T.fn, "empty", {}),
                r(T.fn, "img", { packageType: "Image", imageUri: "x" }),
                r(T.fn, "img-with-s3", { packageType: "Image", s3Bucket: "b", s3Key: "k.zip", code: stringArchive({ "index.js": "x" }) }),
                r(T.fn, "img-unknown-type", { packageType: UNKNOWN, imageUri: "x" }),
                r(T.nativeFn, "native-img", { packageType: "Image", code: { imageUri: "x", zipFile: "exports.handler=1" } }),
                r(T.cfnStack, "cfn", { templateBody: template }),
            ]);
            assert.deepStrictEqual(d.map(x => [x.urn, x.message.split("\n")[1]]), [[
                urnOf(T.fn, "empty"),
                `Lambda function "empty": can't verify that its code is signed: the function has no code source (neither s3Bucket/s3Key nor code is set). ` +
                    `Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`,
            ]]);
        });
    
        it("trustedSignedArtifacts: a literal bucket and key that match are signed code; anything else is not", async () => {
            const config = { trustedSignedArtifacts: ["s3://signed-by-ci/releases/*.zip"] };
            const runWith = async (resources: any[], c?: object) => {
                const d = await analyzeStack([withConfig(lambdaSignedCode, c)], [profile, job, csc, ...resources]);
                assertNoCantRun(d);
                return d.map(x => x.message.split("\n")[1]);
            };
            assert.deepStrictEqual(await runWith([r(T.fn, "ok", { s3Bucket: "signed-by-ci", s3Key: "releases/app-1.zip" })], config), []);
            assert.deepStrictEqual(await runWith([r(T.fn, "other", { s3Bucket: "signed-by-ci", s3Key: "nightly/app.zip" })], config), [
                `Lambda function "other": its s3Key "nightly/app.zip" is a literal object key, not a SigningJob's signed object and s3://signed-by-ci/nightly/app.zip matches no trustedSignedArtifacts pattern; a code signing config that enforces rejects unsigned code at deploy. Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`,
            ]);
            assert.deepStrictEqual(await runWith([r(T.fn, "unknown", { s3Bucket: "signed-by-ci", s3Key: UNKNOWN })], config), [
                `Lambda function "unknown": can't verify that its code is signed: its s3Key is unknown during preview and does not trace to a SigningJob in this stack. Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects. An artifact signed outside the stack is accepted only as literal bucket and key values that match trustedSignedArtifacts.`,
            ]);
            assert.deepStrictEqual(await runWith([r(T.fn, "ok", { s3Bucket: "signed-by-ci", s3Key: "releases/app-1.zip" })], { trustedSignedArtifacts: ["s3://*/releases/*.zip"] }), [
                `Invalid configuration of policy "lambda-signed-code": trustedSignedArtifacts entry "s3://*/releases/*.zip" does not name one bucket literally (a bucket name without wildcards is required). List entries like "s3://my-signed-artifacts/releases/*.zip" (a literal bucket name, a key pattern). Until the configuration is fixed, "lambda-signed-code" applies its most restrictive setting for trustedSignedArtifacts.`,
                `Lambda function "ok": its s3Key "releases/app-1.zip" is a literal object key, not a SigningJob's signed object; a code signing config that enforces rejects unsigned code at deploy. Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`,
            ]);
        });

        it("judges every candidate job and names the one whose profile the CSC does not allow", async () => {
            const rogue = r(T.profile, "rogue", { name: "rogue" });
            const rogueJob = r(T.job, "rj", { profileName: UNKNOWN }, { profileName: [rogue] });
            const d = await run([rogue, rogueJob, r(T.fn, "fn", { s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN }, { s3Key: [job, rogueJob], codeSigningConfigArn: [csc] })]);
            assert.deepStrictEqual(d.map(x => x.message.split("\n")[1]), [
                `Lambda function "fn": its code is signed by SigningJob "rj" with SigningProfile "rogue", which CodeSigningConfig "csc" does not provably allow (allowed: SigningProfile "p"). Sign it with a profile the code signing config allows (set the SigningJob's profileName from that SigningProfile), or add the profile's versionArn to the config's allowedPublishers.`,
            ]);
        });
});
});
