import * as assert from "assert";
import { CodeSigningGuard } from "../../index";
import { defaultProfileNamePrefix } from "../../components/codeSigningGuard";
import { account, actionsOf, isKnown, MockEngine, region, unwrap } from "./harness";

const guardType = "lambda-code-signing:index:CodeSigningGuard";
const datadog = "arn:aws:signer:us-east-1:464622532012:/signing-profiles/DatadogLambdaSigningProfile/9vMI9ZAGLc";
const keyRe = /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const bucketArnOf = async (guard: CodeSigningGuard) => `arn:aws:s3:::${await unwrap(guard.artifactBucketName)}`;

const json = (r: { inputs: any }, field = "policy") => JSON.parse(r.inputs[field]);

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
        assert.deepStrictEqual(children, [
            "aws:iam/policy:Policy::team-deployer",
            "aws:iam/policy:Policy::team-signer",
            "aws:kms/key:Key::team-key",
            "aws:lambda/codeSigningConfig:CodeSigningConfig::team-csc",
            "aws:s3/bucket:Bucket::team-artifacts",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls::team-artifacts-ownership",
            "aws:s3/bucketPolicy:BucketPolicy::team-artifacts-tls-only",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::team-artifacts-public-access",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::team-artifacts-encryption",
            "aws:s3/bucketVersioning:BucketVersioning::team-artifacts-versioning",
            "aws:signer/signingProfile:SigningProfile::team-profile",
        ]);
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
        const bucketArn = await bucketArnOf(await build());
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
        const tls = json(engine.one("aws:s3/bucketPolicy:BucketPolicy", "team-artifacts-tls-only"));
        assert.strictEqual(tls.Statement.length, 1);
        const [deny] = tls.Statement;
        assert.strictEqual(deny.Effect, "Deny");
        assert.strictEqual(deny.Principal, "*");
        assert.deepStrictEqual(deny.Resource, [bucketArn, `${bucketArn}/*`]);
        assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
        for (const action of ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject",
            "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "s3:PutBucketPolicy"]) {
            assert.ok(deny.Action.includes(action), action);
        }
        // Key policy: account administration only (no alert publishers without alerts).
        const keyPolicy = json({ inputs: key });
        assert.deepStrictEqual(keyPolicy.Statement.map((s: any) => s.Sid), ["AccountAdministersKey"]);
        assert.deepStrictEqual(keyPolicy.Statement[0].Principal, { AWS: `arn:aws:iam::${account}:root` });
        assert.ok(keyPolicy.Statement[0].Action.includes("kms:PutKeyPolicy"));
    });

    it("signer policy: this profile only, job lookups, unsigned/ read + upload, signed/ write, the key", async () => {
        const guard = await build();
        const bucketArn = await bucketArnOf(guard);
        const doc = json(engine.one("aws:iam/policy:Policy", "team-signer"));
        const profileArn = (await unwrap(guard.signingProfileVersionArn)).replace(/\/[^/]+$/, "");
        const bySid = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
        assert.deepStrictEqual(bySid.SignWithGuardProfile, { Sid: "SignWithGuardProfile", Effect: "Allow",
            Action: ["signer:StartSigningJob", "signer:GetSigningProfile"], Resource: profileArn });
        assert.deepStrictEqual(bySid.TrackSigningJobs.Action, ["signer:DescribeSigningJob"]);
        assert.strictEqual(bySid.TrackSigningJobs.Resource, `arn:aws:signer:${region}:${account}:/signing-jobs/*`);
        assert.strictEqual(bySid.ManageUnsignedUploads.Resource, `${bucketArn}/unsigned/*`);
        for (const a of ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]) {
            assert.ok(bySid.ManageUnsignedUploads.Action.includes(a), a);
        }
        assert.deepStrictEqual(bySid.WriteSignedObjects, { Sid: "WriteSignedObjects", Effect: "Allow",
            Action: ["s3:PutObject"], Resource: `${bucketArn}/signed/*` });
        assert.deepStrictEqual(bySid.InspectArtifactBucket.Action, ["s3:GetBucketVersioning", "s3:ListBucket"]);
        assert.strictEqual(bySid.InspectArtifactBucket.Resource, bucketArn);
        assert.deepStrictEqual(bySid.UseArtifactKey.Action, ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert.match(bySid.UseArtifactKey.Resource, keyRe);
        assert.ok(doc.Statement.every((s: any) => s.Effect === "Allow"));
    });

    it("deployer policy: CSC-conditioned create/update, explicit denies, signed/ read, key decrypt", async () => {
        const guard = await build();
        const bucketArn = await bucketArnOf(guard);
        const doc = json(engine.one("aws:iam/policy:Policy", "team-deployer"));
        const csc = await unwrap(guard.codeSigningConfigArn);
        const functions = `arn:aws:lambda:${region}:${account}:function:*`;
        const key = { "lambda:CodeSigningConfigArn": csc };
        const bySid = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
        assert.deepStrictEqual(bySid.CreateOnlyWithGuardCsc, { Sid: "CreateOnlyWithGuardCsc", Effect: "Allow",
            Action: ["lambda:CreateFunction", "lambda:PutFunctionCodeSigningConfig"], Resource: functions,
            Condition: { StringEquals: key } });
        assert.deepStrictEqual(bySid.UpdateOnlyWithGuardCsc, { Sid: "UpdateOnlyWithGuardCsc", Effect: "Allow",
            Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], Resource: functions,
            Condition: { StringEqualsIfExists: key } });
        assert.deepStrictEqual(bySid.NeverDetachCsc, { Sid: "NeverDetachCsc", Effect: "Deny",
            Action: ["lambda:DeleteFunctionCodeSigningConfig"], Resource: "*" });
        assert.deepStrictEqual(bySid.DenyOtherCsc, { Sid: "DenyOtherCsc", Effect: "Deny",
            Action: ["lambda:CreateFunction", "lambda:PutFunctionCodeSigningConfig"], Resource: "*",
            Condition: { StringNotEquals: key } });
        assert.deepStrictEqual(bySid.NeverSign, { Sid: "NeverSign", Effect: "Deny", Action: ["signer:StartSigningJob"], Resource: "*" });
        assert.deepStrictEqual(bySid.ReadSignedObjects, { Sid: "ReadSignedObjects", Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${bucketArn}/signed/*` });
        assert.deepStrictEqual(bySid.UseArtifactKey.Action, ["kms:Decrypt"]);
        assert.strictEqual(doc.Statement.length, 7);
    });

    it("no policy document anywhere uses a wildcard action", async () => {
        await build({ enableAlerts: true });
        const docs = [
            ...engine.ofType("aws:iam/policy:Policy"), ...engine.ofType("aws:s3/bucketPolicy:BucketPolicy"),
            ...engine.ofType("aws:sns/topicPolicy:TopicPolicy"), ...engine.ofType("aws:kms/key:Key"),
        ].map(r => json(r));
        assert.strictEqual(docs.length, 5);
        for (const action of docs.flatMap(actionsOf)) {
            assert.ok(!action.includes("*"), `wildcard action ${action}`);
        }
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
        assert.strictEqual(await unwrap(guard.alertTopicArn), undefined);
    });

    it("alerts: EventBridge rule on code-signing rejections and a SignatureValidationErrors alarm to an encrypted topic", async () => {
        const guard = await build({ enableAlerts: true });
        const topic = engine.one("aws:sns/topic:Topic", "team-alerts");
        assert.match(topic.inputs.kmsMasterKeyId, keyRe);
        const topicArn = await unwrap(guard.alertTopicArn);
        assert.match(topicArn!, new RegExp(`^arn:aws:sns:${region}:${account}:team-alerts-[0-9a-f]{7}$`));

        const rule = engine.one("aws:cloudwatch/eventRule:EventRule", "team-signature-rejections");
        assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern), {
            source: ["aws.lambda"], "detail-type": ["AWS API Call via CloudTrail"],
            detail: { eventSource: ["lambda.amazonaws.com"], errorCode: ["CodeVerificationFailedException", "InvalidCodeSignatureException"] },
        });
        const target = engine.one("aws:cloudwatch/eventTarget:EventTarget", "team-signature-rejections-target").inputs;
        assert.match(target.rule, /^team-signature-rejections-[0-9a-f]{7}$/);
        assert.strictEqual(target.arn, topicArn);

        const alarm = engine.one("aws:cloudwatch/metricAlarm:MetricAlarm", "team-signature-errors").inputs;
        assert.deepStrictEqual(
            [alarm.namespace, alarm.metricName, alarm.statistic, alarm.period, alarm.threshold, alarm.comparisonOperator, alarm.treatMissingData, alarm.alarmActions],
            ["AWS/Lambda", "SignatureValidationErrors", "Sum", 300, 0, "GreaterThanThreshold", "notBreaching", [topicArn]]);

        const topicPolicy = json(engine.one("aws:sns/topicPolicy:TopicPolicy", "team-alerts-policy"));
        assert.deepStrictEqual(topicPolicy.Statement, [{ Sid: "AlertPublishers", Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }, Action: ["sns:Publish"],
            Resource: topicArn, Condition: { StringEquals: { "aws:SourceAccount": account } } }]);
        const keyPolicy = json(engine.one("aws:kms/key:Key", "team-key"));
        const services = keyPolicy.Statement.find((s: any) => s.Sid === "AlertPublishersEncrypt");
        assert.deepStrictEqual(services.Principal, { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] });
        assert.deepStrictEqual(services.Action, ["kms:Decrypt", "kms:GenerateDataKey"]);
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
        const signer = json(engine.one("aws:iam/policy:Policy", "team-signer"));
        assert.ok(signer.Statement.some((s: any) => s.Resource === "arn:aws:s3:::shared-artifacts/signed/*"));
        assert.ok(!actionsOf(signer).some(a => a.startsWith("kms:")), "no key statements for a bucket the guard doesn't own");
    });

    it("Warn only when acknowledged, and then a warning says what it gives up", async () => {
        await build({ untrustedArtifactOnDeployment: "Warn", acknowledgeWarnMode: true });
        assert.deepStrictEqual(engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "team-csc").inputs.policies,
            { untrustedArtifactOnDeployment: "Warn" });
        assert.strictEqual(engine.warnings.length, 1);
        assert.match(engine.warnings[0], /unsigned code.*expired or revoked signatures with only a warning/);
    });

    it("revocation: one create-only AWS CLI command per version, values passed as environment", async () => {
        const reason = "key leaked\"; rm -rf / #";
        const guard = await build({ revokedProfileVersions: [{ profileVersion: "Zz9Yy8Xx7W", reason, effectiveTime: "2024-05-01T00:00:00Z" }] });
        const cmd = engine.one("command:local:Command", "team-revoke-Zz9Yy8Xx7W");
        assert.ok(cmd.urn.includes(`::${guardType}$command:local:Command::`));
        assert.strictEqual(cmd.inputs.create, 'aws signer revoke-signing-profile --profile-name "$PROFILE_NAME" ' +
            '--profile-version "$PROFILE_VERSION" --reason "$REASON" --effective-time "$EFFECTIVE_TIME" --region "$AWS_REGION"');
        assert.deepStrictEqual(cmd.inputs.environment, { PROFILE_NAME: await unwrap(guard.signingProfileName),
            PROFILE_VERSION: "Zz9Yy8Xx7W", REASON: reason, EFFECTIVE_TIME: "2024-05-01T00:00:00Z", AWS_REGION: region });
        assert.strictEqual(cmd.inputs.delete, undefined);
        assert.strictEqual(cmd.inputs.update, undefined);
        assert.ok(!cmd.inputs.create.includes("Zz9Yy8Xx7W") && !cmd.inputs.create.includes("rm -rf"));
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
        assert.strictEqual(engine.childrenOf("team").length, 16);
        assert.strictEqual(await isKnown(guard.codeSigningConfigArn), false);
        assert.strictEqual(await isKnown(guard.artifactBucketName), false);
        const csc = engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "team-csc").inputs;
        assert.deepStrictEqual(csc.policies, { untrustedArtifactOnDeployment: "Enforce" });
        assert.strictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "team-profile").inputs.namePrefix, "team_");
    });
});
