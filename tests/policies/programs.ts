/**
 * Building blocks for the Pulumi programs the policy specs run under mocks: raw @pulumi/aws resources wired the way
 * a careful user would (profile → versioned bucket → unsigned object → SigningJob → Enforce CSC → Function/Layer).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const ROLE_ARN = "arn:aws:iam::123456789012:role/lambda-exec";
export const EXTERNAL_CSC_ARN = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0";
export const DATADOG_LAYER_ARN = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115";
export const DATADOG_LAYER_GLOB = "arn:aws:lambda:*:464622532012:layer:Datadog-*";
export const DATADOG_PROFILE_VERSION_ARN =
    "arn:aws:signer:us-east-1:464622532012:/signing-profiles/DatadogLambdaSigningProfile/9vMI9ZAGLc";

export function codeArchive(body = "exports.handler = async () => ({ statusCode: 200 });"): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(body) });
}

export interface Signing {
    profile: aws.signer.SigningProfile;
    bucket: aws.s3.BucketV2;
}

export function signingProfile(
    name: string,
    args: Partial<aws.signer.SigningProfileArgs> = {},
    opts?: pulumi.CustomResourceOptions,
): aws.signer.SigningProfile {
    return new aws.signer.SigningProfile(
        name,
        { name: name.replace(/[^0-9a-zA-Z_]/g, "_"), platformId: "AWSLambda-SHA384-ECDSA", ...args },
        opts,
    );
}

export function signingSetup(prefix = "app", opts?: pulumi.CustomResourceOptions): Signing {
    const profile = signingProfile(`${prefix}-profile`, {}, opts);
    const bucket = new aws.s3.BucketV2(`${prefix}-artifacts`, {}, opts);
    new aws.s3.BucketVersioningV2(`${prefix}-artifacts-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, opts);
    return { profile, bucket };
}

export interface SignedObject {
    job: aws.signer.SigningJob;
    object: aws.s3.BucketObjectv2;
    s3Bucket: pulumi.Output<string>;
    s3Key: pulumi.Output<string>;
}

/** Upload code to the bucket, sign it with the profile, and expose the signed object. */
export function signedObject(
    name: string,
    s: Signing,
    opts?: pulumi.CustomResourceOptions,
    jobArgs: Partial<aws.signer.SigningJobArgs> = {},
    profileName: pulumi.Input<string> = s.profile.name,
): SignedObject {
    const object = new aws.s3.BucketObjectv2(`${name}-unsigned`, {
        bucket: s.bucket.id,
        key: `unsigned/${name}.zip`,
        source: codeArchive(),
    }, opts);
    const job = new aws.signer.SigningJob(`${name}-signing`, {
        profileName,
        source: { s3: { bucket: object.bucket, key: object.key, version: object.versionId } },
        destination: { s3: { bucket: s.bucket.id, prefix: `signed/${name}/` } },
        ...jobArgs,
    }, opts);
    return {
        job,
        object,
        s3Bucket: job.signedObjects.apply(o => o[0].s3s[0].bucket),
        s3Key: job.signedObjects.apply(o => o[0].s3s[0].key),
    };
}

export function enforceCsc(
    name: string,
    publishers: pulumi.Input<pulumi.Input<string>[]>,
    policies: aws.lambda.CodeSigningConfigArgs["policies"] | null = { untrustedArtifactOnDeployment: "Enforce" },
    opts?: pulumi.CustomResourceOptions,
): aws.lambda.CodeSigningConfig {
    return new aws.lambda.CodeSigningConfig(name, {
        allowedPublishers: { signingProfileVersionArns: publishers },
        ...(policies === null ? {} : { policies }),
    }, opts);
}

export function signedFunction(
    name: string,
    code: { s3Bucket: pulumi.Input<string>; s3Key: pulumi.Input<string> },
    codeSigningConfigArn: pulumi.Input<string> | undefined,
    extra: Partial<aws.lambda.FunctionArgs> = {},
    opts?: pulumi.CustomResourceOptions,
): aws.lambda.Function {
    return new aws.lambda.Function(name, {
        role: ROLE_ARN,
        runtime: "nodejs20.x",
        handler: "index.handler",
        packageType: "Zip",
        s3Bucket: code.s3Bucket,
        s3Key: code.s3Key,
        codeSigningConfigArn,
        ...extra,
    }, opts);
}

export function signedLayer(name: string, code: { s3Bucket: pulumi.Input<string>; s3Key: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    return new aws.lambda.LayerVersion(name, {
        layerName: name,
        compatibleRuntimes: ["nodejs20.x"],
        s3Bucket: code.s3Bucket,
        s3Key: code.s3Key,
    }, opts);
}

/** The fully compliant raw-resource program: signed function + signed layer behind an Enforce CSC. */
export function compliantProgram(opts?: pulumi.CustomResourceOptions) {
    const s = signingSetup("app", opts);
    const csc = enforceCsc("app-csc", [s.profile.versionArn], undefined, opts);
    const layerCode = signedObject("shared-layer", s, opts);
    const layer = signedLayer("shared-layer", layerCode, opts);
    const fnCode = signedObject("api", s, opts);
    const fn = signedFunction("api", fnCode, csc.arn, { layers: [layer.arn] }, opts);
    return { s, csc, layer, fn };
}

/** A component wrapping resources, for "any depth of the component tree". */
export class Wrapper extends pulumi.ComponentResource {
    constructor(name: string, build: (opts: pulumi.CustomResourceOptions) => void, opts?: pulumi.ComponentResourceOptions) {
        super("tests:index:Wrapper", name, {}, opts);
        build({ parent: this });
        this.registerOutputs({});
    }
}
