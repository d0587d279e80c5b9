/**
 * The red-team cases of issue #10, each an ordinary @pulumi/aws program run under mocks in preview AND update mode
 * and judged by the compiled pack over the real analyzer protocol. Both modes must give the same verdicts (policy,
 * resource, level); where update mode knows more, its messages may say more.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { T, UNKNOWN, expectViolations, withPack } from "./helpers";
import { LEVEL, analyzerClient, configureRequest, diagnostics, resourceRequest, rpc, stackRequest } from "./wire";
import {
    DATADOG_LAYER_ARN,
    DATADOG_LAYER_GLOB,
    ROLE_ARN,
    codeArchive,
    enforceCsc,
    signedFunction,
    signedLayer,
    signedObject,
    signingProfile,
    signingSetup,
} from "./programs";

const LAYERS = "lambda-signed-layers";
const CODE = "lambda-signed-code";
const ENFORCE = "lambda-enforce-code-signing";
/** What a pull request can write: any type token, any inputs (`pulumi.CustomResource` is abstract in TypeScript). */
class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs) {
        super(type, name, props);
    }
}

const EAST_ORDERS_VERSION = "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/orders_signer/AbCdEf1234";

describe("policies: red-team cases, preview and update over the analyzer protocol", () => {
    const pack = withPack();

    describe("1. a computed layer list drops no element", () => {
        const program = () => {
            const s = signingSetup();
            const csc = enforceCsc("csc", [s.profile.versionArn]);
            const utils = signedLayer("utils", signedObject("utils", s));
            signedFunction("apply-list", signedObject("apply-list", s), csc.arn, { layers: utils.arn.apply(a => [a, DATADOG_LAYER_ARN]) });
            signedFunction("all-list", signedObject("all-list", s), csc.arn, { layers: pulumi.all([utils.arn, DATADOG_LAYER_ARN]) });
            signedFunction("literal-list", signedObject("literal-list", s), csc.arn, { layers: [utils.arn, DATADOG_LAYER_ARN] });
        };

        it("an untrusted vendor layer inside a computed list is a violation in both modes", async () => {
            const { preview, update, urn } = await pack.modes(program);
            expectViolations(preview, [
                { policy: LAYERS, urn: urn("apply-list"), message: /its layers list is computed as a whole \(unknown during preview\), so its elements can't be accounted for \(it derives from "utils", but may hold other layers\)/ },
                { policy: LAYERS, urn: urn("all-list"), message: /computed as a whole/ },
                { policy: LAYERS, urn: urn("literal-list"), message: /uses layer arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115, which is not created in this stack/ },
            ]);
            expectViolations(update, ["apply-list", "all-list", "literal-list"].map(n => ({
                policy: LAYERS, urn: urn(n), message: /uses layer arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115, which is not created in this stack/,
            })));
        });

        it("a list literal with a trusted vendor passes; a computed one still can't be accounted for in preview", async () => {
            const config = { [LAYERS]: { trustedLayerArns: [DATADOG_LAYER_GLOB] } };
            const { runProgram } = await import("../../engine/capture");
            const preview = await pack.session().analyze(await runProgram(program, { preview: true }), config);
            const update = await pack.session().analyze(await runProgram(program, { preview: false }), config);
            assert.deepStrictEqual(update, [], "update mode sees the known list: every element accounted for");
            assert.deepStrictEqual(preview.map(d => `${d.policy} ${d.urn.split("::").pop()}`).sort(), [`${LAYERS} all-list`, `${LAYERS} apply-list`]);
        });
    });

    describe("2. publishers are identified by partition, Region, account, name and version", () => {
        it("a CSC allowing orders_signer in eu-west-1 does not allow the in-stack us-east-1 orders_signer", async () => {
            const { preview, update, urn } = await pack.both(() => {
                const profile = signingProfile("orders-signer");
                const bucket = new aws.s3.BucketV2("artifacts");
                const csc = enforceCsc("csc", [EAST_ORDERS_VERSION]);
                signedFunction("fn", signedObject("fn", { profile, bucket }), csc.arn);
            });
            const message = /signed by SigningJob "fn-signing" with SigningProfile "orders-signer" \(us-east-1\), which CodeSigningConfig "csc" does not provably allow \(allowed: arn:aws:signer:eu-west-1:111122223333:\/signing-profiles\/orders_signer\/AbCdEf1234\)/;
            expectViolations(preview, [{ policy: CODE, urn: urn("fn"), message }]);
            expectViolations(update, [{ policy: CODE, urn: urn("fn"), message }]);
        });

        it("two same-named profiles in two Regions (per-resource region or two providers) are two publishers", async () => {
            const { preview, urn } = await pack.both(() => {
                const east = signingProfile("east", { name: "orders_signer" });
                const west = signingProfile("west", { name: "orders_signer", region: "us-west-2" });
                const westProvider = new aws.Provider("west-provider", { region: "us-west-2" });
                const viaProvider = signingProfile("west-p", { name: "orders_signer" }, { provider: westProvider });
                const bucket = new aws.s3.BucketV2("artifacts");
                const csc = enforceCsc("csc", [east.versionArn]);
                // Each job names its profile by the literal "orders_signer": which one it is follows from its Region.
                signedFunction("east-fn", signedObject("east-fn", { profile: east, bucket }, undefined, {}, "orders_signer"), csc.arn);
                signedFunction("west-fn", signedObject("west-fn", { profile: west, bucket }, undefined, { region: "us-west-2" }, "orders_signer"), csc.arn);
                signedFunction("provider-fn", signedObject("provider-fn", { profile: viaProvider, bucket }, { provider: westProvider }, {}, "orders_signer"), csc.arn);
                signedFunction("dep-fn", signedObject("dep-fn", { profile: west, bucket }, undefined, {}, west.name), csc.arn);
            });
            expectViolations(preview, [
                { policy: CODE, urn: urn("west-fn"), message: /with SigningProfile "west" \(us-west-2\), which CodeSigningConfig "csc" does not provably allow \(allowed: SigningProfile "east" \(us-east-1\)\)/ },
                { policy: CODE, urn: urn("provider-fn"), message: /with SigningProfile "west-p" \(us-west-2\)/ },
                { policy: CODE, urn: urn("dep-fn"), message: /with SigningProfile "west" \(us-west-2\)/ },
            ]);
        });
    });

    describe("3. every candidate of a computed reference must pass", () => {
        it("a SigningJob whose profileName is picked from two profiles is judged on both", async () => {
            const program = (allowNext: boolean) => () => {
                const s = signingSetup();
                const next = signingProfile("next-profile");
                const csc = enforceCsc("csc", allowNext ? [s.profile.versionArn, next.versionArn] : [s.profile.versionArn]);
                const pick = pulumi.all([s.profile.name, next.name]).apply(([, n]) => n);
                signedFunction("fn", signedObject("fn", s, undefined, {}, pick), csc.arn);
            };
            const { preview, update, urn } = await pack.both(program(false));
            const message = /SigningJob "fn-signing" with SigningProfile "next-profile" \(us-east-1\), which CodeSigningConfig "csc" does not provably allow/;
            expectViolations(preview, [{ policy: CODE, urn: urn("fn"), message }]);
            expectViolations(update, [{ policy: CODE, urn: urn("fn"), message }]);
            const allowed = await pack.both(program(true));
            expectViolations(allowed.preview, []);
        });

        it("a codeSigningConfigArn computed from two enforcing CSCs passes; a Warn candidate is named", async () => {
            const program = (mode: "Enforce" | "Warn") => () => {
                const s = signingSetup();
                const a = enforceCsc("csc-a", [s.profile.versionArn]);
                const b = enforceCsc("csc-b", [s.profile.versionArn], { untrustedArtifactOnDeployment: mode });
                signedFunction("fn", signedObject("fn", s), pulumi.all([a.arn, b.arn]).apply(([x]) => x));
            };
            const ok = await pack.both(program("Enforce"));
            expectViolations(ok.preview, []);
            const { preview, urn } = await pack.both(program("Warn"));
            expectViolations(preview, [
                { policy: ENFORCE, urn: urn("fn"), message: /\(its codeSigningConfigArn may name any of 2 code signing configs; each must pass\) uses CodeSigningConfig "csc-b", which sets untrustedArtifactOnDeployment to Warn/ },
                { policy: "lambda-csc-enforce-mode", urn: urn("csc-b") },
            ]);
        });
    });

    describe("4. a key next to a job is not a signed key", () => {
        it("an s3Key computed from a job's status and the unsigned upload's key is unsigned", async () => {
            const { preview, update, urn } = await pack.modes(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                const so = signedObject("fn", s);
                signedFunction("fn", { s3Bucket: so.s3Bucket, s3Key: pulumi.all([so.job.status, so.object.key]).apply(([, k]) => k) }, csc.arn);
            });
            const fromUpload = /its s3Key comes from aws:s3\/bucketObjectv2:BucketObjectv2 "fn-unsigned", not from a SigningJob's signed object/;
            expectViolations(preview, [{ policy: CODE, urn: urn("fn"), message: fromUpload }]);
            expectViolations(update, [
                { policy: CODE, urn: urn("fn"), message: fromUpload },
                { policy: CODE, urn: urn("fn"), message: /its s3Key "unsigned\/fn\.zip" is not under the destination prefix of SigningJob "fn-signing" \(s3:\/\/app-artifacts-[0-9a-f]+\/signed\/fn\/\)/ },
            ]);
        });

        it("an s3Bucket that comes from the unsigned upload is not a signed object's bucket", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                const so = signedObject("fn", s);
                signedFunction("fn", { s3Bucket: so.object.bucket, s3Key: so.s3Key }, csc.arn);
            });
            expectViolations(preview, [{ policy: CODE, urn: urn("fn"), message: /its s3Bucket comes from aws:s3\/bucketObjectv2:BucketObjectv2 "fn-unsigned", an object this stack writes itself/ }]);
        });
    });

    describe("5. a copy of a signed object is still signed", () => {
        const program = (source: "signed" | "unsigned") => () => {
            const s = signingSetup();
            const csc = enforceCsc("csc", [s.profile.versionArn]);
            const so = signedObject("fn", s);
            const deploy = new aws.s3.BucketV2("deploy");
            const copy = new aws.s3.ObjectCopy("fn-copy", {
                bucket: deploy.id,
                key: "deploy/fn.zip",
                source: source === "signed" ? pulumi.interpolate`${so.s3Bucket}/${so.s3Key}` : pulumi.interpolate`${so.object.bucket}/${so.object.key}`,
            });
            signedFunction("fn", { s3Bucket: copy.bucket, s3Key: copy.key }, csc.arn);
        };

        it("an ObjectCopy of a SigningJob's signed object passes in both modes", async () => {
            const { preview, update } = await pack.both(program("signed"));
            expectViolations(preview, []);
            expectViolations(update, []);
        });

        it("an ObjectCopy of the unsigned upload is unsigned", async () => {
            const { preview, urn } = await pack.both(program("unsigned"));
            expectViolations(preview, [{ policy: CODE, urn: urn("fn"), message: /its source of ObjectCopy "fn-copy" comes from aws:s3\/bucketObjectv2:BucketObjectv2 "fn-unsigned", not from a SigningJob's signed object/ }]);
        });
    });

    describe("6. functions declared in CloudFormation are judged like any other", () => {
        const unsignedTemplate = [
            "AWSTemplateFormatVersion: '2010-09-09'",
            "Transform: AWS::Serverless-2016-10-31",
            "Resources:",
            "  WarnCsc:",
            "    Type: AWS::Lambda::CodeSigningConfig",
            "    Properties:",
            "      AllowedPublishers: { SigningProfileVersionArns: [!Sub 'arn:aws:signer:${AWS::Region}:111122223333:/signing-profiles/x/v1'] }",
            "      CodeSigningPolicies: { UntrustedArtifactOnDeployment: Warn }",
            "  Inline:",
            "    Type: AWS::Serverless::Function",
            "    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: 'exports.handler = async () => 1', CodeSigningConfigArn: !GetAtt WarnCsc.CodeSigningConfigArn }",
            "  NoCsc:",
            "    Type: AWS::Lambda::Function",
            "    Properties:",
            "      Runtime: nodejs20.x",
            "      Handler: index.handler",
            "      Role: arn:aws:iam::123456789012:role/r",
            "      Code: { S3Bucket: my-artifacts, S3Key: builds/app.zip }",
        ].join("\n");

        it("a YAML template with inline code, no CSC and a Warn CSC is reported on the stack resource", async () => {
            const { preview, urn } = await pack.both(() => {
                new aws.cloudformation.Stack("sam", { templateBody: unsignedTemplate, capabilities: ["CAPABILITY_AUTO_EXPAND"] });
            });
            expectViolations(preview, [
                { policy: ENFORCE, urn: urn("sam"), message: /Lambda function "Inline" of CloudFormation stack "sam" uses CodeSigningConfig "sam\/WarnCsc" \(CloudFormation\), which sets UntrustedArtifactOnDeployment to Warn/ },
                { policy: ENFORCE, urn: urn("sam"), message: /Lambda function "NoCsc" of CloudFormation stack "sam" has no code signing config/ },
                { policy: CODE, urn: urn("sam"), message: /Lambda function "Inline" of CloudFormation stack "sam": its code is inline source \(`InlineCode`\)/ },
                { policy: CODE, urn: urn("sam"), message: /Lambda function "NoCsc" of CloudFormation stack "sam": its Code\.S3Key "builds\/app\.zip" is a literal object key/ },
                { policy: "lambda-csc-enforce-mode", urn: urn("sam"), message: /CodeSigningConfig "WarnCsc" of CloudFormation stack "sam" sets UntrustedArtifactOnDeployment to Warn/ },
            ]);
        });

        it("a JSON template wired to Pulumi's signed object and CSC through parameters passes in both modes", async () => {
            const template = JSON.stringify({
                Parameters: { Bucket: { Type: "String" }, Key: { Type: "String" }, Csc: { Type: "String" } },
                Resources: {
                    Fn: {
                        Type: "AWS::Lambda::Function",
                        Properties: {
                            Runtime: "nodejs20.x", Handler: "index.handler", Role: "arn:aws:iam::123456789012:role/r",
                            Code: { S3Bucket: { Ref: "Bucket" }, S3Key: { Ref: "Key" } },
                            CodeSigningConfigArn: { Ref: "Csc" },
                        },
                    },
                },
            });
            const { preview, update } = await pack.both(() => {
                const s = signingSetup();
                const csc = enforceCsc("csc", [s.profile.versionArn]);
                const so = signedObject("fn", s);
                new aws.cloudformation.Stack("cfn", { templateBody: template, parameters: { Bucket: so.s3Bucket, Key: so.s3Key, Csc: csc.arn } });
            });
            expectViolations(preview, []);
            expectViolations(update, []);
        });

        it("a template given only by URL is reported at the level the user configures (advisory by default)", async () => {
            const { runProgram } = await import("../../engine/capture");
            const stack = await runProgram(() => new aws.cloudformation.Stack("remote", { templateUrl: "https://example.com/t.yaml" }), { preview: true });
            const advisory = await pack.session().analyze(stack);
            assert.deepStrictEqual(advisory.map(d => [d.policy, d.level]), [["lambda-cloudformation-template-url", "advisory"]]);
            assert.match(advisory[0].message, /its template is given only by templateUrl, which the policy pack can't read/);
            const mandatory = await pack.session().analyze(stack, { "lambda-cloudformation-template-url": "mandatory" });
            assert.deepStrictEqual(mandatory.map(d => [d.policy, d.level]), [["lambda-cloudformation-template-url", "mandatory"]]);
        });

        it("an inline template that can't be read fails closed (mandatory), e.g. a body computed from outputs in preview", async () => {
            const { runProgram } = await import("../../engine/capture");
            const stack = await runProgram(() => {
                const s = signingSetup();
                new aws.cloudformation.Stack("opaque", { templateBody: s.bucket.id.apply(b => JSON.stringify({ Resources: { F: { Type: "AWS::Lambda::Function", Properties: { Code: { S3Bucket: b, S3Key: "k" } } } } })) });
                new aws.cloudformation.Stack("garbled", { templateBody: "Resources: [unclosed" });
            }, { preview: true });
            const d = await pack.session().analyze(stack);
            const urn = (n: string) => stack.resources.find(r => r.name === n)!.urn;
            expectViolations(d, [
                { policy: ENFORCE, urn: urn("opaque"), message: /CloudFormation stack "opaque": its templateBody is unknown during preview, so the Lambda functions, layers and code signing configs it declares can't be checked\. Pass the template as a literal string/ },
                { policy: ENFORCE, urn: urn("garbled"), message: /CloudFormation stack "garbled": its templateBody can't be parsed as JSON or YAML/ },
            ]);
        });
    });

    describe("7. keys a program controls never silence the pack", () => {
        const SIG = "4dabf18193072939515e22adb298388d";

        it("an input named like the wire signature key, unknown in preview, on a CSC: the unprotected function is still caught", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                new RawResource(T.csc, "sneaky-csc", {
                    [SIG]: s.bucket.id,
                    allowedPublishers: { signingProfileVersionArns: [s.profile.versionArn] },
                    policies: { untrustedArtifactOnDeployment: "Enforce" },
                });
                new aws.lambda.Function("unprotected", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive() });
            });
            expectViolations(preview, [
                { policy: ENFORCE, urn: urn("unprotected"), message: /has no code signing config/ },
                { policy: CODE, urn: urn("unprotected"), message: /inline `code` archive/ },
            ]);
        });

        it("forged proxy-marker keys in a function's and a Warn CSC's inputs change nothing, at any level", async () => {
            const program = () => {
                const s = signingSetup();
                const forged = { __isSpecialProxy: true, __getSpecialProxyTarget: { policies: { untrustedArtifactOnDeployment: "Enforce" }, codeSigningConfigArn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0" } };
                // `arn: undefined` declares the output (the mock engine computes a CSC's arn, as AWS would).
                const warn = new RawResource(T.csc, "forged-csc", { ...forged, allowedPublishers: { signingProfileVersionArns: [s.profile.versionArn] }, policies: { untrustedArtifactOnDeployment: "Warn" }, arn: undefined });
                new RawResource(T.fn, "forged-fn", { ...forged, role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive(), codeSigningConfigArn: (warn as any).arn });
            };
            for (const level of ["mandatory", "remediate"] as const) {
                const { preview, urn } = await pack.both(program, { "lambda-csc-enforce-mode": level });
                expectViolations(preview, [
                    { policy: ENFORCE, urn: urn("forged-fn"), message: /uses CodeSigningConfig "forged-csc", which sets untrustedArtifactOnDeployment to Warn/ },
                    { policy: CODE, urn: urn("forged-fn"), message: /inline `code` archive/ },
                    { policy: "lambda-csc-enforce-mode", urn: urn("forged-csc"), message: /it can't be rewritten automatically: its inputs hold a property named "__isSpecialProxy", which @pulumi\/policy reserves for its proxies/ },
                ]);
            }
        });
    });

    describe("8. empty files", () => {
        it("a program whose archive holds an empty __init__.py is analysed (preview), at every level", async () => {
            // Preview only: in update mode the in-process mock engine (engine/capture) hands the engine's hash-only
            // asset back to the SDK, whose own deserializer rejects it before the pack is involved.
            const { runProgram } = await import("../../engine/capture");
            const stack = await runProgram(() => {
                new aws.lambda.Function("py", {
                    role: ROLE_ARN, runtime: "python3.12", handler: "app.handler",
                    code: new pulumi.asset.AssetArchive({ "__init__.py": new pulumi.asset.StringAsset(""), "app.py": new pulumi.asset.StringAsset("def handler(e, c): return 1") }),
                });
            }, { preview: true });
            const py = stack.resources.find(r => r.name === "py")!;
            assert.deepStrictEqual((py.inputs.code as any).assets["__init__.py"].hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "the engine's hash-only shape");
            for (const config of [undefined, { "lambda-csc-enforce-mode": "remediate" as const }]) {
                expectViolations(await pack.session().analyze(stack, config), [
                    { policy: ENFORCE, urn: py.urn, message: /has no code signing config/ },
                    { policy: CODE, urn: py.urn, message: /inline `code` archive/ },
                ]);
            }
        });

        // The same with hand-written requests: the engine's hash-only member, and the SDK's own `text: ""`.
        it("an archive holding an empty text asset is analysed in both wire shapes, and Remediate answers", async () => {
            const c = analyzerClient(pack.session());
            assert.ok(!(await rpc(c, "configure", configureRequest({ "lambda-csc-enforce-mode": { level: LEVEL.remediate, properties: {} } }))).error);
            const SIG = "4dabf18193072939515e22adb298388d";
            const asset = (fields: object) => ({ [SIG]: "c44067f5952c0a294b673a41bacd8c17", ...fields });
            for (const empty of [asset({ hash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" }), asset({ text: "" })]) {
                const code = { [SIG]: "0def7320c3a5731c473e5ecbe6d01bc7", assets: { "__init__.py": empty, "app.py": asset({ text: "def handler(e, c): return 1" }) } };
                const fn = { type: T.fn, name: "py", urn: `urn:pulumi:dev::proj::${T.fn}::py`, props: { code, handler: "app.handler", runtime: "python3.12" } };
                for (const method of ["remediate", "analyze"]) {
                    const r = await rpc(c, method, resourceRequest(fn), 10000);
                    assert.ok(!r.error, `${method}: ${r.error?.message}`);
                }
                const stack = await rpc(c, "analyzeStack", stackRequest([fn]), 10000);
                assert.ok(!stack.error, stack.error?.message);
                assert.deepStrictEqual(diagnostics(stack.response).map(d => `${d.policy} ${d.level}`).sort(), [`${ENFORCE} mandatory`, `${CODE} mandatory`]);
                assert.match(diagnostics(stack.response).find(d => d.policy === CODE)!.message, /inline `code` archive/);
            }
        });
    });

    describe("9. strict configuration", () => {
        it("out-of-schema values fail closed with a violation naming the policy, the property and the fix; account-less globs are rejected", async () => {
            const c = analyzerClient(pack.session());
            const configure = await rpc(c, "configure", configureRequest({
                "signer-profile-hygiene": { level: LEVEL.mandatory, properties: { maxSignatureValidityMonths: "12" } },
                "lambda-image-functions": { level: LEVEL.mandatory, properties: { imageFunctions: "ALLOW" } },
                "lambda-signed-layers": { level: LEVEL.mandatory, properties: { trustedLayerArns: ["arn:aws:lambda:*"] } },
            }));
            assert.ok(!configure.error, configure.error?.message);
            const urn = (name: string) => `urn:pulumi:dev::proj::pulumi:pulumi:Stack$${name}`;
            const profile = { type: T.profile, name: "p", urn: urn("p"), props: { platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 12 } } };
            const hygiene = diagnostics((await rpc(c, "analyze", resourceRequest(profile))).response).map(d => `${d.level} ${d.message.split("\n")[1]}`);
            assert.deepStrictEqual(hygiene, [
                `mandatory Invalid configuration of policy "signer-profile-hygiene": maxSignatureValidityMonths is the string "12". Set it to an integer from 1 to 135 (a number, not a string). Until the configuration is fixed, "signer-profile-hygiene" applies its most restrictive setting for maxSignatureValidityMonths.`,
                `mandatory SigningProfile "p" signs with a validity of 12 MONTHS (12 months), more than maxSignatureValidityMonths (1). Set signatureValidityPeriod to { type: "MONTHS", value: 1 } or less.`,
            ]);
            const image = diagnostics((await rpc(c, "analyze", resourceRequest({ type: T.fn, name: "img", urn: urn("img"), props: { packageType: "Image" } }))).response);
            assert.deepStrictEqual(image.map(d => d.level), ["mandatory", "mandatory"], "reported and denied");
            const stack = diagnostics((await rpc(c, "analyzeStack", stackRequest([{ type: T.fn, name: "f", urn: urn("f"), props: { layers: ["arn:aws:lambda:us-east-1:999999999999:layer:x:1"], code: UNKNOWN } }]))).response);
            assert.ok(stack.some(d => d.urn === "" && d.level === "mandatory" && /Invalid configuration of policy "lambda-signed-layers": trustedLayerArns entry "arn:aws:lambda:\*" is not a Lambda layer ARN pattern/.test(d.message)));
            assert.ok(stack.some(d => d.urn === urn("f") && /uses layer arn:aws:lambda:us-east-1:999999999999:layer:x:1, which is not created in this stack/.test(d.message)));
        });
    });
});
