import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createArtifactBucket } from "./artifactBucket";
import { AccountContext, ArtifactStore, deployerPolicyDocument, signerPolicyDocument } from "./guardPolicies";
import { maxPublishers, validateGuardArgs } from "./guardValidation";
import { artifactKeyPolicyDocument } from "./resourcePolicies";
import { createRevocations, ParsedRevocation, ProfileVersionRevocation } from "./revocation";
import { AlertSubscription, createSignatureAlerts } from "./signatureAlerts";
import { checkArnList, fail, patterns } from "./validation";

/** What Lambda does with code whose signature is missing, untrusted, expired or revoked. */
export const UntrustedArtifactAction = {
    /** Reject the deployment (the guard's default). */
    Enforce: "Enforce",
    /** Deploy anyway and only log a warning. Requires `acknowledgeWarnMode`. */
    Warn: "Warn",
} as const;
export type UntrustedArtifactAction = (typeof UntrustedArtifactAction)[keyof typeof UntrustedArtifactAction];

/** Arguments of a CodeSigningGuard. */
export interface CodeSigningGuardArgs {
    /** How long signatures stay valid, in whole months from 1 to 135. Defaults to 135 (the AWS maximum). */
    signatureValidityMonths?: number;
    /**
     * Exact signing profile name (`^[0-9a-zA-Z_]{2,64}$`, no hyphens). Names of canceled profiles can never be reused,
     * so prefer the generated default.
     */
    signingProfileName?: string;
    /**
     * Prefix for the generated signing profile name (letters, digits and `_`, at most 38 characters). Defaults to the
     * component name with other characters replaced by `_`, ending in `_`. Changing it replaces the profile.
     */
    signingProfileNamePrefix?: string;
    /**
     * Other signing profile version ARNs the code signing config trusts besides this guard's profile, e.g. vendor
     * layers (Datadog). At most 19, since a code signing config allows 20 publishers.
     */
    trustedProfileVersionArns?: pulumi.Input<string>[];
    /** Code signing policy for untrusted artifacts. Defaults to `Enforce`; `Warn` requires `acknowledgeWarnMode`. */
    untrustedArtifactOnDeployment?: UntrustedArtifactAction;
    /**
     * Must be true to use `Warn`: you accept that unsigned, untrusted, expired or revoked code deploys with only a
     * warning. Defaults to false.
     */
    acknowledgeWarnMode?: boolean;
    /**
     * Name prefix of the functions this guard governs (1-40 letters, digits, `-` or `_`). SignedFunction names its
     * function with it, and the deployer policy lets the deploy identity create, update and attach only functions
     * whose names start with it. Defaults to the component name followed by `-signed-`. No other identity should
     * create functions with this prefix without the guard's code signing config.
     */
    functionNamePrefix?: string;
    /**
     * Use this existing bucket for artifacts instead of creating one. It must have versioning enabled (AWS Signer
     * requires object versions); the guard then creates no bucket, no bucket policy, no lifecycle and no key for it.
     */
    artifactBucketName?: pulumi.Input<string>;
    /**
     * ARN of the KMS key that encrypts the existing `artifactBucketName` (SSE-KMS). The signer and deployer policies
     * then grant its use through S3; the key's policy must let the account's IAM policies grant it (the default key
     * policy does).
     */
    artifactBucketKmsKeyArn?: pulumi.Input<string>;
    /** Days a replaced (noncurrent) artifact version is kept before S3 deletes it, 1 to 3650. Defaults to 30. */
    noncurrentVersionExpirationDays?: number;
    /**
     * Days after which S3 deletes signed objects (`signed/`), 1 to 3650. Lambda keeps its own copy of deployed code,
     * but a function or layer version that must be re-created from an expired object fails until its code changes.
     * Defaults to keeping signed objects.
     */
    signedObjectExpirationDays?: number;
    /**
     * Let `pulumi destroy` delete the artifact bucket together with every object version in it. Defaults to false:
     * destroy then fails with BucketNotEmpty until the bucket is emptied. Set it and run `pulumi up` before destroying.
     */
    forceDestroyArtifacts?: boolean;
    /**
     * Alert on deployments rejected for code-signing reasons (EventBridge rule on CloudTrail) and on
     * SignatureValidationErrors (CloudWatch alarm). Defaults to false.
     */
    enableAlerts?: boolean;
    /**
     * Existing SNS topic for the alerts (requires `enableAlerts`). Its policy must let events.amazonaws.com and
     * cloudwatch.amazonaws.com publish, and a KMS key encrypting it must let them use the key. Defaults to a new
     * topic encrypted with its own KMS key.
     */
    alertTopicArn?: pulumi.Input<string>;
    /** Subscribers of the alert topic, e.g. `[{ protocol: "email", endpoint: "secops@example.com" }]` (requires `enableAlerts`). */
    alertSubscriptions?: AlertSubscription[];
    /**
     * Create a single-Region CloudTrail trail (and its log bucket) for the rejection rule (requires `enableAlerts`).
     * EventBridge receives Lambda API calls only from CloudTrail, so without this an existing trail that logs write
     * management events in this Region must be enabled. Defaults to false.
     */
    createAlertTrail?: boolean;
    /**
     * Signing profile versions to revoke (irreversibly) with the AWS CLI and the credentials of the machine running
     * Pulumi. Each entry runs once; removing or editing an entry later does nothing in AWS.
     */
    revokedProfileVersions?: ProfileVersionRevocation[];
    /** Tags for every taggable resource of the guard. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The guard outputs a SignedFunction or SignedLayer needs; spread `guard.signingArgs()` into their arguments. */
export interface SigningArgs {
    /** Name of the guard's signing profile. */
    signingProfileName: pulumi.Output<string>;
    /** ARN of the guard's code signing config (ignored by SignedLayer). */
    codeSigningConfigArn: pulumi.Output<string>;
    /** Name of the guard's artifact bucket. */
    artifactBucket: pulumi.Output<string>;
    /** Name prefix of the functions the guard governs (ignored by SignedLayer). */
    functionNamePrefix: pulumi.Output<string>;
}

const platformId = "AWSLambda-SHA384-ECDSA";

/**
 * Trust anchor of one team/environment: an AWS Signer profile, an Enforce code signing config, a hardened artifact
 * bucket, separate signer and deployer IAM policies, optional alerts and declarative revocation.
 */
export class CodeSigningGuard extends pulumi.ComponentResource {
    /** ARN of the code signing config; attach it to every function (SignedFunction `codeSigningConfigArn`). */
    public readonly codeSigningConfigArn: pulumi.Output<string>;
    /** Name of the AWS Signer signing profile. */
    public readonly signingProfileName: pulumi.Output<string>;
    /** Version ARN of the signing profile, the publisher the code signing config trusts. */
    public readonly signingProfileVersionArn: pulumi.Output<string>;
    /** Name of the versioned artifact bucket (unsigned uploads under `unsigned/`, signed objects under `signed/`). */
    public readonly artifactBucketName: pulumi.Output<string>;
    /** Name prefix of the functions the guard governs; SignedFunction names its function with it. */
    public readonly functionNamePrefix: pulumi.Output<string>;
    /** ARN of the managed policy for identities that sign (upload + signing job); attach it to CI signer roles. */
    public readonly signerPolicyArn: pulumi.Output<string>;
    /** ARN of the managed policy for identities that deploy functions; it denies signing. */
    public readonly deployerPolicyArn: pulumi.Output<string>;
    /** ARN of the SNS topic receiving the alerts; set only when `enableAlerts` is true. */
    public readonly alertTopicArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: CodeSigningGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lambda-code-signing:index:CodeSigningGuard", name, {}, opts);
        args = args ?? {};

