// Resource policies of the CodeSigningGuard (bucket, keys, topic, trail bucket) as pure functions of known values.
import { AccountContext, bucketArn, policyDocument, Statement } from "./guardPolicies";

/**
 * Every S3 action over plain HTTP is refused. A Deny may use a wildcard action (the "no wildcard action" rule is for
 * Allow statements); listing actions would miss the ones S3 adds later.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html (enforce encryption in transit)
 */
export function tlsOnlyStatement(ctx: AccountContext, bucket: string): Statement {
    const arn = bucketArn(ctx, bucket);
    return {
        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
        Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export function tlsOnlyBucketPolicyDocument(ctx: AccountContext, bucket: string) {
    return policyDocument([tlsOnlyStatement(ctx, bucket)]);
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

function accountAdministersKey(ctx: AccountContext): Statement {
    return {
        Sid: "AccountAdministersKey", Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: accountKeyActions, Resource: "*",
    };
}

/** The artifact key: only the account's IAM policies grant its use (no service principal at all). */
export function artifactKeyPolicyDocument(ctx: AccountContext) {
    return policyDocument([accountAdministersKey(ctx)]);
}

/** Services that publish alerts to the (encrypted) alert topic. */
export const alertPublisherServices = ["events.amazonaws.com", "cloudwatch.amazonaws.com"];

/**
 * The alert topic's own key. SNS encrypts each message with a data key requested on behalf of the publishing
 * service, so the key policy must let EventBridge and CloudWatch generate and decrypt data keys (SNS Developer
 * Guide, "Enable compatibility between event sources from AWS services and encrypted topics"). This key encrypts
 * nothing but the topic, so these grants never reach the artifacts.
 */
export function alertKeyPolicyDocument(ctx: AccountContext) {
    return policyDocument([accountAdministersKey(ctx), {
        Sid: "AlertPublishersUseKey", Effect: "Allow", Principal: { Service: alertPublisherServices },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*",
    }]);
}

/** EventBridge and CloudWatch of this account (aws:SourceAccount, confused-deputy protection) may publish. */
export function alertTopicPolicyDocument(ctx: AccountContext, topicArn: string) {
    return policyDocument([{
        Sid: "AlertPublishers", Effect: "Allow", Principal: { Service: alertPublisherServices },
        Action: ["sns:Publish"], Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    }]);
}

/**
 * Bucket policy CloudTrail needs to deliver a trail's logs, limited to that one trail (aws:SourceArn), plus TLS only.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function trailBucketPolicyDocument(ctx: AccountContext, bucket: string, trailArn: string) {
    const arn = bucketArn(ctx, bucket);
    const fromTrail = { "aws:SourceArn": trailArn };
    return policyDocument([
        {
            Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: ["s3:GetBucketAcl"], Resource: arn, Condition: { StringEquals: fromTrail },
        },
        {
            Sid: "CloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: ["s3:PutObject"], Resource: `${arn}/AWSLogs/${ctx.accountId}/*`,
            Condition: { StringEquals: { ...fromTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        tlsOnlyStatement(ctx, bucket),
    ]);
}
