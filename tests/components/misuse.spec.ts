import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, CodeSigningGuardArgs, SignedFunction, SignedFunctionArgs, SignedLayer, SignedLayerArgs } from "../../index";
import { MockEngine, tempDir } from "./harness";

// Every misuse visible at preview fails synchronously with "<arg>: <problem>. <fix>", before any child exists.

const csc = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0";
const publisher = (i: number) => `arn:aws:signer:us-east-1:123456789012:/signing-profiles/Vendor${i}/AbCdEf1234`;
const versionArn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/team_old/AbCdEf1234";
const revocation = { profileVersionArn: versionArn, reason: "compromised", effectiveTime: "2024-01-01T00:00:00Z" };
const jobId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

/** "<argument>: <problem>. <fix>", none of the three empty. */
const MESSAGE_SHAPE = /^[A-Za-z][\w.[\]]*: [^.\s].*\. \S.{9,}$/s;

interface Case {
    name: string;
    build: () => unknown;
    message: RegExp;
}

describe("misuse fails early with a ResourceError naming the argument and the fix", () => {
    const engine = new MockEngine();
    const appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
    before(() => engine.install(true));
    beforeEach(() => engine.reset());

    const code = () => new pulumi.asset.FileArchive(appDir);
    const fn = (overrides: Partial<Record<keyof SignedFunctionArgs, unknown>>) => () => new SignedFunction("bad", {
        signingProfileName: "team_0001", artifactBucket: "team-artifacts", codeSigningConfigArn: csc,
        runtime: "nodejs20.x", handler: "index.handler", code: code(), ...overrides,
    } as SignedFunctionArgs);
    const layer = (overrides: Partial<Record<keyof SignedLayerArgs, unknown>>) => () => new SignedLayer("bad", {
        signingProfileName: "team_0001", artifactBucket: "team-artifacts", code: code(), ...overrides,
    } as SignedLayerArgs);
    const guard = (args: Partial<Record<keyof CodeSigningGuardArgs, unknown>>) => () =>
        new CodeSigningGuard("bad", args as CodeSigningGuardArgs);
    const build = (overrides: Record<string, unknown>) =>
        ({ command: "npm run build", directory: appDir, archivePaths: ["dist/**"], ...overrides });

    const cases: Case[] = [
        { name: "both code and build", build: fn({ build: build({}) }), message: /^code: build and signedCode: more than one is set\. Pass exactly one/ },
        { name: "both code and signedCode", build: fn({ signedCode: { signingJobId: jobId } }), message: /^code: build and signedCode: more than one is set/ },
        { name: "neither code nor build nor signedCode", build: fn({ code: undefined }), message: /^code: build and signedCode are all missing\. Pass code.*signedCode/ },
        { name: "signedCode naming nothing", build: fn({ code: undefined, signedCode: {} }), message: /^signedCode: names neither a signing job nor a signed object\. Pass either signingJobId, or bucket, key and objectVersion/ },
        { name: "signedCode naming a job and an object", build: fn({ code: undefined, signedCode: { signingJobId: jobId, bucket: "team-artifacts" } }), message: /^signedCode: names both a signing job and a signed object/ },
        { name: "signedCode object without a version", build: fn({ code: undefined, signedCode: { bucket: "team-artifacts", key: "signed/api/x.zip" } }), message: /^signedCode: names a signed object without all of bucket, key and objectVersion/ },
        { name: "signedCode key outside signed/", build: fn({ code: undefined, signedCode: { bucket: "team-artifacts", key: "unsigned/api/x.zip", objectVersion: "v1" } }), message: /^signedCode\.key: "unsigned\/api\/x\.zip" is not under signed\/\. Sign into/ },
        { name: "signedCode job id with a slash", build: fn({ code: undefined, signedCode: { signingJobId: "../jobs" } }), message: /^signedCode\.signingJobId: "\.\.\/jobs" does not match/ },
        { name: "signedCode with signingRoleArn", build: fn({ code: undefined, signedCode: { signingJobId: jobId }, signingRoleArn: "arn:aws:iam::123456789012:role/signer" }), message: /^signingRoleArn: is set with signedCode, which starts no signing job\. Drop signingRoleArn/ },
        { name: "function name prefix with a dot", build: fn({ functionNamePrefix: "team.prod-" }), message: /^functionNamePrefix: "team\.prod-" does not match/ },
        { name: "packageType Image", build: fn({ packageType: "Image" }), message: /^packageType: "Image" is not supported\. Lambda code signing cannot sign container images.*Notation/ },
        { name: "code that is not an Archive (a path string)", build: fn({ code: "./app" }), message: /^code: is not a Pulumi Archive\. Pass new pulumi\.asset\.FileArchive/ },
        { name: "code that is an Asset, not an Archive", build: fn({ code: new pulumi.asset.FileAsset("x.zip") }), message: /^code: is not a Pulumi Archive/ },
        { name: "missing runtime", build: fn({ runtime: undefined }), message: /^runtime: is missing\. Pass a Lambda runtime/ },
        { name: "missing handler", build: fn({ handler: "" }), message: /^handler: must be a non-empty string\. Pass the entry point/ },
        { name: "layer ARN that is not an ARN", build: fn({ layers: ["my-layer"] }), message: /^layers\[0\]: "my-layer" is not a valid ARN.*Pass layer version ARNs/ },
        { name: "layer ARN without a version", build: fn({ layers: ["arn:aws:lambda:us-east-1:123456789012:layer:shared"] }), message: /^layers\[0\]: .* is not a valid ARN/ },
        { name: "more than 5 layers", build: fn({ layers: Array.from({ length: 6 }, (_, i) => `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`) }), message: /^layers: has 6 entries, more than the 5 AWS allows/ },
        { name: "memorySize below 128", build: fn({ memorySize: 64 }), message: /^memorySize: 64 is not a whole number between 128 and 10240\. Pass a whole number of MB/ },
        { name: "timeout above 900", build: fn({ timeout: 901 }), message: /^timeout: 901 is not a whole number between 1 and 900\. Pass a whole number of seconds/ },
        { name: "unknown architecture", build: fn({ architectures: ["arm"] }), message: /^architectures: "arm" is not a Lambda architecture\. Use "x86_64" or "arm64"/ },
        { name: "two architectures on a function", build: fn({ architectures: ["x86_64", "arm64"] }), message: /^architectures: must be a list of at most 1 architecture\(s\)\. Pass \["x86_64"\] or \["arm64"\]$/ },
        { name: "reserved environment variable", build: fn({ environment: { AWS_REGION: "eu-west-1" } }), message: /^environment: AWS_REGION is reserved by the Lambda runtime\. Rename/ },
        { name: "invalid environment variable name", build: fn({ environment: { "1ST": "x" } }), message: /^environment: "1ST" is not a valid variable name/ },
        { name: "CSC ARN that is not a CSC ARN", build: fn({ codeSigningConfigArn: "csc-123" }), message: /^codeSigningConfigArn: "csc-123" does not match/ },
        { name: "signing profile name with hyphens", build: fn({ signingProfileName: "team-prod" }), message: /^signingProfileName: "team-prod" does not match/ },
        { name: "build with empty command", build: fn({ code: undefined, build: build({ command: " " }) }), message: /^build\.command: must be a non-empty string\. Pass the shell command/ },
        { name: "build with missing directory", build: fn({ code: undefined, build: build({ directory: undefined }) }), message: /^build\.directory: is missing\. Pass the folder/ },
        { name: "build with a directory that does not exist", build: fn({ code: undefined, build: build({ directory: path.join(appDir, "nope") }) }), message: /^build\.directory: ".*nope" does not exist or is not a directory\. Pass an existing folder/ },
        { name: "build with empty archivePaths", build: fn({ code: undefined, build: build({ archivePaths: [] }) }), message: /^build\.archivePaths: must list at least one non-empty glob/ },
        { name: "build with a blank glob among valid ones", build: fn({ code: undefined, build: build({ archivePaths: ["dist/**", "  "] }) }), message: /^build\.archivePaths: must list at least one non-empty glob\. Name the build outputs to package, e\.g\. \["dist\/\*\*"\]$/ },
        { name: "build with a glob that is not a string", build: fn({ code: undefined, build: build({ archivePaths: ["dist/**", 3] }) }), message: /^build\.archivePaths: must list at least one non-empty glob/ },
        { name: "build environment with an invalid name", build: fn({ code: undefined, build: build({ environment: { "1ST": "x" } }) }), message: /^build\.environment: entry "1ST" is not a NAME=string pair\. Use names matching \^\[a-zA-Z\]\[a-zA-Z0-9_\]\*\$ and string values$/ },
        { name: "build environment with a value that is not a string", build: fn({ code: undefined, build: build({ environment: { NODE_ENV: "production", LEVEL: 3 } }) }), message: /^build\.environment: entry "LEVEL" is not a NAME=string pair/ },
        { name: "packageType neither Zip nor Image", build: fn({ packageType: "Jar" }), message: /^packageType: "Jar" is not supported\. Omit packageType or pass "Zip"$/ },
        { name: "memorySize given as a string", build: fn({ memorySize: "256" }), message: /^memorySize: "256" is not a whole number between 128 and 10240/ },
        { name: "signing profile name and prefix both set", build: guard({ signingProfileName: "team_a", signingProfileNamePrefix: "team" }), message: /^signingProfileName: and signingProfileNamePrefix are both set\. Pass at most one of them$/ },
        { name: "signingRoleArn that is not a role ARN", build: fn({ signingRoleArn: "ci-signer" }), message: /^signingRoleArn: "ci-signer" does not match/ },
        { name: "bad layerName", build: layer({ layerName: "my layer!" }), message: /^layerName: "my layer!" is not a valid layer name\. Use 1-64 letters/ },
        { name: "layerName longer than 64", build: layer({ layerName: "l".repeat(65) }), message: /^layerName: .* is not a valid layer name/ },
        { name: "more than 15 compatible runtimes", build: layer({ compatibleRuntimes: Array(16).fill("nodejs20.x") }), message: /^compatibleRuntimes: has 16 entries/ },
        { name: "licenseInfo over 512 characters", build: layer({ licenseInfo: "l".repeat(513) }), message: /^licenseInfo: is longer than 512 characters\. Pass an SPDX identifier or a URL instead$/ },
        { name: "the same compatible architecture twice", build: layer({ compatibleArchitectures: ["arm64", "arm64"] }), message: /^compatibleArchitectures: lists an architecture twice\. List each architecture once$/ },
        { name: "three compatible architectures", build: layer({ compatibleArchitectures: ["x86_64", "arm64", "x86_64"] }), message: /^compatibleArchitectures: must be a list of at most 2 architecture\(s\)\. Pass a subset of \["x86_64", "arm64"\]$/ },
        { name: "compatible architectures that are not a list", build: layer({ compatibleArchitectures: "arm64" }), message: /^compatibleArchitectures: must be a list of at most 2 architecture\(s\)/ },
        { name: "layer without code or build", build: layer({ code: undefined }), message: /^code: build and signedCode are all missing/ },
        { name: "layer signedCode naming nothing", build: layer({ code: undefined, signedCode: {} }), message: /^signedCode: names neither/ },
        { name: "signing profile name that can never be valid", build: guard({ signingProfileName: "my-profile" }), message: /^signingProfileName: "my-profile" can never be a valid signing profile name\. Use 2-64 letters, digits or _/ },
        { name: "signing profile name prefix too long", build: guard({ signingProfileNamePrefix: "p".repeat(39) }), message: /^signingProfileNamePrefix: .* can never start a valid signing profile name/ },
        { name: "validity 0 months", build: guard({ signatureValidityMonths: 0 }), message: /^signatureValidityMonths: 0 is not a whole number between 1 and 135\. Pass a whole number of months/ },
        { name: "validity 136 months", build: guard({ signatureValidityMonths: 136 }), message: /^signatureValidityMonths: 136 is not a whole number between 1 and 135/ },
        { name: "validity 12.5 months", build: guard({ signatureValidityMonths: 12.5 }), message: /^signatureValidityMonths: 12\.5 is not a whole number/ },
        { name: "more than 20 publishers", build: guard({ trustedProfileVersionArns: Array.from({ length: 20 }, (_, i) => publisher(i)) }), message: /^trustedProfileVersionArns: has 20 entries; with the guard's own profile that is 21 publishers, more than the 20/ },
        { name: "trusted profile ARN that is not a version ARN", build: guard({ trustedProfileVersionArns: ["arn:aws:signer:us-east-1:123456789012:/signing-profiles/Vendor"] }), message: /^trustedProfileVersionArns\[0\]: .* is not a valid ARN.*Pass signing profile VERSION ARNs/ },
        { name: "Warn without acknowledgeWarnMode", build: guard({ untrustedArtifactOnDeployment: "Warn" }), message: /^untrustedArtifactOnDeployment: Warn lets unsigned.*set acknowledgeWarnMode: true/ },
        { name: "unknown untrustedArtifactOnDeployment", build: guard({ untrustedArtifactOnDeployment: "Audit" }), message: /^untrustedArtifactOnDeployment: "Audit" is not a code signing policy/ },
        { name: "alertTopicArn without enableAlerts", build: guard({ alertTopicArn: "arn:aws:sns:us-east-1:123456789012:t" }), message: /^alertTopicArn: is set but enableAlerts is not true\. Set enableAlerts: true/ },
        { name: "revocation naming only a bare version (no profile)", build: guard({ revokedProfileVersions: [{ profileVersion: "AbCdEf1234", reason: "r", effectiveTime: "2024-01-01T00:00:00Z" }] }), message: /^revokedProfileVersions\[0\]\.profileVersionArn: is missing\. Pass the full version ARN.*a bare version cannot say which profile/ },
        { name: "revocation of a profile ARN without its version", build: guard({ revokedProfileVersions: [{ ...revocation, profileVersionArn: "arn:aws:signer:us-east-1:123456789012:/signing-profiles/team_old" }] }), message: /^revokedProfileVersions\[0\]\.profileVersionArn: ".*team_old" is not a signing profile version ARN/ },
        { name: "function name prefix with spaces", build: guard({ functionNamePrefix: "my team" }), message: /^functionNamePrefix: "my team" cannot start a Lambda function name\. Use 1-40 letters/ },
        { name: "bucket key without an existing bucket", build: guard({ artifactBucketKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }), message: /^artifactBucketKmsKeyArn: is set without artifactBucketName/ },
        { name: "bucket key given as an alias", build: guard({ artifactBucketName: "shared", artifactBucketKmsKeyArn: "alias/artifacts" }), message: /^artifactBucketKmsKeyArn: "alias\/artifacts" is not a KMS key ARN/ },
        { name: "noncurrent expiry of 0 days", build: guard({ noncurrentVersionExpirationDays: 0 }), message: /^noncurrentVersionExpirationDays: 0 is not a whole number between 1 and 3650/ },
        { name: "lifecycle settings for an existing bucket", build: guard({ artifactBucketName: "shared", signedObjectExpirationDays: 90 }), message: /^signedObjectExpirationDays: is set with artifactBucketName/ },
        { name: "subscriptions without enableAlerts", build: guard({ alertSubscriptions: [{ protocol: "email", endpoint: "a@example.com" }] }), message: /^alertSubscriptions: is set but enableAlerts is not true/ },
        { name: "trail without enableAlerts", build: guard({ createAlertTrail: true }), message: /^createAlertTrail: is set but enableAlerts is not true/ },
        { name: "subscription with an unknown protocol", build: guard({ enableAlerts: true, alertSubscriptions: [{ protocol: "pager", endpoint: "x" }] }), message: /^alertSubscriptions\[0\]\.protocol: "pager" is not supported\. Use one of email/ },
        { name: "subscription without an endpoint", build: guard({ enableAlerts: true, alertSubscriptions: [{ protocol: "email" }] }), message: /^alertSubscriptions\[0\]\.endpoint: is missing/ },
        { name: "subscription with an empty endpoint", build: guard({ enableAlerts: true, alertSubscriptions: [{ protocol: "email", endpoint: "" }] }), message: /^alertSubscriptions\[0\]\.endpoint: is missing\. Pass the address, URL or ARN alerts go to$/ },
        { name: "subscription list with a hole", build: guard({ enableAlerts: true, alertSubscriptions: [undefined] }), message: /^alertSubscriptions\[0\]\.protocol: undefined is not supported\. Use one of email, / },
        { name: "revocation list with a hole", build: guard({ revokedProfileVersions: [undefined] }), message: /^revokedProfileVersions\[0\]\.profileVersionArn: is missing\. Pass the full version ARN/ },
        { name: "revocation with an empty reason", build: guard({ revokedProfileVersions: [{ ...revocation, reason: "" }] }), message: /^revokedProfileVersions\[0\]\.reason: must be 1 to 500 characters/ },
        { name: "revocation with a reason over 500 characters", build: guard({ revokedProfileVersions: [{ ...revocation, reason: "r".repeat(501) }] }), message: /^revokedProfileVersions\[0\]\.reason: must be 1 to 500 characters/ },
        { name: "revocation effective in the future", build: guard({ revokedProfileVersions: [{ ...revocation, effectiveTime: "2999-01-01T00:00:00Z" }] }), message: /^revokedProfileVersions\[0\]\.effectiveTime: 2999-01-01T00:00:00Z is in the future\. AWS Signer only accepts a past/ },
        { name: "revocation with an unparseable effectiveTime", build: guard({ revokedProfileVersions: [{ ...revocation, effectiveTime: "last Tuesday" }] }), message: /^revokedProfileVersions\[0\]\.effectiveTime: "last Tuesday" is not an ISO 8601 time/ },
        { name: "the same version revoked twice", build: guard({ revokedProfileVersions: [revocation, revocation] }), message: /^revokedProfileVersions\[1\]\.profileVersionArn: .*AbCdEf1234 is listed twice/ },
    ];

    // "No child exists" below means something only because the same harness, waiting the same way, sees the children
    // of a component built from the valid arguments every case starts from.
    it("control: the valid arguments every case starts from create the component's children", async () => {
        const expected: [() => unknown, string[]][] = [
            [fn({}), ["bad-basic-execution", "bad-function", "bad-role", "bad-signing", "bad-unsigned"]],
            [layer({}), ["bad-layer", "bad-signing", "bad-unsigned"]],
            [guard({}), ["bad-artifacts", "bad-artifacts-encryption", "bad-artifacts-lifecycle", "bad-artifacts-ownership",
                "bad-artifacts-public-access", "bad-artifacts-tls-only", "bad-artifacts-versioning", "bad-csc", "bad-deployer",
                "bad-key", "bad-profile", "bad-signer"]],
        ];
        for (const [build, children] of expected) {
            engine.reset();
            build();
            await engine.settle();
            assert.deepStrictEqual(engine.childrenOf("bad").map(r => r.name).sort(), children);
        }
    });

    for (const c of cases) {
        it(c.name, async () => {
            assert.throws(c.build, (err: any) => {
                assert.ok(err instanceof pulumi.ResourceError, `expected a ResourceError, got ${err}`);
                assert.match(err.message, c.message);
                assert.match(err.message, MESSAGE_SHAPE, "the message names the argument, the problem and the fix");
                return true;
            });
            await engine.settle();
            assert.deepStrictEqual(engine.childrenOf("bad").map(r => r.name), [], "children were created before the error");
        });
    }
});

describe("misuse hidden in Outputs fails when the value is known", () => {
    const engine = new MockEngine();
    const appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
    before(() => engine.install(false));

    it("rejects the function's outputs with the same message", async () => {
        const fn = new SignedFunction("late", {
            signingProfileName: pulumi.output("team_0001"), artifactBucket: pulumi.output("team-artifacts"),
            codeSigningConfigArn: pulumi.output(csc), runtime: "nodejs20.x", handler: "index.handler",
            code: new pulumi.asset.FileArchive(appDir), memorySize: pulumi.output(64),
        });
        await assert.rejects((fn.functionArn as any).promise(), /memorySize: 64 is not a whole number between 128 and 10240/);
    });

    it("rejects a trusted publisher that turns out not to be a version ARN", async () => {
        const guard = new CodeSigningGuard("late", { trustedProfileVersionArns: [pulumi.output("not-an-arn")] });
        await assert.rejects((guard.codeSigningConfigArn as any).promise(), /trustedProfileVersionArns\[0\]: "not-an-arn" is not a valid ARN/);
    });
});
