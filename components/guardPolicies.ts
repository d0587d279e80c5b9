// IAM policies of the CodeSigningGuard for the identities that sign and deploy, as pure functions of known values.
// No Allow statement uses a wildcard action. Every statement is proven by simulating requests against AWS's
// authorization data (tests/components/iam).

/** Partition, account and Region the guard lives in. */
export interface AccountContext {
    partition: string;
    accountId: string;
    region: string;
}

/** The artifact bucket and the KMS key that encrypts it (the guard's own, or `artifactBucketKmsKeyArn`). */
export interface ArtifactStore {
    bucket: string;
    keyArn?: string;
}

/** What the deploy identity may act on: the guard's code signing config, profile and function name prefix. */
export interface GuardedResources {
    codeSigningConfigArn: string;
    /** Signing profile ARN without the version (the `signing-profile` resource type). */
    signingProfileArn: string;
    /** Functions whose names start with this prefix are the ones the guard governs. */
    functionNamePrefix: string;
}

export type Statement = Record<string, unknown>;

export function policyDocument(statements: Statement[]) {
    return { Version: "2012-10-17", Statement: statements };
}

export function bucketArn(ctx: AccountContext, bucket: string): string {
    return `arn:${ctx.partition}:s3:::${bucket}`;
}

function lambdaArn(ctx: AccountContext, resource: string): string {
    return `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:${resource}`;
}

function signingJobsArn(ctx: AccountContext): string {
    return `arn:${ctx.partition}:signer:${ctx.region}:${ctx.accountId}:/signing-jobs/*`;
}

/**
 * Use of the artifact key, only through S3 in the guard's Region (kms:ViaService): Signer and Lambda read and write
 * the artifacts through S3 with the caller's permissions, so no direct KMS call is ever needed.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function keyStatements(ctx: AccountContext, store: ArtifactStore, actions: string[]): Statement[] {
    return store.keyArn ? [{
        Sid: "UseArtifactKeyThroughS3", Effect: "Allow", Action: actions, Resource: store.keyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` } },
    }] : [];
}

/** Lambda actions that put code into a function or change which code signing config checks it. */
export const deployActions = [
    "lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
    "lambda:PutFunctionCodeSigningConfig", "lambda:UpdateFunctionCodeSigningConfig",
    "lambda:DeleteFunctionCodeSigningConfig", "lambda:PublishLayerVersion",
];

/**
 * For the CI identity that signs: sign with this profile only, manage the unsigned upload's whole lifecycle, write
 * signed objects, and never deploy. StartSigningJob reads the source version and writes the signed object with the
 * caller's S3 permissions (Signer API reference, StartSigningJob: "Your S3 source bucket must be version enabled";
 * "AWS Signer uses your S3 destination bucket to write your signed code").
 */
