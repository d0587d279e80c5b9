import * as assert from "assert";
import { CodeSigningGuard } from "../../index";
import { defaultFunctionNamePrefix, defaultProfileNamePrefix } from "../../components/guardValidation";
import { account, isKnown, MockEngine, region, unwrap } from "./harness";

const guardType = "lambda-code-signing:index:CodeSigningGuard";
const datadog = "arn:aws:signer:us-east-1:464622532012:/signing-profiles/DatadogLambdaSigningProfile/9vMI9ZAGLc";
const keyRe = /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `type::name` of every child of a guard named "team" with the default arguments, sorted. */
const GUARD_CHILDREN = [
    "aws:iam/policy:Policy::team-deployer",
    "aws:iam/policy:Policy::team-signer",
    "aws:kms/key:Key::team-key",
    "aws:lambda/codeSigningConfig:CodeSigningConfig::team-csc",
    "aws:s3/bucket:Bucket::team-artifacts",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::team-artifacts-lifecycle",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls::team-artifacts-ownership",
    "aws:s3/bucketPolicy:BucketPolicy::team-artifacts-tls-only",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::team-artifacts-public-access",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::team-artifacts-encryption",
    "aws:s3/bucketVersioning:BucketVersioning::team-artifacts-versioning",
    "aws:signer/signingProfile:SigningProfile::team-profile",
];

describe("CodeSigningGuard (update)", () => {
    const engine = new MockEngine();
    before(() => engine.install(false));
    beforeEach(() => engine.reset());

    async function build(args: ConstructorParameters<typeof CodeSigningGuard>[1] = {}, name = "team") {
        const guard = new CodeSigningGuard(name, args);
        await unwrap(guard.deployerPolicyArn);
        await engine.settle();
        return guard;
    }

    it("creates the trust anchor: profile, CSC, key, hardened bucket and two policies, all parented and named", async () => {
        await build();
        const children = engine.childrenOf("team").map(r => `${r.type}::${r.name}`).sort();
        assert.deepStrictEqual(children, GUARD_CHILDREN);
        for (const child of engine.childrenOf("team")) {
            assert.ok(child.urn.includes(`::${guardType}$`), `${child.name} is not parented to the guard: ${child.urn}`);
        }
    });

    it("signing profile: Lambda platform, hyphen-free prefix, 135-month validity by default", async () => {
        await build({}, "my-team.prod");
        const profile = engine.one("aws:signer/signingProfile:SigningProfile", "my-team.prod-profile").inputs;
        assert.strictEqual(profile.platformId, "AWSLambda-SHA384-ECDSA");
        assert.strictEqual(profile.namePrefix, "my_team_prod_");
        assert.strictEqual(profile.name, undefined);
        assert.deepStrictEqual(profile.signatureValidityPeriod, { type: "MONTHS", value: 135 });
    });

    it("signing profile naming overrides and the derived prefix", async () => {
        await build({ signingProfileName: "Payments_Prod", signatureValidityMonths: 12 });
        const profile = engine.one("aws:signer/signingProfile:SigningProfile", "team-profile").inputs;
        assert.strictEqual(profile.name, "Payments_Prod");
        assert.strictEqual(profile.namePrefix, undefined);
        assert.strictEqual(profile.signatureValidityPeriod.value, 12);
        assert.strictEqual(defaultProfileNamePrefix("a"), "a_");
        assert.strictEqual(defaultProfileNamePrefix("---"), "lambda_signing_");
        const long = defaultProfileNamePrefix("x".repeat(100));
        assert.ok(long.length <= 38 && /^[0-9a-zA-Z_]+_$/.test(long));
        assert.strictEqual(defaultFunctionNamePrefix("payments.prod"), "payments-prod-signed-");
        assert.strictEqual(defaultFunctionNamePrefix("..."), "lambda-signed-");
        assert.ok(defaultFunctionNamePrefix("y".repeat(100)).length <= 40);
    });

    it("CSC: Enforce by default, trusting this profile's version ARN plus the extra publishers", async () => {
        const guard = await build({ trustedProfileVersionArns: [datadog] });
        const csc = engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "team-csc").inputs;
        assert.deepStrictEqual(csc.policies, { untrustedArtifactOnDeployment: "Enforce" });
        const own = await unwrap(guard.signingProfileVersionArn);
        assert.match(own, /^arn:aws:signer:us-east-1:123456789012:\/signing-profiles\/team_\d{26}\/[0-9A-Za-z]{10}$/);
        assert.deepStrictEqual(csc.allowedPublishers.signingProfileVersionArns, [own, datadog]);
        assert.deepStrictEqual(engine.warnings, []);
    });

    it("artifact bucket: versioned, SSE-KMS with a rotating key, private, owner-enforced, TLS only", async () => {
        await build();
        assert.strictEqual(engine.one("aws:s3/bucket:Bucket", "team-artifacts").inputs.forceDestroy, false);
        const key = engine.one("aws:kms/key:Key", "team-key").inputs;
        assert.strictEqual(key.enableKeyRotation, true);
        assert.strictEqual(key.deletionWindowInDays, 30);
        assert.deepStrictEqual(engine.one("aws:s3/bucketVersioning:BucketVersioning", "team-artifacts-versioning").inputs.versioningConfiguration,
            { status: "Enabled" });
        const [rule] = engine.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "team-artifacts-encryption").inputs.rules;
        assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.match(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, keyRe);
        assert.strictEqual(rule.bucketKeyEnabled, true);
        const pab = engine.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "team-artifacts-public-access").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(pab[flag], true, flag);
        }
        assert.deepStrictEqual(engine.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "team-artifacts-ownership").inputs.rule,
            { objectOwnership: "BucketOwnerEnforced" });
        // What the bucket and key policies allow and deny is proven by simulation (tests/components/iam).
        const lifecycle = engine.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "team-artifacts-lifecycle").inputs;
        assert.deepStrictEqual(lifecycle.rules, [
            { id: "expire-noncurrent-versions", status: "Enabled", filter: { prefix: "" },
                noncurrentVersionExpiration: { noncurrentDays: 30 }, expiration: { expiredObjectDeleteMarker: true } },
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: { prefix: "" },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
    });

    it("outputs and signingArgs() carry what SignedFunction needs", async () => {
        const guard = await build();
        const args = guard.signingArgs();
        const bucket = await unwrap(args.artifactBucket);
        assert.match(bucket, /^team-artifacts-[0-9a-f]{7}$/);
        assert.match(await unwrap(args.signingProfileName), /^team_\d{26}$/);
        assert.match(await unwrap(args.codeSigningConfigArn), /:code-signing-config:csc-/);
        assert.strictEqual(await unwrap(guard.artifactBucketName), bucket);
        assert.match(await unwrap(guard.signerPolicyArn), /policy\/team-signer-[0-9a-f]{7}$/);
        assert.strictEqual(await unwrap(args.functionNamePrefix), "team-signed-");
        assert.strictEqual(await unwrap(guard.alertTopicArn), undefined);
    });

    it("alerts to an existing topic and an existing bucket: no topic, no bucket, no key", async () => {
        const existingTopic = `arn:aws:sns:${region}:${account}:secops`;
        const guard = await build({ enableAlerts: true, alertTopicArn: existingTopic, artifactBucketName: "shared-artifacts" });
        assert.deepStrictEqual(engine.ofType("aws:sns/topic:Topic"), []);
        assert.deepStrictEqual(engine.ofType("aws:kms/key:Key"), []);
        assert.deepStrictEqual(engine.ofType("aws:s3/bucket:Bucket"), []);
        assert.strictEqual(engine.one("aws:cloudwatch/eventTarget:EventTarget", "team-signature-rejections-target").inputs.arn, existingTopic);
        assert.strictEqual(await unwrap(guard.alertTopicArn), existingTopic);
        assert.strictEqual(await unwrap(guard.artifactBucketName), "shared-artifacts");
        assert.deepStrictEqual(engine.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), []);
        assert.deepStrictEqual(engine.ofType("aws:cloudtrail/trail:Trail"), []);
    });

    it("lifecycle and destroy settings: noncurrent days, signed-object expiry, forceDestroyArtifacts", async () => {
        await build({ noncurrentVersionExpirationDays: 7, signedObjectExpirationDays: 400, forceDestroyArtifacts: true });
        assert.strictEqual(engine.one("aws:s3/bucket:Bucket", "team-artifacts").inputs.forceDestroy, true);
        const { rules } = engine.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "team-artifacts-lifecycle").inputs;
        assert.deepStrictEqual(rules[0].noncurrentVersionExpiration, { noncurrentDays: 7 });
        assert.deepStrictEqual(rules[2], { id: "expire-signed-objects", status: "Enabled", filter: { prefix: "signed/" }, expiration: { days: 400 } });
    });

    it("revocation: one command per profile version, named by profile and version, with no delete step", async () => {
        const profileVersionArn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/old_profile/Zz9Yy8Xx7W";
        await build({ revokedProfileVersions: [{ profileVersionArn, reason: "leaked", effectiveTime: "2024-05-01T00:00:00Z" }] });
        const cmd = engine.one("command:local:Command", "team-revoke-old_profile-Zz9Yy8Xx7W");
        assert.ok(cmd.urn.includes(`::${guardType}$command:local:Command::`));
        assert.strictEqual(cmd.inputs.delete, undefined);
        assert.strictEqual(cmd.inputs.triggers, undefined);
    });

    it("Warn only when acknowledged, and then a warning says what it gives up", async () => {
        await build({ untrustedArtifactOnDeployment: "Warn", acknowledgeWarnMode: true });
        assert.deepStrictEqual(engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "team-csc").inputs.policies,
            { untrustedArtifactOnDeployment: "Warn" });
        assert.strictEqual(engine.warnings.length, 1);
        assert.match(engine.warnings[0], /unsigned code.*expired or revoked signatures with only a warning/);
    });

});

