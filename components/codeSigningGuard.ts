import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createArtifactBucket } from "./artifactBucket";
import { AccountContext, ArtifactStore, deployerPolicyDocument, keyPolicyDocument, signerPolicyDocument } from "./guardPolicies";
import { createRevocations, ProfileVersionRevocation, validateRevocations } from "./revocation";
import { createSignatureAlerts } from "./signatureAlerts";
import { checkArnList, fail, patterns, requireInteger, sanitize } from "./validation";

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
     * component name with other characters replaced by `_`, ending in `_`.
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
     * Use this existing bucket for artifacts instead of creating one. It must have versioning enabled (AWS Signer
     * requires object versions); the guard then creates no bucket and no KMS key for it.
     */
    artifactBucketName?: pulumi.Input<string>;
    /**
     * Alert on deployments rejected for code-signing reasons (EventBridge rule on CloudTrail) and on
     * SignatureValidationErrors (CloudWatch alarm). Defaults to false.
     */
    enableAlerts?: boolean;
    /**
     * Existing SNS topic for the alerts (requires `enableAlerts`). Its policy must let events.amazonaws.com and
     * cloudwatch.amazonaws.com publish, and a KMS key encrypting it must let them use the key. Defaults to a new
     * topic encrypted with the guard's key.
     */
    alertTopicArn?: pulumi.Input<string>;
    /**
     * Signing profile versions to revoke (irreversibly) with the AWS CLI of the machine running Pulumi. Removing an
     * entry later does nothing: revocations cannot be undone.
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
}

const platformId = "AWSLambda-SHA384-ECDSA";
const maxPublishers = 20;

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
    /** ARN of the managed policy for identities that sign (upload + signing job); attach it to CI signer roles. */
    public readonly signerPolicyArn: pulumi.Output<string>;
    /** ARN of the managed policy for identities that deploy functions; it denies signing. */
    public readonly deployerPolicyArn: pulumi.Output<string>;
    /** ARN of the SNS topic receiving the alerts; set only when `enableAlerts` is true. */
    public readonly alertTopicArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: CodeSigningGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lambda-code-signing:index:CodeSigningGuard", name, {}, opts);
        args = args ?? {};

        const { action, profileNaming, months } = validateGuardArgs(this, name, args);
        const trusted = checkArnList(this, "trustedProfileVersionArns", args.trustedProfileVersionArns,
            patterns.signingProfileVersionArn, maxPublishers - 1,
            "Pass signing profile VERSION ARNs like arn:aws:signer:us-east-1:123456789012:/signing-profiles/Name/AbCdEf1234");
        if (action === UntrustedArtifactAction.Warn) {
            pulumi.log.warn("untrustedArtifactOnDeployment is Warn (acknowledged): Lambda will deploy unsigned code, " +
                "code from untrusted profiles, and expired or revoked signatures with only a warning " +
                "(SignatureValidationErrors metric); only integrity failures still block. Use Enforce in production.", this);
        }

        const ctx = accountContext(this);
        const ownsBucket = args.artifactBucketName === undefined;
        const createsTopic = args.enableAlerts === true && args.alertTopicArn === undefined;
        const key = ownsBucket || createsTopic ? new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the ${name} code-signing artifacts and alerts`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: ctx.apply(c => JSON.stringify(keyPolicyDocument(c, createsTopic))),
            tags: args.tags,
        }, { parent: this }) : undefined;

        const profile = new aws.signer.SigningProfile(`${name}-profile`, {
            platformId,
            ...profileNaming,
            signatureValidityPeriod: { type: "MONTHS", value: months },
            tags: args.tags,
        }, { parent: this });

        const csc = new aws.lambda.CodeSigningConfig(`${name}-csc`, {
            description: `Code signing for ${name}`,
            allowedPublishers: { signingProfileVersionArns: publishers(profile.versionArn, trusted) },
            policies: { untrustedArtifactOnDeployment: action },
            tags: args.tags,
        }, { parent: this });

        const bucketName = ownsBucket
            ? createArtifactBucket(name, this, key!, ctx, args.tags).bucketName
            : pulumi.output(args.artifactBucketName!);
        const store = pulumi.all([bucketName, key?.arn]).apply(([bucket, keyArn]): ArtifactStore =>
            ownsBucket ? { bucket, keyArn } : { bucket });

        const signerPolicy = new aws.iam.Policy(`${name}-signer`, {
            description: `Sign Lambda code with the ${name} signing profile (attach to the CI identity that signs only)`,
            policy: pulumi.all([ctx, profile.arn, store]).apply(([c, arn, s]) => JSON.stringify(signerPolicyDocument(c, arn, s))),
            tags: args.tags,
        }, { parent: this });
        const deployerPolicy = new aws.iam.Policy(`${name}-deployer`, {
            description: `Deploy Lambda functions only with the ${name} code signing config; denies signing`,
            policy: pulumi.all([ctx, csc.arn, store]).apply(([c, arn, s]) => JSON.stringify(deployerPolicyDocument(c, arn, s))),
            tags: args.tags,
        }, { parent: this });

        this.alertTopicArn = args.enableAlerts
            ? createSignatureAlerts(name, this, { topicArn: args.alertTopicArn, key, ctx, tags: args.tags })
            : pulumi.output(undefined);
        createRevocations(name, this, profile.name, ctx.region, args.revokedProfileVersions);

        this.codeSigningConfigArn = csc.arn;
        this.signingProfileName = profile.name;
        this.signingProfileVersionArn = profile.versionArn;
        this.artifactBucketName = bucketName;
        this.signerPolicyArn = signerPolicy.arn;
        this.deployerPolicyArn = deployerPolicy.arn;
        this.registerOutputs({
            codeSigningConfigArn: this.codeSigningConfigArn,
            signingProfileName: this.signingProfileName,
            signingProfileVersionArn: this.signingProfileVersionArn,
            artifactBucketName: this.artifactBucketName,
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
        };
    }
}

/** All synchronous checks; returns the policy action, profile naming and validity months. */
function validateGuardArgs(parent: pulumi.Resource, name: string, args: CodeSigningGuardArgs) {
    requireInteger(parent, "signatureValidityMonths", args.signatureValidityMonths, 1, 135, "months");
    const profileNaming = signingProfileNaming(parent, name, args);
    const count = args.trustedProfileVersionArns?.length ?? 0;
    if (Array.isArray(args.trustedProfileVersionArns) && count + 1 > maxPublishers) {
        fail(parent, "trustedProfileVersionArns", `has ${count} entries; with the guard's own profile that is ` +
            `${count + 1} publishers, more than the ${maxPublishers} a code signing config allows`,
            `Trust at most ${maxPublishers - 1} other profile versions`);
    }
    const action = args.untrustedArtifactOnDeployment ?? UntrustedArtifactAction.Enforce;
    if (action !== UntrustedArtifactAction.Enforce && action !== UntrustedArtifactAction.Warn) {
        fail(parent, "untrustedArtifactOnDeployment", `${JSON.stringify(action)} is not a code signing policy`,
            "Use \"Enforce\" (recommended) or \"Warn\"");
    }
    if (action === UntrustedArtifactAction.Warn && args.acknowledgeWarnMode !== true) {
        fail(parent, "untrustedArtifactOnDeployment", "Warn lets unsigned, untrusted, expired and revoked code deploy " +
            "with only a warning", "Use Enforce, or set acknowledgeWarnMode: true to accept that");
    }
    if (args.alertTopicArn !== undefined && args.enableAlerts !== true) {
        fail(parent, "alertTopicArn", "is set but enableAlerts is not true", "Set enableAlerts: true, or drop alertTopicArn");
    }
    validateRevocations(parent, args.revokedProfileVersions);
    return { action, profileNaming, months: args.signatureValidityMonths ?? 135 };
}

