import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../../index";
import { governedFunctionName } from "../../components/signedFunction";
import { MockEngine, tempDir, unwrap } from "./harness";

// The other side of misuse.spec: a value at the limit AWS documents is accepted and reaches the resource unchanged.
// (Lambda quotas: memory 128-10240 MB, timeout 1-900 s, 5 layers, 15 compatible runtimes, license info 512 characters;
// a code signing config allows 20 publishers; Signer validity 1-135 months; S3 lifecycle days >= 1.)

const csc = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0";
const layerArn = (i: number) => `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:${i + 1}`;
const publisher = (i: number) => `arn:aws:signer:us-east-1:123456789012:/signing-profiles/Vendor${i}/AbCdEf${String(i).padStart(4, "0")}`;

describe("values at AWS's limits are accepted and passed on unchanged", () => {
    const engine = new MockEngine();
    const appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
    before(() => engine.install(false));
    beforeEach(() => engine.reset());

    const signing = { signingProfileName: "team_0001", artifactBucket: "team-artifacts" };
    const functionInputs = async (name: string, extra: object) => {
        const fn = new SignedFunction(name, { ...signing, codeSigningConfigArn: csc, runtime: "nodejs20.x",
            handler: "index.handler", code: new pulumi.asset.FileArchive(appDir), ...extra });
        await unwrap(fn.functionArn);
        await engine.settle();
        return engine.one("aws:lambda/function:Function", `${name}-function`).inputs;
    };

    it("function: the smallest and the largest memory and timeout", async () => {
        const small = await functionInputs("small", { memorySize: 128, timeout: 1 });
        assert.deepStrictEqual([small.memorySize, small.timeout], [128, 1]);
        const large = await functionInputs("large", { memorySize: 10240, timeout: 900 });
        assert.deepStrictEqual([large.memorySize, large.timeout], [10240, 900]);
    });

    it("function: five layers, a 40-character name prefix and every environment name shape", async () => {
        const prefix = "p".repeat(39) + "-";
        const layers = [0, 1, 2, 3, 4].map(layerArn);
        const environment = { A: "1", a_1: "2", Z9_: "3", AWS_REGIONAL_SETTING: "4" };
        const inputs = await functionInputs("edge", { layers, functionNamePrefix: prefix, environment, architectures: ["arm64"] });
        assert.deepStrictEqual(inputs.layers, layers);
        assert.strictEqual(inputs.name, governedFunctionName(prefix, "edge"));
        assert.ok(inputs.name.length <= 64, inputs.name);
        assert.deepStrictEqual(inputs.environment, { variables: environment });
        assert.deepStrictEqual(inputs.architectures, ["arm64"]);
    });

    it("layer: 15 runtimes, a 64-character name, 512 characters of license, both architectures", async () => {
        const runtimes = Array.from({ length: 15 }, (_, i) => `nodejs${i}.x`);
        const layerName = "L".repeat(64);
        const licenseInfo = "x".repeat(512);
        const layer = new SignedLayer("libs", { ...signing, code: new pulumi.asset.FileArchive(appDir), compatibleRuntimes: runtimes,
            layerName, licenseInfo, compatibleArchitectures: ["arm64", "x86_64"] });
        await unwrap(layer.layerArn);
        await engine.settle();
        const inputs = engine.one("aws:lambda/layerVersion:LayerVersion", "libs-layer").inputs;
        assert.deepStrictEqual([inputs.compatibleRuntimes, inputs.layerName, inputs.licenseInfo, inputs.compatibleArchitectures],
            [runtimes, layerName, licenseInfo, ["arm64", "x86_64"]]);
    });

    it("guard: 19 other publishers (20 with its own), 1 and 135 months, 1 and 3650 lifecycle days", async () => {
        const trusted = Array.from({ length: 19 }, (_, i) => publisher(i));
        const guard = new CodeSigningGuard("wide", { trustedProfileVersionArns: trusted, signatureValidityMonths: 1,
            noncurrentVersionExpirationDays: 1, signedObjectExpirationDays: 3650, functionNamePrefix: "f".repeat(40) });
        await unwrap(guard.deployerPolicyArn);
        await engine.settle();
        const publishers = engine.one("aws:lambda/codeSigningConfig:CodeSigningConfig", "wide-csc").inputs.allowedPublishers.signingProfileVersionArns;
        assert.deepStrictEqual(publishers, [await unwrap(guard.signingProfileVersionArn), ...trusted]);
        assert.deepStrictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "wide-profile").inputs.signatureValidityPeriod,
            { type: "MONTHS", value: 1 });
        const { rules } = engine.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "wide-artifacts-lifecycle").inputs;
        assert.deepStrictEqual([rules[0].noncurrentVersionExpiration, rules[2].expiration], [{ noncurrentDays: 1 }, { days: 3650 }]);
        assert.strictEqual(await unwrap(guard.functionNamePrefix), "f".repeat(40));

        engine.reset();
        const longest = new CodeSigningGuard("long", { signatureValidityMonths: 135, noncurrentVersionExpirationDays: 3650, signedObjectExpirationDays: 1 });
        await unwrap(longest.deployerPolicyArn);
        await engine.settle();
        assert.strictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "long-profile").inputs.signatureValidityPeriod.value, 135);
        const longRules = engine.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "long-artifacts-lifecycle").inputs.rules;
        assert.deepStrictEqual([longRules[0].noncurrentVersionExpiration, longRules[2].expiration], [{ noncurrentDays: 3650 }, { days: 1 }]);
    });

    it("guard: a 500-character revocation reason and a profile name of 2 and of 64 characters", async () => {
        const profileVersionArn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/old_profile/Zz9Yy8Xx7W";
        const guard = new CodeSigningGuard("revoking", { signingProfileName: "ab",
            revokedProfileVersions: [{ profileVersionArn, reason: "r".repeat(500), effectiveTime: "2024-05-01T00:00:00.123+02:00" }] });
        await unwrap(guard.deployerPolicyArn);
        await engine.settle();
        assert.strictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "revoking-profile").inputs.name, "ab");
        const cmd = engine.one("command:local:Command", "revoking-revoke-old_profile-Zz9Yy8Xx7W").inputs;
        assert.strictEqual(cmd.environment.REASON, "r".repeat(500));
        assert.strictEqual(cmd.environment.EFFECTIVE_TIME, "2024-05-01T00:00:00.123+02:00");

        engine.reset();
        const named = new CodeSigningGuard("named", { signingProfileName: "N".repeat(64) });
        await unwrap(named.deployerPolicyArn);
        await engine.settle();
        assert.strictEqual(engine.one("aws:signer/signingProfile:SigningProfile", "named-profile").inputs.name, "N".repeat(64));
    });
});