        const checked = validateGuardArgs(this, name, args);
        const trusted = checkArnList(this, "trustedProfileVersionArns", args.trustedProfileVersionArns,
            patterns.signingProfileVersionArn, maxPublishers - 1,
            "Pass signing profile VERSION ARNs like arn:aws:signer:us-east-1:123456789012:/signing-profiles/Name/AbCdEf1234");
        if (checked.action === UntrustedArtifactAction.Warn) {
            pulumi.log.warn("untrustedArtifactOnDeployment is Warn (acknowledged): Lambda will deploy unsigned code, " +
                "code from untrusted profiles, and expired or revoked signatures with only a warning " +
                "(SignatureValidationErrors metric); only integrity failures still block. Use Enforce in production.", this);
        }

        const ctx = accountContext(this);
        const profile = new aws.signer.SigningProfile(`${name}-profile`, {
            platformId,
            ...checked.profileNaming,
            signatureValidityPeriod: { type: "MONTHS", value: checked.months },
            tags: args.tags,
        }, { parent: this });
        const ownVersion = refuseRevokedVersion(this, profile.versionArn, checked.revocations);

        const csc = new aws.lambda.CodeSigningConfig(`${name}-csc`, {
            description: `Code signing for ${name}`,
            allowedPublishers: { signingProfileVersionArns: publishers(ownVersion, trusted) },
            policies: { untrustedArtifactOnDeployment: checked.action },
            tags: args.tags,
        }, { parent: this });

        const { store, bucket } = artifactStore(name, this, args, ctx);
        const guarded = pulumi.all([csc.arn, profile.arn]).apply(([codeSigningConfigArn, signingProfileArn]) =>
            ({ codeSigningConfigArn, signingProfileArn, functionNamePrefix: checked.functionNamePrefix }));
        const signerPolicy = new aws.iam.Policy(`${name}-signer`, {
            description: `Sign Lambda code with the ${name} signing profile (attach to the CI identity that signs only)`,
            policy: pulumi.all([ctx, profile.arn, store]).apply(([c, arn, s]) => JSON.stringify(signerPolicyDocument(c, arn, s))),
            tags: args.tags,
        }, { parent: this });
        const deployerPolicy = new aws.iam.Policy(`${name}-deployer`, {
            description: `Deploy Lambda functions only with the ${name} code signing config; denies signing`,
            policy: pulumi.all([ctx, guarded, store]).apply(([c, g, s]) => JSON.stringify(deployerPolicyDocument(c, g, s))),
            tags: args.tags,
        }, { parent: this });

