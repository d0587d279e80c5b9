/**
 * Resource type tokens (strings only: the pack never loads @pulumi/aws at runtime) and what each kind of resource
 * means for the code-signing graph, for Pulumi resources (classic and aws-native) and CloudFormation templates.
 */

export const FUNCTION_TYPES = {
    classic: "aws:lambda/function:Function",
    native: "aws-native:lambda:Function",
} as const;
export const CSC_TYPES = {
    classic: "aws:lambda/codeSigningConfig:CodeSigningConfig",
    native: "aws-native:lambda:CodeSigningConfig",
} as const;
export const LAYER_TYPES = {
    classic: "aws:lambda/layerVersion:LayerVersion",
    native: "aws-native:lambda:LayerVersion",
} as const;
export const SIGNING_PROFILE_TYPES = {
    classic: "aws:signer/signingProfile:SigningProfile",
    native: "aws-native:signer:SigningProfile",
} as const;
export const SIGNING_JOB_TYPE = "aws:signer/signingJob:SigningJob";
export const OBJECT_COPY_TYPE = "aws:s3/objectCopy:ObjectCopy";
export const S3_OBJECT_TYPES: readonly string[] = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];
export const CLOUDFORMATION_STACK_TYPES = {
    classic: "aws:cloudformation/stack:Stack",
    native: "aws-native:cloudformation:Stack",
} as const;

/** CloudFormation resource types the template adapter reads. */
export const CFN = {
    function: "AWS::Lambda::Function",
    serverlessFunction: "AWS::Serverless::Function",
    layer: "AWS::Lambda::LayerVersion",
    serverlessLayer: "AWS::Serverless::LayerVersion",
    csc: "AWS::Lambda::CodeSigningConfig",
    profile: "AWS::Signer::SigningProfile",
    bucket: "AWS::S3::Bucket",
} as const;

/** Publisher-count bounds of `AllowedPublishers.SigningProfileVersionArns`. */
export const MIN_PUBLISHERS = 1;
export const MAX_PUBLISHERS = 20;

export type Flavor = "classic" | "native" | "cloudformation";

/**
 * `reference`: a stack reference, whose outputs are known values in preview and update alike (read from the
 * referenced stack): a value that derives from one is judged by the value itself.
 */
export type SourceKind = "function" | "csc" | "layer" | "profile" | "job" | "object" | "copy" | "bucket" | "stack" | "reference" | "other";

const KIND_BY_TYPE = new Map<string, SourceKind>([
    [FUNCTION_TYPES.classic, "function"],
    [FUNCTION_TYPES.native, "function"],
    [CFN.function, "function"],
    [CFN.serverlessFunction, "function"],
    [CSC_TYPES.classic, "csc"],
    [CSC_TYPES.native, "csc"],
    [CFN.csc, "csc"],
    [LAYER_TYPES.classic, "layer"],
    [LAYER_TYPES.native, "layer"],
    [CFN.layer, "layer"],
    [CFN.serverlessLayer, "layer"],
    [SIGNING_PROFILE_TYPES.classic, "profile"],
    [SIGNING_PROFILE_TYPES.native, "profile"],
    [CFN.profile, "profile"],
    [SIGNING_JOB_TYPE, "job"],
    [OBJECT_COPY_TYPE, "copy"],
    [CFN.bucket, "bucket"],
    ["aws-native:s3:Bucket", "bucket"],
    [CLOUDFORMATION_STACK_TYPES.classic, "stack"],
    [CLOUDFORMATION_STACK_TYPES.native, "stack"],
    ["pulumi:pulumi:StackReference", "reference"],
    ...S3_OBJECT_TYPES.map(t => [t, "object"] as [string, SourceKind]),
]);

/** Buckets and their configuration resources (`aws:s3/bucketVersioning:…`): a bucket name, never an object. */
const S3_BUCKET_TYPE = /^aws:s3\/(bucket|directoryBucket)[A-Za-z0-9]*:/;

export function kindOf(type: string): SourceKind {
    const kind = KIND_BY_TYPE.get(type);
    if (kind) {
        return kind;
    }
    return S3_BUCKET_TYPE.test(type) ? "bucket" : "other";
}

export function flavorOf(type: string): Flavor {
    return type.startsWith("aws-native:") ? "native" : type.startsWith("AWS::") ? "cloudformation" : "classic";
}
