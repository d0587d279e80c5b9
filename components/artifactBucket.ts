import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext } from "./guardPolicies";
import { tlsOnlyBucketPolicyDocument } from "./resourcePolicies";

export interface ArtifactBucketSettings {
    key: aws.kms.Key;
    ctx: pulumi.Output<AccountContext>;
    /** Days a replaced (noncurrent) object version is kept. */
    noncurrentVersionExpirationDays: number;
    /** Days a signed object is kept after it was written; undefined keeps signed objects. */
    signedObjectExpirationDays?: number;
    /** Let `pulumi destroy` delete the bucket with every object version in it. */
    forceDestroy: boolean;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Lifecycle of the artifact bucket. Replaced unsigned uploads are deleted by Pulumi itself (their key is a content
 * hash, so changed code replaces the object); signing jobs never delete their signed objects, and every overwrite or
 * delete in a versioned bucket leaves a noncurrent version and possibly a delete marker, so those expire here.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
 */
export function artifactLifecycleRules(settings: Pick<ArtifactBucketSettings, "noncurrentVersionExpirationDays" | "signedObjectExpirationDays">) {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
            expiration: { expiredObjectDeleteMarker: true },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
    ];
    if (settings.signedObjectExpirationDays !== undefined) {
        rules.push({
            id: "expire-signed-objects",
            status: "Enabled",
            filter: { prefix: "signed/" },
            expiration: { days: settings.signedObjectExpirationDays },
        });
    }
    return rules;
}

/** The guard's artifact bucket: versioned (Signer requires object versions), SSE-KMS, private, TLS only, expiring. */
export function createArtifactBucket(name: string, parent: pulumi.Resource, settings: ArtifactBucketSettings) {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-artifacts`, { forceDestroy: settings.forceDestroy, tags: settings.tags }, opts);
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-artifacts-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    const versioning = new aws.s3.BucketVersioning(`${name}-artifacts-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    }, opts);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-artifacts-encryption`, {
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: settings.key.arn },
            bucketKeyEnabled: true,
        }],
    }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-artifacts-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    const tlsPolicy = new aws.s3.BucketPolicy(`${name}-artifacts-tls-only`, {
        bucket: bucket.id,
        policy: pulumi.all([settings.ctx, bucket.bucket]).apply(([c, b]) => JSON.stringify(tlsOnlyBucketPolicyDocument(c, b))),
    }, { parent, dependsOn: [publicAccess] });
    // Noncurrent-version rules need versioning in place first.
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${name}-artifacts-lifecycle`, {
        bucket: bucket.id,
        rules: artifactLifecycleRules(settings),
    }, { parent, dependsOn: [versioning] });
    // Consumers of the name wait for every safeguard, so no upload or signing job races the versioning setup.
    const bucketName = pulumi.all([bucket.bucket, ownership.id, versioning.id, encryption.id, publicAccess.id, tlsPolicy.id, lifecycle.id])
        .apply(([b]) => b);
    return { bucketName };
}
