import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, tlsOnlyBucketPolicyDocument } from "./guardPolicies";

/** The guard's artifact bucket: versioned (Signer requires object versions), SSE-KMS, private, TLS only. */
export function createArtifactBucket(name: string, parent: pulumi.Resource, key: aws.kms.Key,
    ctx: pulumi.Output<AccountContext>, tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined) {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-artifacts`, { forceDestroy: false, tags }, opts);
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
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
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
        policy: pulumi.all([ctx, bucket.bucket]).apply(([c, b]) => JSON.stringify(tlsOnlyBucketPolicyDocument(c, b))),
    }, { parent, dependsOn: [publicAccess] });
    // Consumers of the name wait for every safeguard, so no upload or signing job races the versioning setup.
    const bucketName = pulumi.all([bucket.bucket, ownership.id, versioning.id, encryption.id, publicAccess.id, tlsPolicy.id])
        .apply(([b]) => b);
    return { bucketName };
}
