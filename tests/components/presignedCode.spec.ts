import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SignedFunction, SignedLayer } from "../../index";
import { governedFunctionName } from "../../components/signedFunction";

// Deploying code a separate signing step signed (`signedCode`): no upload, no signing job, no signing provider, so the
// deploy identity needs no signing rights. The job is read with aws.signer.getSigningJobOutput and checked when known.

const account = "123456789012";
const csc = `arn:aws:lambda:us-east-1:${account}:code-signing-config:csc-0123456789abcdef0`;
const guardArgs = { signingProfileName: "team_0001", artifactBucket: "team-artifacts", codeSigningConfigArn: csc, functionNamePrefix: "team-signed-" };
const goodJob = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

interface Job { status: string; profileName: string; bucket: string; platformId?: string; revokedAt?: string; signedObjects?: unknown[] }
const jobs: Record<string, Job> = {
    [goodJob]: { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts" },
    "failed-job": { status: "Failed", profileName: "team_0001", bucket: "team-artifacts" },
    "foreign-job": { status: "Succeeded", profileName: "someone_else", bucket: "team-artifacts" },
    "elsewhere-job": { status: "Succeeded", profileName: "team_0001", bucket: "other-bucket" },
    "revoked-job": { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts", revokedAt: "2025-01-01T00:00:00Z" },
    "running-job": { status: "InProgress", profileName: "team_0001", bucket: "team-artifacts" },
    "container-job": { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts", platformId: "Notation-OCI-SHA384-ECDSA" },
    "objectless-job": { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts", signedObjects: [] },
    "keyless-job": { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts", signedObjects: [{ s3s: [{ bucket: "team-artifacts" }] }] },
    "bucketless-job": { status: "Succeeded", profileName: "team_0001", bucket: "team-artifacts", signedObjects: [{ s3s: [{ key: "signed/api/x.zip" }] }] },
};

interface Registered { type: string; name: string; inputs: any; provider?: string }

function install(preview: boolean, registered: Registered[]) {
    return pulumi.runtime.setMocks({
        newResource(args) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
            const outputs = args.type === "aws:lambda/function:Function" ? { arn: `arn:aws:lambda:us-east-1:${account}:function:${args.inputs.name}` } : {};
            return { id: preview ? undefined as any : `${args.name}-id`, state: preview ? args.inputs : { ...args.inputs, ...outputs } };
        },
        call(args) {
            if (args.token !== "aws:signer/getSigningJob:getSigningJob") {
                throw new Error(`Mock not implemented: ${args.token}`);
            }
            const job = jobs[args.inputs.jobId];
            return {
                id: args.inputs.jobId, jobId: args.inputs.jobId, status: job.status, statusReason: job.status === "Failed" ? "Malformed zip" : "",
                profileName: job.profileName, platformId: job.platformId ?? "AWSLambda-SHA384-ECDSA", profileVersion: "AbCdEf1234",
                revocationRecords: job.revokedAt ? [{ reason: "leak", revokedAt: job.revokedAt, revokedBy: "admin" }] : [],
                signedObjects: job.signedObjects ?? [{ s3s: [{ bucket: job.bucket, key: `signed/api/${args.inputs.jobId}.zip` }] }],
            };
        },
    }, "project", "stack", preview);
}

const unwrap = <T>(o: pulumi.Output<T>) => new Promise<T>(resolve => o.apply(v => { resolve(v); return v; }));
const settle = () => new Promise(resolve => setTimeout(resolve, 100));

describe("signedCode: deploying code signed by a separate step (update)", () => {
    const registered: Registered[] = [];
    before(() => install(false, registered));
    beforeEach(() => { registered.length = 0; });

    const fn = (signedCode: object, name = "api") => new SignedFunction(name, {
        ...guardArgs, runtime: "nodejs20.x", handler: "index.handler", roleArn: `arn:aws:iam::${account}:role/app`, signedCode,
    });

    it("by signing job: deploys the job's signed object; uploads nothing, starts no job, needs no signing provider", async () => {
        const f = fn({ signingJobId: goodJob });
        await unwrap(f.functionArn);
        await settle();
        assert.deepStrictEqual(registered.map(r => r.type).sort(), ["aws:lambda/function:Function", "lambda-code-signing:index:SignedFunction"]);
        const lambda = registered.find(r => r.type === "aws:lambda/function:Function")!.inputs;
        assert.deepStrictEqual([lambda.s3Bucket, lambda.s3Key, lambda.s3ObjectVersion, lambda.codeSigningConfigArn],
            ["team-artifacts", `signed/api/${goodJob}.zip`, undefined, csc]);
        assert.strictEqual(lambda.name, governedFunctionName("team-signed-", "api"));
        assert.strictEqual(await unwrap(f.signingJobId), goodJob);
        assert.strictEqual(await unwrap(f.signedObjectKey), `signed/api/${goodJob}.zip`);
    });

    it("by signed object: deploys exactly that object version", async () => {
        const f = fn({ bucket: "team-artifacts", key: "signed/api/abc.zip", objectVersion: "3HL4kqtJlcpXroDTDmJ" });
        await unwrap(f.functionArn);
        const lambda = registered.find(r => r.type === "aws:lambda/function:Function")!.inputs;
        assert.deepStrictEqual([lambda.s3Bucket, lambda.s3Key, lambda.s3ObjectVersion], ["team-artifacts", "signed/api/abc.zip", "3HL4kqtJlcpXroDTDmJ"]);
        assert.strictEqual(await unwrap(f.signingJobId), undefined);
    });

    const refusals: [string, RegExp][] = [
        ["failed-job", /signedCode\.signingJobId: job failed-job is Failed \(Malformed zip\)\. Deploy only a job that Succeeded/],
        ["foreign-job", /signedCode\.signingJobId: job foreign-job signed with profile someone_else, not team_0001\. Sign with the guard's signing profile/],
        ["elsewhere-job", /signedCode\.bucket: "other-bucket" is not the artifact bucket "team-artifacts"\. Sign into s3:\/\/team-artifacts\/signed\//],
        ["revoked-job", /signedCode\.signingJobId: job revoked-job's signature was revoked\. Sign the code again in a new job$/],
        ["running-job", /signedCode\.signingJobId: job running-job is InProgress\. Deploy only a job that Succeeded; check the sign step's output$/],
        ["container-job", /signedCode\.signingJobId: job container-job used platform Notation-OCI-SHA384-ECDSA\. Sign Lambda code with a Lambda signing profile$/],
        ...["objectless-job", "keyless-job", "bucketless-job"].map((job): [string, RegExp] =>
            [job, new RegExp(`signedCode\\.signingJobId: job ${job} reports no signed object\\. Check the job in the AWS Signer console$`)]),
    ];
    for (const [job, message] of refusals) {
        it(`refuses ${job} once the job is known, before Lambda sees it`, async () => {
            const f = fn({ signingJobId: job }, `api-${job}`);
            await assert.rejects((f.functionArn as any).promise(), message);
        });
    }

    it("signedCode arriving as one Output (as from other languages) is read and checked once known", async () => {
        const f = fn(pulumi.output({ signingJobId: goodJob }), "api-output");
        assert.strictEqual(await unwrap(f.signedObjectKey), `signed/api/${goodJob}.zip`);
        const empty = fn(pulumi.output({}), "api-empty");
        await assert.rejects((empty.functionArn as any).promise(), /signedCode: names neither a signing job nor a signed object/);
    });

    it("a layer from a signing job", async () => {
        const layer = new SignedLayer("libs", { ...guardArgs, signedCode: { signingJobId: goodJob } });
        await unwrap(layer.urn);
        await settle();
        const lv = registered.find(r => r.type === "aws:lambda/layerVersion:LayerVersion")!.inputs;
        assert.deepStrictEqual([lv.s3Bucket, lv.s3Key], ["team-artifacts", `signed/api/${goodJob}.zip`]);
        assert.ok(!registered.some(r => r.type === "aws:signer/signingJob:SigningJob" || r.type === "aws:s3/bucketObjectv2:BucketObjectv2"));
    });
});

describe("signedCode (preview)", () => {
    const registered: Registered[] = [];
    before(() => install(true, registered));

    it("registers only the function; the signed location of a job id given as an unknown stays unknown", async () => {
        // A job id from another resource: unknown in preview, so the job is not read and nothing is guessed.
        const unknownJob = new aws.ssm.Parameter("job-id", { type: "String", value: "from-ci" }).arn;
        const f = new SignedFunction("api", { ...guardArgs, runtime: "nodejs20.x", handler: "index.handler",
            roleArn: `arn:aws:iam::${account}:role/app`, signedCode: { signingJobId: unknownJob } });
        await unwrap(f.urn);
        await settle();
        assert.deepStrictEqual(registered.filter(r => r.type.startsWith("aws:")).map(r => r.type).sort(),
            ["aws:lambda/function:Function", "aws:ssm/parameter:Parameter"]);
        const lambda = registered.find(r => r.type === "aws:lambda/function:Function")!.inputs;
        assert.ok(pulumi.isUnknown(lambda.s3Key), "the signed key is unknown in preview");
        assert.strictEqual(await (f.signedObjectKey as any).isKnown, false);
    });
});

describe("governed function names", () => {
    it("prefix + component name + a stack-unique hash, within Lambda's 64 characters, stable", () => {
        const name = governedFunctionName("team-signed-", "api");
        assert.match(name, /^team-signed-api-[0-9a-f]{7}$/);
        assert.strictEqual(governedFunctionName("team-signed-", "api"), name);
        assert.notStrictEqual(governedFunctionName("team-signed-", "worker"), name);
        const long = governedFunctionName("p".repeat(40), "x".repeat(100));
        assert.ok(long.length <= 64 && long.startsWith("p".repeat(40)), long);
        assert.match(governedFunctionName("team-", "orders.v2"), /^team-orders-v2-[0-9a-f]{7}$/);
    });
});
