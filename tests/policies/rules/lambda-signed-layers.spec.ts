import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaSignedLayers } from "../../../policies/rules/lambda-signed-layers";
import { T, UNKNOWN, UNKNOWN_ARRAY, analyzeStack, assertNoCantRun, expectViolations, r, secret, stringArchive, withConfig, withPack } from "../helpers";
import {
    DATADOG_LAYER_ARN,
    DATADOG_LAYER_GLOB,
    EXTERNAL_CSC_ARN,
    Wrapper,
    codeArchive,
    enforceCsc,
    signedFunction,
    signedLayer,
    signedObject,
    signingProfile,
    signingSetup,
} from "../programs";

const P = "lambda-signed-layers";

describe("policies/rules/lambda-signed-layers", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();

        const vendorLayerProgram = () => {
            const s = signingSetup();
            const csc = enforceCsc("csc", [s.profile.versionArn]);
            signedFunction("fn", signedObject("fn", s), csc.arn, { layers: [DATADOG_LAYER_ARN] });
        };

        it("reports a vendor layer ARN that matches no trustedLayerArns glob", async () => {
            const { preview, urn } = await pack.both(vendorLayerProgram);
            expectViolations(preview, [{
                policy: P,
                urn: urn("fn"),
                message: [new RegExp(DATADOG_LAYER_ARN), /matches no pattern in trustedLayerArns/, /add the publisher to trustedLayerArns/],
            }]);
        });

        it("passes a vendor layer ARN matched by a trustedLayerArns glob", async () => {
            const { preview, update } = await pack.both(vendorLayerProgram, { [P]: { trustedLayerArns: [DATADOG_LAYER_GLOB] } });
            expectViolations(preview, []);
            expectViolations(update, []);
        });

        it("a glob for another account does not match", async () => {
            const { preview } = await pack.both(vendorLayerProgram, { [P]: { trustedLayerArns: ["arn:aws:lambda:*:999999999999:layer:Datadog-*"] } });
            assert.strictEqual(preview.length, 1);
        });

        it("reports an in-stack layer with inline code, naming the layer", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                const layer = new aws.lambda.LayerVersion("inline-layer", { layerName: "inline-layer", code: codeArchive() });
                signedFunction("fn", signedObject("fn", s), csc.arn, { layers: [layer.arn] });
            });
            expectViolations(preview, [{
                policy: P,
                urn: urn("fn"),
                message: [/layer "inline-layer"/, new RegExp(urn("inline-layer").replace(/[$]/g, "\\$")), /inline `code` archive/, /Deploy the layer with SignedLayer/],
            }]);
        });

        it("reports a layer signed by a profile the function's CSC does not allow", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const other = signingProfile("other-profile");
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                const layer = signedLayer("foreign-layer", signedObject("foreign-layer", s, undefined, {}, other.name));
                signedFunction("fn", signedObject("fn", s), csc.arn, { layers: [layer.arn] });
            });
            expectViolations(preview, [{
                policy: P,
                urn: urn("fn"),
                message: [/layer "foreign-layer"/, /it is signed by SigningJob "foreign-layer-signing" with SigningProfile "other-profile" \(us-east-1\)/, /does not provably allow/, /allowedPublishers/],
            }]);
        });

        it("with a CSC outside the stack, a layer from a signing job is enough (trust is judged by lambda-enforce-code-signing)", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const other = signingProfile("other-profile");
                const layer = signedLayer("layer", signedObject("layer", s, undefined, {}, other.name));
                signedFunction("fn", signedObject("fn", s), EXTERNAL_CSC_ARN, { layers: [layer.arn] });
            });
            expectViolations(preview, [{ policy: "lambda-enforce-code-signing", urn: urn("fn") }]);
        });

        it("follows layers from a nested component, and passes signed layers", async () => {
            const { preview, update } = await pack.both(() => {
                new Wrapper("platform", o => {
                    const s = signingSetup("p", o);
                    const csc = enforceCsc("csc", [s.profile.versionArn], undefined, o);
                    const l1 = signedLayer("l1", signedObject("l1", s, o), o);
                    const l2 = signedLayer("l2", signedObject("l2", s, o), o);
                    new Wrapper("svc", o2 => {
                        signedFunction("fn", signedObject("fn", s, o2), csc.arn, { layers: [l1.arn, l2.arn, DATADOG_LAYER_ARN] }, o2);
                    }, o);
                });
            }, { [P]: { trustedLayerArns: [DATADOG_LAYER_GLOB] } });
            expectViolations(preview, []);
            expectViolations(update, []);
        });
    });

    describe("in process (hand-built requests with sentinels)", () => {
        const profile = r(T.profile, "p", { name: "p", versionArn: UNKNOWN });
        const job = r(T.job, "j", { profileName: "p" }, { profileName: [profile] });
        const csc = r(T.csc, "csc", { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, policies: { untrustedArtifactOnDeployment: "Enforce" }, arn: UNKNOWN }, { allowedPublishers: [profile] });
        const layer = (name: string) => r(T.layer, name, { s3Bucket: UNKNOWN, s3Key: UNKNOWN, arn: UNKNOWN }, { s3Key: [job] });
        const fn = (layers: unknown, deps: any[] = []) =>
            r(T.fn, "fn", { packageType: "Zip", s3Bucket: UNKNOWN, s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN, layers }, { s3Key: [job], codeSigningConfigArn: [csc], layers: deps });
        const run = async (resources: any[], config?: object) => {
            const d = await analyzeStack([withConfig(lambdaSignedLayers, config)], [profile, job, csc, ...resources]);
            assertNoCantRun(d);
            return d;
        };

        it("unknown layer ARNs that trace to signed LayerVersions pass; a list computed as a whole does not", async () => {
            const a = layer("a");
            const b = layer("b");
            assert.deepStrictEqual(await run([a, b, fn([UNKNOWN, UNKNOWN], [a, b])]), []);
            const d = await run([a, b, fn(UNKNOWN_ARRAY, [a, b])]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /its layers list is computed as a whole \(unknown during preview\), so its elements can't be accounted for \(it derives from "a", "b", but may hold other layers\); pass a list literal/);
        });

        it("more unknown elements than LayerVersion dependencies is a violation", async () => {
            const a = layer("a");
            const d = await run([a, fn([UNKNOWN, UNKNOWN], [a])]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /2 of its layer ARNs come from .* LayerVersions in this stack, but they trace to only 1 LayerVersion: list each layer once/);
        });

        it("a wholly unknown list without LayerVersion dependencies is a violation", async () => {
            const d = await run([fn(UNKNOWN_ARRAY)]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /its layers list is computed as a whole \(unknown during preview\), so its elements can't be accounted for; pass a list literal/);
        });

        it("a known ARN equal to an in-stack LayerVersion's arn output is that layer (update mode)", async () => {
            const arn = "arn:aws:lambda:us-east-1:123456789012:layer:inline:1";
            const inline = r(T.layer, "inline", { code: stringArchive({ "a.js": "x" }), arn });
            const d = await run([inline, fn([arn])]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /layer "inline"/);
        });

        it("glob semantics: * matches any run of characters; everything else is literal", async () => {
            const arn = "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:60";
            assert.deepStrictEqual(await run([fn([arn])], { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] }), []);
            assert.deepStrictEqual(await run([fn([arn])], { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:*"] }), []);
            assert.strictEqual((await run([fn([arn])], { trustedLayerArns: ["arn:aws:lambda:?:464622532012:layer:Datadog-*"] })).length, 1);
            assert.strictEqual((await run([fn([arn])], { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog"] })).length, 1);
        });

        it("secret, null and wrong-typed layer elements never throw", async () => {
            const a = layer("a");
            const d = await run([a, fn([secret(UNKNOWN), null, 7], [a])]);
            assert.strictEqual(d.length, 2);
            assert.ok(d.every(x => /not a layer ARN/.test(x.message)));
        });

        it("aws-native LayerVersion: content traced to a signing job", async () => {
            const nl = r(T.nativeLayer, "nl", { content: { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, layerVersionArn: UNKNOWN }, { content: [job] });
            assert.deepStrictEqual(await run([nl, fn([UNKNOWN], [nl])]), []);
            const plain = r(T.nativeLayer, "plain", { content: { s3Bucket: "b", s3Key: "layers/x.zip" } });
            const d = await run([plain, fn([UNKNOWN], [plain])]);
            assert.strictEqual(d.length, 1);
            assert.match(d[0].message, /content\.s3Key "layers\/x\.zip" is a literal object key/);
        });
    
        it("rejects trust globs without a literal account, loudly, and trusts nothing through them", async () => {
            const arn = "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:60";
            for (const glob of ["*", "**", "arn:aws:lambda:*", "arn:aws:lambda:*:*:layer:*"]) {
                const d = await run([fn([arn])], { trustedLayerArns: [glob] });
                assert.deepStrictEqual(d.map(x => x.urn), ["", fn([]).urn], glob);
                assert.match(d[0].message, new RegExp(`^Every layer.*\\nInvalid configuration of policy "lambda-signed-layers": trustedLayerArns entry ${JSON.stringify(glob).replace(/[*]/g, "\\*")} (is not a Lambda layer ARN pattern|has no literal 12-digit account ID)`));
            }
        });

        it("an in-stack layer whose code is an artifact signed outside the stack passes with trustedSignedArtifacts", async () => {
            const ci = r(T.layer, "ci", { s3Bucket: "signed-by-ci", s3Key: "layers/utils.zip", arn: UNKNOWN });
            assert.deepStrictEqual(await run([ci, fn([UNKNOWN], [ci])], { trustedSignedArtifacts: ["s3://signed-by-ci/layers/*"] }), []);
            const d = await run([ci, fn([UNKNOWN], [ci])]);
            assert.match(d[0].message, /uses layer "ci" \(.*\): its s3Key "layers\/utils\.zip" is a literal object key, not a SigningJob's signed object; a code signing config that enforces rejects unsigned layers at deploy/);
        });

        describe("exact violation messages", () => {
            const EXTERNAL = "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:60";
            const EXTERNAL_MESSAGE = `Lambda function "fn" uses layer ${EXTERNAL}, which is not created in this stack and matches no pattern in trustedLayerArns, so its ` +
                `publisher can't be verified. If its vendor signs it with a profile your code signing config allows, add the publisher to ` +
                `trustedLayerArns (e.g. "arn:aws:lambda:*:<account>:layer:<name>*"); otherwise deploy the layer with SignedLayer (lambda-code-signing).`;
            const CLASSIC_FIX = `Deploy the layer with SignedLayer (lambda-code-signing) or point its s3Bucket/s3Key at a SigningJob's signedObjects.`;
            /** [urn, violation text without the policy description] of each violation. */
            const lines = async (resources: any[], config?: object) => (await run(resources, config)).map(x => [x.urn, x.message.split("\n")[1]]);
            const fnUrn = fn([]).urn!;
            const noSource = r(T.layer, "nosrc", { arn: UNKNOWN });
            const noSourceLabel = `layer "nosrc" (${noSource.urn})`;

            it("an external layer matching no glob, and a glob without a literal account, say what to list", async () => {
                assert.deepStrictEqual(await lines([fn([EXTERNAL])], { trustedLayerArns: ["arn:aws:lambda:*:*:layer:*"] }), [
                    ["", `Invalid configuration of policy "lambda-signed-layers": trustedLayerArns entry "arn:aws:lambda:*:*:layer:*" has no literal 12-digit account ID, ` +
                        `so it would trust layers published by any account. List layer ARN patterns that name the publishing account literally, ` +
                        `e.g. "arn:aws:lambda:*:464622532012:layer:Datadog-*". Until the configuration is fixed, "lambda-signed-layers" applies its most restrictive setting for trustedLayerArns.`],
                    [fnUrn, EXTERNAL_MESSAGE],
                ]);
            });

            it("a layer list computed as a whole says what to pass instead", async () => {
                assert.deepStrictEqual(await lines([fn(UNKNOWN_ARRAY)]), [[fnUrn,
                    `Lambda function "fn": can't verify its layers: its layers list is computed as a whole (unknown during preview), so its elements can't be accounted for; ` +
                    `pass a list literal such as [layer.arn, "arn:aws:lambda:…:layer:…:1"] so that each element is visible. ` +
                    `Pass the arn of LayerVersions created in this stack (e.g. with SignedLayer) or literal ARNs matching trustedLayerArns.`]]);
            });

            it("a layer without a code source can't be verified; the trustedSignedArtifacts hint follows only when that is configured", async () => {
                const unverifiable = `Lambda function "fn" uses ${noSourceLabel}: can't verify that its code is signed: the layer has no code source (neither s3Bucket/s3Key nor code is set). ${CLASSIC_FIX}`;
                assert.deepStrictEqual(await lines([noSource, fn([UNKNOWN], [noSource])]), [[fnUrn, unverifiable]]);
                assert.deepStrictEqual(await lines([noSource, fn([UNKNOWN], [noSource])], { trustedSignedArtifacts: ["s3://signed-by-ci/layers/*"] }), [[fnUrn,
                    `${unverifiable} An artifact signed outside the stack is accepted only as literal bucket and key values that match trustedSignedArtifacts.`]]);
            });

            it("a layer with unsigned code says the CSC rejects it at deploy", async () => {
                const inline = r(T.layer, "inline", { code: stringArchive({ "a.js": "x" }), arn: UNKNOWN });
                assert.deepStrictEqual(await lines([inline, fn([UNKNOWN], [inline])]), [[fnUrn, `Lambda function "fn" uses layer "inline" (${inline.urn}): ` +
                    `its code is an inline \`code\` archive uploaded as-is, which is not signed; a code signing config that enforces rejects unsigned layers at deploy. ${CLASSIC_FIX}`]]);
            });

            it("a layer signed by a profile the CSC does not allow names both and the fix", async () => {
                const other = r(T.profile, "other", { name: "other", versionArn: UNKNOWN });
                const otherJob = r(T.job, "j2", { profileName: "other" }, { profileName: [other] });
                const foreign = r(T.layer, "foreign", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, arn: UNKNOWN }, { s3Key: [otherJob] });
                assert.deepStrictEqual(await lines([other, otherJob, foreign, fn([UNKNOWN], [foreign])]), [[fnUrn,
                    `Lambda function "fn" uses layer "foreign" (${foreign.urn}): it is signed by SigningJob "j2" with SigningProfile "other", which CodeSigningConfig "csc" ` +
                    `does not provably allow (allowed: SigningProfile "p"). Sign the layer with a profile the code signing config allows, ` +
                    `or add that profile's versionArn to the config's allowedPublishers.`]]);
            });

            it("skips container-image functions (an Image packageType, or a computed one with an imageUri), not Zip or unknown ones", async () => {
                const withType = (packageType: unknown, code: Record<string, unknown>) =>
                    r(T.fn, "fn", { packageType, codeSigningConfigArn: UNKNOWN, layers: [EXTERNAL], ...code }, { codeSigningConfigArn: [csc] });
                assert.deepStrictEqual(await lines([withType("Image", { imageUri: "r/i:1" })]), []);
                assert.deepStrictEqual(await lines([withType(UNKNOWN, { imageUri: "r/i:1" })]), []);
                assert.deepStrictEqual(await lines([withType(UNKNOWN, { s3Bucket: UNKNOWN, s3Key: UNKNOWN })]), [[fnUrn, EXTERNAL_MESSAGE]]);
                assert.deepStrictEqual(await lines([withType("Zip", { imageUri: "r/i:1" })]), [[fnUrn, EXTERNAL_MESSAGE]]);
            });
        });
});
});