/** Signer names allow no hyphens, so Pulumi auto-names fail: always pass an explicit name or namePrefix. */
function signingProfileNaming(parent: pulumi.Resource, name: string, args: CodeSigningGuardArgs) {
    if (args.signingProfileName !== undefined && args.signingProfileNamePrefix !== undefined) {
        fail(parent, "signingProfileName", "and signingProfileNamePrefix are both set", "Pass at most one of them");
    }
    if (args.signingProfileName !== undefined) {
        if (typeof args.signingProfileName !== "string" || !patterns.signingProfileName.test(args.signingProfileName)) {
            fail(parent, "signingProfileName", `${JSON.stringify(args.signingProfileName)} can never be a valid ` +
                "signing profile name", "Use 2-64 letters, digits or _ (no hyphens)");
        }
        return { name: args.signingProfileName };
    }
    if (args.signingProfileNamePrefix !== undefined) {
        if (typeof args.signingProfileNamePrefix !== "string" ||
            !patterns.signingProfileNamePrefix.test(args.signingProfileNamePrefix)) {
            fail(parent, "signingProfileNamePrefix", `${JSON.stringify(args.signingProfileNamePrefix)} can never ` +
                "start a valid signing profile name", "Use 1-38 letters, digits or _ (no hyphens)");
        }
        return { namePrefix: args.signingProfileNamePrefix };
    }
    return { namePrefix: defaultProfileNamePrefix(name) };
}

/** `my-team.prod` → `my_team_prod_`: valid characters, ≤ 38 long, at least 2, ending in `_`. */
export function defaultProfileNamePrefix(name: string): string {
    const base = sanitize(name, /[0-9a-zA-Z_]/, "_").slice(0, 37).replace(/_+$/, "");
    return `${base || "lambda_signing"}_`;
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