describe("CodeSigningGuard (preview)", () => {
    const engine = new MockEngine();
    before(() => engine.install(true));
    beforeEach(() => engine.reset());

    it("registers the whole graph while ARNs are still unknown", async () => {
        const guard = new CodeSigningGuard("team", { enableAlerts: true, trustedProfileVersionArns: [datadog] });
        await unwrap(guard.urn);
        await engine.settle();
        assert.deepStrictEqual(engine.childrenOf("team").map(r => `${r.type}::${r.name}`).sort(), [...GUARD_CHILDREN,
            "aws:cloudwatch/eventRule:EventRule::team-signature-rejections",
            "aws:cloudwatch/eventTarget:EventTarget::team-signature-rejections-target",
            "aws:cloudwatch/metricAlarm:MetricAlarm::team-signature-errors",
            "aws:kms/key:Key::team-alerts-key",
            "aws:sns/topic:Topic::team-alerts",
            "aws:sns/topicPolicy:TopicPolicy::team-alerts-policy",
        ].sort());
        assert.strictEqual(await isKnown(guard.codeSigningConfigArn), false);
        assert.strictEqual(await isKnown(guard.artifactBucketName), false);
        const csc = engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "team-csc").inputs;
        assert.deepStrictEqual(csc.policies, { untrustedArtifactOnDeployment: "Enforce" });
        assert.strictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "team-profile").inputs.namePrefix, "team_");
    });
});
