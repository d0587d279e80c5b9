/**
 * What each resource an inline template declares becomes (`templateOfResource`): the function, layer, CSC and profile
 * specs the rules judge, with every reference's path (violation messages name it), and SAM `Globals` merging.
 */
import * as assert from "assert";
import type { Reference } from "../../../../policies/lib/graph/model";
import type { CodeSpec } from "../../../../policies/lib/graph/specs";
import { templateOfResource } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN } from "../../helpers";

const STACK = "urn:s";
const specsOf = (template: Record<string, unknown>) => templateOfResource({ type: T.cfnStack, urn: STACK, name: "s", props: { templateBody: template } })!;
const lit = (value: unknown, path: string): Reference => ({ value, sources: [], path });
const inStack = (logicalId: string, type: string) => ({ urn: `${STACK}#${logicalId}`, type, name: `s/${logicalId}` });
const base = (logicalId: string, type: string) => ({
    id: `${STACK}#${logicalId}`, urn: STACK, name: `s/${logicalId}`, type, flavor: "cloudformation",
    template: { stackUrn: STACK, stackName: "s", logicalId },
});
const none3 = (path: string) => ({ bucket: lit(undefined, path), key: lit(undefined, path), version: lit(undefined, path) });
const PROFILE_ARN = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/1";
const LOCAL = (uri: string) => `its CodeUri ${JSON.stringify(uri)} is a local path: SAM packages and uploads it unsigned`;

/** The code spec of a SAM function with these properties (and these template parameters). */
function samCode(props: Record<string, unknown>, parameters: Record<string, unknown> = {}): CodeSpec {
    return specsOf({ Parameters: parameters, Resources: { F: { Type: "AWS::Serverless::Function", Properties: props } } }).functions[0].code;
}
/** A SAM function's code spec whose only source is CodeUri. */
const samS3 = (s3: CodeSpec["s3"], unverifiable?: string): CodeSpec => ({
    what: "the function", packageType: "Zip", inline: undefined, image: false, s3,
    ...(unverifiable ? { unverifiable } : {}), noSource: "the function has no code source (CodeUri is not set)",
});

