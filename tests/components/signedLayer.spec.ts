import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SignedLayer } from "../../index";
import { MockEngine, tempDir, unwrap } from "./harness";

describe("SignedLayer", () => {
    const engine = new MockEngine();
    let layerDir: string;
    before(async () => {
        await engine.install(false);
        layerDir = tempDir({ "nodejs/node_modules/lib/index.js": "module.exports = 1;" });
    });
    beforeEach(() => engine.reset());

    it("publishes a layer version from the signed object and exposes the version ARN", async () => {
        const layer = new SignedLayer("shared.libs", { signingProfileName: "team_0001", artifactBucket: "team-artifacts",
            code: new pulumi.asset.FileArchive(layerDir), compatibleRuntimes: ["nodejs20.x"],
            compatibleArchitectures: ["x86_64", "arm64"], licenseInfo: "MIT" });
        await unwrap(layer.layerArn);
        await engine.settle();
        assert.deepStrictEqual(engine.childrenOf("shared.libs").map(r => `${r.type}::${r.name}`).sort(), [
            "aws:lambda/layerVersion:LayerVersion::shared.libs-layer",
            "aws:s3/bucketObjectv2:BucketObjectv2::shared.libs-unsigned",
            "aws:signer/signingJob:SigningJob::shared.libs-signing",
        ]);
        const lv = engine.one("aws:lambda/layerVersion:LayerVersion", "shared.libs-layer");
        assert.ok(lv.urn.includes("::lambda-code-signing:index:SignedLayer$aws:lambda/layerVersion:LayerVersion::"));
        const jobId = await unwrap(layer.signingJobId);
        assert.deepStrictEqual([lv.inputs.layerName, lv.inputs.s3Bucket, lv.inputs.s3Key, lv.inputs.code],
            ["shared-libs", "team-artifacts", `signed/shared.libs/${jobId}.zip`, undefined]);
        assert.deepStrictEqual(lv.inputs.compatibleArchitectures, ["x86_64", "arm64"]);
        assert.strictEqual(engine.one("aws:signer/signingJob:SigningJob", "shared.libs-signing").inputs.ignoreSigningJobFailure, false);
        assert.strictEqual(await unwrap(layer.layerArn), "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:1");
        assert.strictEqual(await unwrap(layer.layerVersion), "1");
        assert.strictEqual(await unwrap(layer.layerName), "shared-libs");
        assert.strictEqual(await unwrap(layer.signedObjectKey), lv.inputs.s3Key);
    });
});
