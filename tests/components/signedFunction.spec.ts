import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SignedFunction, SignedFunctionArgs } from "../../index";
import { isKnown, MockEngine, tempDir, unwrap } from "./harness";

const csc = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0";
const signing = { signingProfileName: "team_0001", artifactBucket: "team-artifacts", codeSigningConfigArn: csc };
const fnType = "lambda-code-signing:index:SignedFunction";
const keyPattern = /^unsigned\/api\/[0-9a-f]{64}\.zip$/;

describe("SignedFunction (update)", () => {
    const engine = new MockEngine();
    let appDir: string;
    before(async () => {
        await engine.install(false);
        appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
    });
    beforeEach(() => engine.reset());

    const baseArgs = (): SignedFunctionArgs => ({
        ...signing, runtime: "nodejs20.x", handler: "index.handler", code: new pulumi.asset.FileArchive(appDir),
    });

    async function deploy(args: SignedFunctionArgs, name = "api") {
        const fn = new SignedFunction(name, args);
        await unwrap(fn.functionArn);
        await engine.settle();
        return fn;
    }

    it("uploads under unsigned/, signs into signed/, deploys the signed object with the CSC", async () => {
        const fn = await deploy({ ...baseArgs(), memorySize: 256, timeout: 30, architectures: ["arm64"],
            environment: { STAGE: "prod" }, layers: ["arn:aws:lambda:us-east-1:123456789012:layer:shared:3"] });
        assert.deepStrictEqual(engine.childrenOf("api").map(r => `${r.type}::${r.name}`).sort(), [
            "aws:iam/role:Role::api-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::api-basic-execution",
            "aws:lambda/function:Function::api-function",
            "aws:s3/bucketObjectv2:BucketObjectv2::api-unsigned",
            "aws:signer/signingJob:SigningJob::api-signing",
        ]);
        for (const child of engine.childrenOf("api")) {
            assert.ok(child.urn.includes(`::${fnType}$`), `${child.name} not parented: ${child.urn}`);
        }
        const upload = engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs;
        assert.strictEqual(upload.bucket, "team-artifacts");
        assert.match(upload.key, keyPattern);
        assert.ok(pulumi.asset.Archive.isInstance(upload.source));

        const job = engine.one("aws:signer/signingJob:SigningJob", "api-signing").inputs;
        assert.strictEqual(job.profileName, "team_0001");
        assert.deepStrictEqual(job.source.s3.bucket, "team-artifacts");
        assert.strictEqual(job.source.s3.key, upload.key);
        assert.match(job.source.s3.version, /^[0-9A-Za-z]{32}$/);
        assert.deepStrictEqual(job.destination, { s3: { bucket: "team-artifacts", prefix: "signed/api/" } });
        assert.strictEqual(job.ignoreSigningJobFailure, false);

        const lambda = engine.one("aws:lambda/function:Function", "api-function").inputs;
        const jobId = await unwrap(fn.signingJobId);
        assert.strictEqual(lambda.s3Bucket, "team-artifacts");
        assert.strictEqual(lambda.s3Key, `signed/api/${jobId}.zip`);
        assert.strictEqual(lambda.code, undefined);
        assert.strictEqual(lambda.codeSigningConfigArn, csc);
        assert.strictEqual(lambda.packageType, "Zip");
        assert.deepStrictEqual([lambda.runtime, lambda.handler, lambda.memorySize, lambda.timeout, lambda.architectures],
            ["nodejs20.x", "index.handler", 256, 30, ["arm64"]]);
        assert.deepStrictEqual(lambda.environment, { variables: { STAGE: "prod" } });
        assert.deepStrictEqual(lambda.layers, ["arn:aws:lambda:us-east-1:123456789012:layer:shared:3"]);
        assert.match(lambda.role, /^arn:aws:iam::123456789012:role\/api-role-[0-9a-f]{7}$/);

        assert.strictEqual(await unwrap(fn.signedObjectKey), lambda.s3Key);
        assert.match(await unwrap(fn.functionName), /^api-function-[0-9a-f]{7}$/);
        // Lambda records the profile version that signed the code.
        assert.match(await unwrap(fn.signingProfileVersionArn),
            /^arn:aws:signer:us-east-1:123456789012:\/signing-profiles\/team_0001\/[0-9A-Za-z]{10}$/);
    });

    it("created role trusts Lambda and carries only AWSLambdaBasicExecutionRole", async () => {
        await deploy(baseArgs());
        const role = engine.one("aws:iam/role:Role", "api-role").inputs;
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement,
            [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        assert.deepStrictEqual(engine.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(r => r.inputs.policyArn),
            ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    });

    it("uses roleArn when given and creates no role", async () => {
        await deploy({ ...baseArgs(), roleArn: "arn:aws:iam::123456789012:role/existing" });
        assert.deepStrictEqual(engine.ofType("aws:iam/role:Role"), []);
        assert.strictEqual(engine.one("aws:lambda/function:Function", "api-function").inputs.role,
            "arn:aws:iam::123456789012:role/existing");
    });

    it("signingRoleArn: upload and signing job run through a provider assuming the signer role; the function does not", async () => {
        await deploy({ ...baseArgs(), signingRoleArn: "arn:aws:iam::123456789012:role/ci-signer" });
        const provider = engine.one("pulumi:providers:aws", "api-signing-provider");
        // Provider inputs reach the engine JSON-encoded.
        assert.deepStrictEqual(JSON.parse(provider.inputs.assumeRoles), [{ roleArn: "arn:aws:iam::123456789012:role/ci-signer", sessionName: "lambda-code-signing" }]);
        assert.strictEqual(provider.inputs.region, "us-east-1");
        for (const [type, name] of [["aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned"], ["aws:signer/signingJob:SigningJob", "api-signing"]]) {
            assert.ok(engine.one(type, name).provider?.includes("::api-signing-provider::"), `${name} does not sign through the signer role`);
        }
        assert.ok(!engine.one("aws:lambda/function:Function", "api-function").provider?.includes("api-signing-provider"));
    });

    it("unchanged code yields identical upload and signing-job inputs; changed code changes the key", async () => {
        const snapshot = async (args: SignedFunctionArgs) => {
            engine.reset();
            await deploy(args);
            const upload = engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs;
            return { key: upload.key, job: engine.one("aws:signer/signingJob:SigningJob", "api-signing").inputs };
        };
        const first = await snapshot(baseArgs());
        const second = await snapshot(baseArgs());
        assert.deepStrictEqual(second, first);

        const changedDir = tempDir({ "index.js": "exports.handler = async () => 2;" });
        const changed = await snapshot({ ...baseArgs(), code: new pulumi.asset.FileArchive(changedDir) });
        assert.notStrictEqual(changed.key, first.key);
        assert.notStrictEqual(changed.job.source.s3.version, first.job.source.s3.version);
    });

    it("hashes AssetArchives by content (string, file and nested archives) and Output code inside apply", async () => {
        const keyOf = async (code: SignedFunctionArgs["code"]) => {
            engine.reset();
            await deploy({ ...baseArgs(), code });
            return engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs.key as string;
        };
        const archive = (text: string) => new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.StringAsset(text),
            "lib/data.json": new pulumi.asset.FileAsset(path.join(appDir, "index.js")),
            vendor: new pulumi.asset.FileArchive(appDir),
        });
        const a = await keyOf(archive("a"));
        assert.match(a, keyPattern);
        assert.strictEqual(await keyOf(archive("a")), a);
        assert.notStrictEqual(await keyOf(archive("b")), a);
        assert.strictEqual(await keyOf(pulumi.output(archive("a"))), a);
        // A path this process cannot read still gets a deterministic key.
        const unseen = new pulumi.asset.FileArchive("./not-here");
        assert.strictEqual(await keyOf(unseen), await keyOf(new pulumi.asset.FileArchive("./not-here")));
    });

    it("build: runs a local command with a source-hash trigger and signs its archive", async () => {
        const dir = tempDir({ "src/index.ts": "export const x = 1;", "package.json": "{}",
            "node_modules/dep/index.js": "1", "dist/index.js": "old" });
        const build = { command: "npm run build", directory: dir, archivePaths: ["dist/**"] };
        const snapshot = async () => {
            engine.reset();
            await deploy({ ...signing, runtime: "nodejs20.x", handler: "index.handler", build });
            return {
                command: engine.one("command:local:Command", "api-build"),
                upload: engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs,
            };
        };
        const first = await snapshot();
        assert.ok(first.command.urn.includes(`::${fnType}$command:local:Command::api-build`));
        assert.strictEqual(first.command.inputs.create, "npm run build");
        assert.strictEqual(first.command.inputs.dir, dir);
        assert.deepStrictEqual(first.command.inputs.archivePaths, ["dist/**"]);
        assert.match(first.command.inputs.triggers[0], /^[0-9a-f]{64}$/);
        assert.match(first.upload.key, keyPattern);
        assert.ok(pulumi.asset.Archive.isInstance(first.upload.source));

        // Build outputs and dependencies don't count as sources; source files do.
        fs.writeFileSync(path.join(dir, "dist/index.js"), "new");
        fs.writeFileSync(path.join(dir, "node_modules/dep/index.js"), "2");
        const same = await snapshot();
        assert.deepStrictEqual(same.command.inputs.triggers, first.command.inputs.triggers);
        assert.strictEqual(same.upload.key, first.upload.key);
        fs.writeFileSync(path.join(dir, "src/index.ts"), "export const x = 2;");
        const changed = await snapshot();
        assert.notDeepStrictEqual(changed.command.inputs.triggers, first.command.inputs.triggers);
        assert.notStrictEqual(changed.upload.key, first.upload.key);
    });
});

describe("SignedFunction (preview)", () => {
    const engine = new MockEngine();
    let appDir: string;
    before(async () => {
        await engine.install(true);
        appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
    });

    it("registers upload, job and function; the upload key is known, the signed location is not", async () => {
        const fn = new SignedFunction("api", { ...signing, runtime: "nodejs20.x", handler: "index.handler",
            code: new pulumi.asset.FileArchive(appDir), roleArn: "arn:aws:iam::123456789012:role/existing" });
        await unwrap(fn.urn);
        await engine.settle();
        assert.deepStrictEqual(engine.childrenOf("api").map(r => r.name).sort(), ["api-function", "api-signing", "api-unsigned"]);
        assert.match(engine.one("aws:s3/bucketObjectv2:BucketObjectv2", "api-unsigned").inputs.key, keyPattern);
        assert.strictEqual(engine.one("aws:lambda/function:Function", "api-function").inputs.codeSigningConfigArn, csc);
        assert.strictEqual(await isKnown(fn.signedObjectKey), false);
        assert.strictEqual(await isKnown(fn.functionArn), false);
    });
});