export function signerPolicyDocument(ctx: AccountContext, signingProfileArn: string, store: ArtifactStore) {
    const bucket = bucketArn(ctx, store.bucket);
    return policyDocument([
        { Sid: "SignWithGuardProfile", Effect: "Allow", Action: ["signer:StartSigningJob", "signer:GetSigningProfile"], Resource: signingProfileArn },
        { Sid: "TrackSigningJobs", Effect: "Allow", Action: ["signer:DescribeSigningJob"], Resource: signingJobsArn(ctx) },
        // The Pulumi AWS provider creates the upload (PutObject), reads it back (HeadObject → GetObject,
        // GetObjectTagging) and deletes a versioned object by listing its versions and deleting each one
        // (ListObjectVersions → s3:ListBucketVersions, DeleteObject with VersionId → s3:DeleteObjectVersion).
        {
            Sid: "ManageUnsignedUploads", Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:DeleteObject", "s3:DeleteObjectVersion"],
            Resource: `${bucket}/unsigned/*`,
        },
        {
            Sid: "ListUnsignedUploadVersions", Effect: "Allow", Action: ["s3:ListBucketVersions"], Resource: bucket,
            Condition: { StringLike: { "s3:prefix": "unsigned/*" } },
        },
        { Sid: "WriteSignedObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${bucket}/signed/*` },
        { Sid: "InspectArtifactBucket", Effect: "Allow", Action: ["s3:GetBucketVersioning", "s3:ListBucket"], Resource: bucket },
        ...keyStatements(ctx, store, ["kms:Decrypt", "kms:GenerateDataKey"]),
        // Separation of duties, the other way round: whoever signs must not be able to deploy.
        { Sid: "NeverDeploy", Effect: "Deny", Action: deployActions, Resource: "*" },
    ]);
}

/**
 * For deploy identities: create, update and attach only functions named with the guard's prefix and only with the
 * guard's CSC; never detach or weaken the CSC; never sign. The explicit denies hold even when another policy grants
 * `lambda:*` or `signer:*`.
 *
 * AWS facts this rests on (Service Authorization Reference, "Actions, resources, and condition keys for AWS Lambda"):
 * - `lambda:CodeSigningConfigArn` exists only for CreateFunction and PutFunctionCodeSigningConfig; UpdateFunctionCode
 *   and UpdateFunctionConfiguration have no CSC key, so updates are scoped by function ARN (the name prefix).
 * - PutFunctionCodeSigningConfig requires both the `function` and the `code signing config` resource types.
 * - Creating a function with tags also needs lambda:TagResource (Lambda Developer Guide, "Using tags on Lambda
 *   functions": "grant this permission to anyone who needs to call TagResource or perform a tag on create").
 * Why a name prefix and not a tag: the `function` resource type supports aws:ResourceTag (Lambda Developer Guide,
 * "Using attribute-based access control in Lambda"), but then tagging an ungoverned function with the guard's tag
 * must be denied, and since a tag on create is authorized as lambda:TagResource as well, that deny would also block
 * creating governed functions. A function's name can only be chosen at creation, which needs the guard's CSC.
 */
export function deployerPolicyDocument(ctx: AccountContext, guarded: GuardedResources, store: ArtifactStore) {
    const governed = lambdaArn(ctx, `function:${guarded.functionNamePrefix}*`);
    const anyFunction = lambdaArn(ctx, "function:*");
    const csc = { "lambda:CodeSigningConfigArn": guarded.codeSigningConfigArn };
    return policyDocument([
        {
            Sid: "CreateGovernedFunctionsWithGuardCsc", Effect: "Allow", Action: ["lambda:CreateFunction"],
            Resource: governed, Condition: { StringEquals: csc },
        },
        {
            Sid: "AttachGuardCsc", Effect: "Allow", Action: ["lambda:PutFunctionCodeSigningConfig"],
            Resource: [governed, guarded.codeSigningConfigArn], Condition: { StringEquals: csc },
        },
        {
            Sid: "UpdateGovernedFunctions", Effect: "Allow",
            Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], Resource: governed,
        },
        {
            Sid: "TagGovernedFunctions", Effect: "Allow", Action: ["lambda:TagResource", "lambda:UntagResource", "lambda:ListTags"],
            Resource: governed,
        },
        // A request that names no CSC or another one: StringNotEquals also matches when the key is absent.
        {
            Sid: "DenyCreateOrAttachWithoutGuardCsc", Effect: "Deny",
            Action: ["lambda:CreateFunction", "lambda:PutFunctionCodeSigningConfig"], Resource: "*",
            Condition: { StringNotEquals: csc },
        },
        {
            Sid: "DenyOtherCodeSigningConfigs", Effect: "Deny",
            Action: ["lambda:PutFunctionCodeSigningConfig", "lambda:UpdateFunctionCodeSigningConfig"],
            NotResource: [guarded.codeSigningConfigArn, anyFunction],
        },
        {
            Sid: "DenyUpdatesOutsideGuard", Effect: "Deny",
            Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], NotResource: governed,
        },
        { Sid: "NeverDetachCsc", Effect: "Deny", Action: ["lambda:DeleteFunctionCodeSigningConfig"], Resource: "*" },
        {
            Sid: "NeverWeakenGuardCsc", Effect: "Deny",
            Action: ["lambda:UpdateCodeSigningConfig", "lambda:DeleteCodeSigningConfig"], Resource: guarded.codeSigningConfigArn,
        },
        // Separation of duties: whoever deploys must not be able to sign, nor let anyone else sign with the profile.
        { Sid: "NeverSign", Effect: "Deny", Action: ["signer:StartSigningJob", "signer:SignPayload"], Resource: "*" },
        {
            Sid: "NeverShareGuardProfile", Effect: "Deny",
            Action: ["signer:AddProfilePermission", "signer:RemoveProfilePermission", "signer:CancelSigningProfile"],
            Resource: guarded.signingProfileArn,
        },
        // A SignedFunction deploying an artifact signed by a separate CI job looks the job up (DescribeSigningJob).
        { Sid: "ReadSigningJobs", Effect: "Allow", Action: ["signer:DescribeSigningJob"], Resource: signingJobsArn(ctx) },
        // Lambda fetches the package from S3 with the caller's permissions.
        {
            Sid: "ReadSignedObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: `${bucketArn(ctx, store.bucket)}/signed/*`,
        },
        ...keyStatements(ctx, store, ["kms:Decrypt"]),
    ]);
}
