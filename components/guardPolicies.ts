// Policy documents of the CodeSigningGuard as pure functions of known values. No statement uses a wildcard action.

/** Partition, account and Region the guard lives in. */
export interface AccountContext {
    partition: string;
    accountId: string;
    region: string;
}

/** The artifact bucket and (when the guard owns it) the KMS key that encrypts it. */
export interface ArtifactStore {
    bucket: string;
    keyArn?: string;
}

type Statement = Record<string, unknown>;

function document(statements: Statement[]) {
    return { Version: "2012-10-17", Statement: statements };
}

function bucketArn(ctx: AccountContext, bucket: string): string {
    return `arn:${ctx.partition}:s3:::${bucket}`;
}

function keyStatements(store: ArtifactStore, actions: string[]): Statement[] {
    return store.keyArn ? [{ Sid: "UseArtifactKey", Effect: "Allow", Action: actions, Resource: store.keyArn }] : [];
}

/** For the CI identity that signs: sign with this profile only, read unsigned uploads, write signed objects. */
export function signerPolicyDocument(ctx: AccountContext, profileArn: string, store: ArtifactStore) {
    const bucket = bucketArn(ctx, store.bucket);
    return document([
        { Sid: "SignWithGuardProfile", Effect: "Allow", Action: ["signer:StartSigningJob", "signer:GetSigningProfile"], Resource: profileArn },
        {
            Sid: "TrackSigningJobs", Effect: "Allow", Action: ["signer:DescribeSigningJob"],
            Resource: `arn:${ctx.partition}:signer:${ctx.region}:${ctx.accountId}:/signing-jobs/*`,
        },
        // The signing identity also owns the unsigned upload's lifecycle (create, refresh, replace) through Pulumi.
        {
            Sid: "ManageUnsignedUploads", Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:PutObject", "s3:DeleteObject"],
            Resource: `${bucket}/unsigned/*`,
        },
        { Sid: "WriteSignedObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${bucket}/signed/*` },
        { Sid: "InspectArtifactBucket", Effect: "Allow", Action: ["s3:GetBucketVersioning", "s3:ListBucket"], Resource: bucket },
        ...keyStatements(store, ["kms:Decrypt", "kms:GenerateDataKey"]),
    ]);
}

/** For deploy identities: create/update functions only with the guard's CSC, never remove it, never sign. */
export function deployerPolicyDocument(ctx: AccountContext, codeSigningConfigArn: string, store: ArtifactStore) {
    const functions = `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:*`;
    const csc = { "lambda:CodeSigningConfigArn": codeSigningConfigArn };
    return document([
        {
            Sid: "CreateOnlyWithGuardCsc", Effect: "Allow",
            Action: ["lambda:CreateFunction", "lambda:PutFunctionCodeSigningConfig"], Resource: functions,
            Condition: { StringEquals: csc },
        },
        // AWS documents lambda:CodeSigningConfigArn only for CreateFunction and PutFunctionCodeSigningConfig. IfExists
        // keeps code/config updates possible when the key is absent, while a request naming any other CSC is refused.
        {
            Sid: "UpdateOnlyWithGuardCsc", Effect: "Allow",
            Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], Resource: functions,
            Condition: { StringEqualsIfExists: csc },
        },
        { Sid: "NeverDetachCsc", Effect: "Deny", Action: ["lambda:DeleteFunctionCodeSigningConfig"], Resource: "*" },
        // Explicit deny, so an Allow from any other policy cannot create a function without (or attach another) CSC.
        {
            Sid: "DenyOtherCsc", Effect: "Deny",
            Action: ["lambda:CreateFunction", "lambda:PutFunctionCodeSigningConfig"], Resource: "*",
            Condition: { StringNotEquals: csc },
        },
        // Separation of duties: whoever deploys must not be able to sign.
        { Sid: "NeverSign", Effect: "Deny", Action: ["signer:StartSigningJob"], Resource: "*" },
        // Lambda fetches the package from S3 with the caller's permissions.
        {
            Sid: "ReadSignedObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: `${bucketArn(ctx, store.bucket)}/signed/*`,
        },
        ...keyStatements(store, ["kms:Decrypt"]),
    ]);
}

/** Actions refused on the artifact bucket over plain HTTP (an explicit list: no wildcard actions). */
export const tlsDeniedS3Actions = [
    "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging",
    "s3:PutObject", "s3:PutObjectTagging", "s3:PutObjectAcl", "s3:DeleteObject", "s3:DeleteObjectVersion",
    "s3:RestoreObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
    "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads",
    "s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:GetBucketPolicy", "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:DeleteBucket",
];

export function tlsOnlyBucketPolicyDocument(ctx: AccountContext, bucket: string) {
    const arn = bucketArn(ctx, bucket);
    return document([{
        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: tlsDeniedS3Actions,
        Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
    }]);
}

/** Key administration and use, granted to the account so IAM policies decide (explicit list instead of kms:*). */
export const accountKeyActions = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations",
    "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant",
    "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
];

/** Services that publish alerts to the (encrypted) alert topic. */
export const alertPublisherServices = ["events.amazonaws.com", "cloudwatch.amazonaws.com"];

export function keyPolicyDocument(ctx: AccountContext, allowAlertPublishers: boolean) {
    const statements: Statement[] = [{
        Sid: "AccountAdministersKey", Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: accountKeyActions, Resource: "*",
    }];
    if (allowAlertPublishers) {
        statements.push({
            Sid: "AlertPublishersEncrypt", Effect: "Allow", Principal: { Service: alertPublisherServices },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*",
        });
    }
    return document(statements);
}

export function alertTopicPolicyDocument(ctx: AccountContext, topicArn: string) {
    return document([{
        Sid: "AlertPublishers", Effect: "Allow", Principal: { Service: alertPublisherServices },
        Action: ["sns:Publish"], Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    }]);
}