describe("policies/lib/graph/cloudformation: declared resources", () => {
    it("a Lambda function: package type, handler, Code (S3 object version or image), CSC and per-element layer references, each with its path", () => {
        const t = specsOf({
            Parameters: { Kind: { Type: "String" } },
            Resources: {
                F: { Type: "AWS::Lambda::Function", Properties: {
                    PackageType: "Zip", Handler: "index.handler",
                    Code: { S3Bucket: "artifacts", S3Key: "signed/app.zip", S3ObjectVersion: "3" },
                    CodeSigningConfigArn: { "Fn::GetAtt": ["C", "CodeSigningConfigArn"] },
                    Layers: ["arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1", { Ref: "L" }],
                } },
                Img: { Type: "AWS::Lambda::Function", Properties: { PackageType: "Image", Code: { ImageUri: "repo/img:1" } } },
                Bare: { Type: "AWS::Lambda::Function", Properties: { Layers: null } },
                Unk: { Type: "AWS::Lambda::Function", Properties: { PackageType: { Ref: "Kind" }, Layers: { Ref: "Kind" } } },
                C: { Type: "AWS::Lambda::CodeSigningConfig" },
                L: { Type: "AWS::Lambda::LayerVersion", Properties: { Content: { S3Bucket: "b", S3Key: "l.zip" } } },
            },
        });
        assert.deepStrictEqual(t.node, { urn: STACK, name: "s", type: T.cfnStack, flavor: "classic", status: "inline" }, "no detail when the template is read");
        const lambdaCode = (packageType: string, s3: Partial<CodeSpec["s3"]> = {}, image = false): CodeSpec => ({
            what: "the function", packageType: packageType as CodeSpec["packageType"], inline: undefined, image,
            s3: { bucket: lit(undefined, "Code.S3Bucket"), key: lit(undefined, "Code.S3Key"), version: lit(undefined, "Code.S3ObjectVersion"), ...s3 },
            noSource: "the function has no code source (Code.S3Key is not set)",
        });
        const noLayers = { value: undefined, sources: [], path: "Layers", elements: [] };
        assert.deepStrictEqual(t.functions, [
            {
                ...base("F", "AWS::Lambda::Function"), packageType: "Zip", handler: "index.handler",
                code: lambdaCode("Zip", { bucket: lit("artifacts", "Code.S3Bucket"), key: lit("signed/app.zip", "Code.S3Key"), version: lit("3", "Code.S3ObjectVersion") }),
                csc: { value: UNKNOWN, sources: [inStack("C", "AWS::Lambda::CodeSigningConfig")], path: "CodeSigningConfigArn" },
                layers: {
                    value: ["arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1", { Ref: "L" }], sources: [], path: "Layers",
                    elements: [lit("arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1", "Layers"), { value: UNKNOWN, sources: [inStack("L", "AWS::Lambda::LayerVersion")], path: "Layers" }],
                },
            },
            { ...base("Img", "AWS::Lambda::Function"), packageType: "Image", handler: undefined, code: lambdaCode("Image", {}, true), csc: lit(undefined, "CodeSigningConfigArn"), layers: noLayers },
            { ...base("Bare", "AWS::Lambda::Function"), packageType: "Zip", handler: undefined, code: lambdaCode("Zip"), csc: lit(undefined, "CodeSigningConfigArn"), layers: noLayers },
            {
                ...base("Unk", "AWS::Lambda::Function"), packageType: "unknown", handler: undefined, code: lambdaCode("unknown"), csc: lit(undefined, "CodeSigningConfigArn"),
                layers: { value: UNKNOWN, sources: [], path: "Layers", elements: undefined },
            },
        ]);
    });

    it("a SAM function's CodeUri: a { Bucket, Key, Version } map (either half alone), an s3:// URI literal or parameter; anything else is a local path", () => {
        assert.deepStrictEqual(samCode({ CodeUri: { Bucket: "b", Key: "app.zip", Version: "2" } }), samS3({ bucket: lit("b", "CodeUri.Bucket"), key: lit("app.zip", "CodeUri.Key"), version: lit("2", "CodeUri.Version") }));
        assert.deepStrictEqual(samCode({ CodeUri: { Bucket: "b" } }), samS3({ bucket: lit("b", "CodeUri.Bucket"), key: lit(undefined, "CodeUri.Key"), version: lit(undefined, "CodeUri.Version") }));
        assert.deepStrictEqual(samCode({ CodeUri: { Key: "app.zip" } }), samS3({ bucket: lit(undefined, "CodeUri.Bucket"), key: lit("app.zip", "CodeUri.Key"), version: lit(undefined, "CodeUri.Version") }));
        const uri = { bucket: lit("b", "CodeUri"), key: lit("dir/app.zip", "CodeUri"), version: lit(undefined, "CodeUri") };
        assert.deepStrictEqual(samCode({ CodeUri: "s3://b/dir/app.zip" }), samS3(uri));
        assert.deepStrictEqual(samCode({ CodeUri: { Ref: "Uri" } }, { Uri: { Type: "String", Default: "s3://b/dir/app.zip" } }), samS3(uri), "an intrinsic is resolved, not read as a { Bucket, Key } map");
        for (const local of ["./src", "src/s3://b/app.zip", "s3://b/app.zip\n./src", "s3://b"]) {
            assert.deepStrictEqual(samCode({ CodeUri: local }), samS3(none3("CodeUri"), LOCAL(local)), local);
        }
    });

    it("a SAM function's InlineCode is inline, ImageUri is an image, and without CodeUri its message names CodeUri", () => {
        assert.deepStrictEqual(samCode({ InlineCode: "def handler(e, c): pass" }), {
            ...samS3(none3("CodeUri")), inline: { callbackFunction: false, detail: "its code is inline source (`InlineCode`), which is not signed" },
        });
        assert.deepStrictEqual(samCode({ PackageType: "Image", ImageUri: "repo/img:1" }), { ...samS3(none3("CodeUri")), packageType: "Image", image: true });
        assert.deepStrictEqual(samCode({}), samS3(none3("CodeUri")));
    });

    it("layer versions: Content with its object version, SAM ContentUri, each with the layer's no-source message", () => {
        const t = specsOf({ Resources: {
            L: { Type: "AWS::Lambda::LayerVersion", Properties: { Content: { S3Bucket: "b", S3Key: "l.zip", S3ObjectVersion: "4" } } },
            S: { Type: "AWS::Serverless::LayerVersion", Properties: { ContentUri: { Bucket: "b", Key: "s.zip" } } },
        } });
        assert.deepStrictEqual(t.layers, [
            {
                ...base("L", "AWS::Lambda::LayerVersion"),
                code: {
                    what: "the layer", packageType: undefined, inline: undefined, image: false,
                    s3: { bucket: lit("b", "Content.S3Bucket"), key: lit("l.zip", "Content.S3Key"), version: lit("4", "Content.S3ObjectVersion") },
                    noSource: "the layer has no code source (Content.S3Key is not set)",
                },
                arns: [],
            },
            {
                ...base("S", "AWS::Serverless::LayerVersion"),
                code: {
                    what: "the layer", packageType: undefined, inline: undefined, image: false,
                    s3: { bucket: lit("b", "ContentUri.Bucket"), key: lit("s.zip", "ContentUri.Key"), version: lit(undefined, "ContentUri.Version") },
                    noSource: "the layer has no code source (ContentUri is not set)",
                },
                arns: [],
            },
        ]);
    });

    it("code signing configs: mode, publishers per element (none when AllowedPublishers is absent), and signing profiles' names", () => {
        const t = specsOf({ Resources: {
            C: { Type: "AWS::Lambda::CodeSigningConfig", Properties: {
                AllowedPublishers: { SigningProfileVersionArns: [{ "Fn::GetAtt": ["P", "ProfileVersionArn"] }, PROFILE_ARN] },
                CodeSigningPolicies: { UntrustedArtifactOnDeployment: "Enforce" },
            } },
            D: { Type: "AWS::Lambda::CodeSigningConfig", Properties: { CodeSigningPolicies: { UntrustedArtifactOnDeployment: { "Fn::If": ["c", "Enforce", "Warn"] } } } },
            P: { Type: "AWS::Signer::SigningProfile", Properties: { ProfileName: "p" } },
            Q: { Type: "AWS::Signer::SigningProfile" },
        } });
        const cscBase = { policiesPath: "CodeSigningPolicies.UntrustedArtifactOnDeployment", modeKey: "UntrustedArtifactOnDeployment" };
        const publishersPath = "AllowedPublishers.SigningProfileVersionArns";
        assert.deepStrictEqual(t.cscs, [
            {
                ...base("C", "AWS::Lambda::CodeSigningConfig"), ...cscBase, policies: { UntrustedArtifactOnDeployment: "Enforce" },
                publishers: { value: [{ "Fn::GetAtt": ["P", "ProfileVersionArn"] }, PROFILE_ARN], sources: [], path: publishersPath },
                publisherElements: [{ value: UNKNOWN, sources: [inStack("P", "AWS::Signer::SigningProfile")], path: publishersPath }, lit(PROFILE_ARN, publishersPath)],
                arns: [],
            },
            {
                ...base("D", "AWS::Lambda::CodeSigningConfig"), ...cscBase, policies: { UntrustedArtifactOnDeployment: UNKNOWN },
                publishers: lit(undefined, publishersPath), publisherElements: undefined, arns: [],
            },
        ]);
        assert.deepStrictEqual(t.profiles, [
            { ...base("P", "AWS::Signer::SigningProfile"), region: undefined, known: { name: "p" } },
            { ...base("Q", "AWS::Signer::SigningProfile"), region: undefined, known: { name: undefined } },
        ]);
    });
});