        this.alertTopicArn = args.enableAlerts
            ? createSignatureAlerts(name, this, {
                topicArn: args.alertTopicArn, subscriptions: args.alertSubscriptions ?? [],
                createTrail: args.createAlertTrail === true, ctx, tags: args.tags,
            }).topicArn
            : pulumi.output(undefined);
        createRevocations(name, this, checked.revocations);

        this.codeSigningConfigArn = csc.arn;
        this.signingProfileName = profile.name;
        this.signingProfileVersionArn = ownVersion;
        this.artifactBucketName = bucket;
        this.functionNamePrefix = pulumi.output(checked.functionNamePrefix);
        this.signerPolicyArn = signerPolicy.arn;
        this.deployerPolicyArn = deployerPolicy.arn;
        this.registerOutputs({
            codeSigningConfigArn: this.codeSigningConfigArn,
            signingProfileName: this.signingProfileName,
            signingProfileVersionArn: this.signingProfileVersionArn,
            artifactBucketName: this.artifactBucketName,
            functionNamePrefix: this.functionNamePrefix,
            signerPolicyArn: this.signerPolicyArn,
            deployerPolicyArn: this.deployerPolicyArn,
            alertTopicArn: this.alertTopicArn,
        });
    }

    /** The arguments a SignedFunction (or SignedLayer) needs from this guard, to spread into its args. */
    public signingArgs(): SigningArgs {
        return {
            signingProfileName: this.signingProfileName,
            codeSigningConfigArn: this.codeSigningConfigArn,
            artifactBucket: this.artifactBucketName,
            functionNamePrefix: this.functionNamePrefix,
        };
    }
}

/** The guard's own bucket and key, or the existing bucket (and its key, when given). */
function artifactStore(name: string, parent: pulumi.Resource, args: CodeSigningGuardArgs,
    ctx: pulumi.Output<AccountContext>): { store: pulumi.Output<ArtifactStore>; bucket: pulumi.Output<string> } {
    if (args.artifactBucketName !== undefined) {
        const store = pulumi.all([args.artifactBucketName, args.artifactBucketKmsKeyArn])
            .apply(([bucket, keyArn]): ArtifactStore => (keyArn === undefined ? { bucket } : { bucket, keyArn }));
        return { store, bucket: pulumi.output(args.artifactBucketName) };
    }
    const key = new aws.kms.Key(`${name}-key`, {
        description: `Encrypts the ${name} code-signing artifacts`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: ctx.apply(c => JSON.stringify(artifactKeyPolicyDocument(c))),
        tags: args.tags,
    }, { parent });
    const { bucketName } = createArtifactBucket(name, parent, {
        key, ctx, tags: args.tags,
        noncurrentVersionExpirationDays: args.noncurrentVersionExpirationDays ?? 30,
        signedObjectExpirationDays: args.signedObjectExpirationDays,
        forceDestroy: args.forceDestroyArtifacts === true,
    });
    const store = pulumi.all([bucketName, key.arn]).apply(([bucket, keyArn]): ArtifactStore => ({ bucket, keyArn }));
    return { store, bucket: bucketName };
}

/**
 * A revoked version can start no signing job, so a code signing config trusting it only blocks every deployment.
 * Checked when the version is known: after a profile replacement the new version is unknown at preview.
 */
function refuseRevokedVersion(parent: pulumi.Resource, versionArn: pulumi.Output<string>,
    revocations: ParsedRevocation[]): pulumi.Output<string> {
    const revoked = new Set(revocations.map(r => r.profileVersionArn));
    return versionArn.apply(v => {
        if (revoked.has(v)) {
            fail(parent, "revokedProfileVersions", `revokes ${v}, the version this guard's profile and code signing ` +
                "config still use", "Replace the profile in the same change (set a new signingProfileNamePrefix), " +
                "so new code is signed with a new version");
        }
        return v;
    });
}

function publishers(own: pulumi.Output<string>, trusted: pulumi.Input<pulumi.Input<string>[]> | undefined) {
    if (trusted === undefined || Array.isArray(trusted)) {
        return [own, ...(trusted ?? [])];
    }
    return pulumi.all([own, trusted]).apply(([o, t]) => [o, ...t]);
}

function accountContext(parent: pulumi.Resource): pulumi.Output<AccountContext> {
    const opts = { parent };
    return pulumi.all([aws.getPartitionOutput({}, opts), aws.getCallerIdentityOutput({}, opts), aws.getRegionOutput({}, opts)])
        .apply(([p, id, r]) => ({ partition: p.partition, accountId: id.accountId, region: r.region }));
}