describe("policies/lib/graph/cloudformation: SAM Globals", () => {
    const GLOBAL_URI = { Bucket: "shared", Key: "global.zip" };
    /** A SAM function's CodeUri spec under these Globals. */
    const withGlobals = (globalUri: unknown, uri: unknown) =>
        specsOf({ Globals: { Function: { CodeUri: globalUri } }, Resources: { F: { Type: "AWS::Serverless::Function", Properties: { CodeUri: uri } } } }).functions[0].code.s3;
    const merged = (version: Reference) => ({ bucket: lit("shared", "CodeUri.Bucket"), key: lit("global.zip", "CodeUri.Key"), version });

    it("a resource's map merges into the Globals map (the resource wins key by key)", () => {
        assert.deepStrictEqual(withGlobals(GLOBAL_URI, { Version: "7" }), merged(lit("7", "CodeUri.Version")));
        assert.deepStrictEqual(withGlobals(GLOBAL_URI, { Key: "own.zip" }), { ...merged(lit(undefined, "CodeUri.Version")), key: lit("own.zip", "CodeUri.Key") });
    });

    it("a map is only an intrinsic when its one key is Ref or Fn::<name>: look-alike keys and extra keys merge", () => {
        for (const look of [{ xRef: "v" }, { Refs: "v" }, { "MyFn::Sub": "v" }, { Ref: "X", Version: "7" }]) {
            const version = "Version" in look ? lit("7", "CodeUri.Version") : lit(undefined, "CodeUri.Version");
            assert.deepStrictEqual(withGlobals(GLOBAL_URI, look), merged(version), JSON.stringify(look));
        }
    });

    it("anything else replaces the Globals value: a string, an intrinsic in the resource, a map over an intrinsic in Globals", () => {
        assert.deepStrictEqual(withGlobals(GLOBAL_URI, "s3://own/app.zip"), { bucket: lit("own", "CodeUri"), key: lit("app.zip", "CodeUri"), version: lit(undefined, "CodeUri") });
        const branches = { "Fn::If": ["c", "s3://a/1.zip", "s3://b/2.zip"] };
        const alternatives = [lit("s3://a/1.zip", "CodeUri"), lit("s3://b/2.zip", "CodeUri")];
        assert.deepStrictEqual(withGlobals(GLOBAL_URI, branches), {
            bucket: { value: undefined, sources: [], path: "CodeUri", alternatives },
            key: { value: UNKNOWN, sources: [], path: "CodeUri", alternatives },
            version: lit(undefined, "CodeUri"),
        });
        const own = { Version: "7" };
        assert.deepStrictEqual(withGlobals({ "Fn::Sub": "s3://shared/${AWS::Region}.zip" }, own), { bucket: lit(undefined, "CodeUri"), key: lit(own, "CodeUri"), version: lit(undefined, "CodeUri") });
        const csc = specsOf({
            Globals: { Function: { CodeSigningConfigArn: { "Fn::GetAtt": ["C", "CodeSigningConfigArn"] } } },
            Resources: {
                C: { Type: "AWS::Lambda::CodeSigningConfig" },
                D: { Type: "AWS::Lambda::CodeSigningConfig" },
                F: { Type: "AWS::Serverless::Function", Properties: { CodeSigningConfigArn: { Ref: "D" } } },
            },
        }).functions[0].csc;
        assert.deepStrictEqual(csc, { value: UNKNOWN, sources: [inStack("D", "AWS::Lambda::CodeSigningConfig")], path: "CodeSigningConfigArn" }, "one intrinsic replaces another");
    });
});
