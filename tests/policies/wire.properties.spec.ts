/**
 * Wire-level properties (fast-check) over the real analyzer protocol: the compiled pack, started like the CLI starts
 * it, receives random protobuf values of every kind (unknowns and secrets at any depth and position, wrong types,
 * huge, deep and wide values, assets and archives including empty and hash-only ones, unrecognised signatures, keys
 * named like the SDK's own markers), dangling and cyclic dependencies and parents, concurrent requests and refused
 * Configures. Properties:
 *  - every request is answered within its deadline, without a gRPC error (a refused Configure is an error, by design);
 *  - no diagnostic says "can't run", and none is advisory unless the accepted config makes that policy advisory;
 *  - a refused Configure changes nothing, and concurrent copies of a request get identical answers;
 *  - a planted unprotected Zip function is always reported by lambda-enforce-code-signing and lambda-signed-code at
 *    the level the last accepted Configure gave them (an oracle from the generator's own choices), and a planted
 *    compliant function never is;
 *  - a remediation never drops a property and never returns the SDK's marker keys.
 * Fixed seed; WIRE_PBT_RUNS raises the run count (default 12).
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { leafValues, wireValues } from "./arbitraries";
import { T, TestResource, UNKNOWN, withPack } from "./helpers";
import { LEVEL, LEVEL_NAMES, Level, RpcResult, WireDiag, analyzerClient, configureRequest, diagnostics, resourceRequest, rpc, stackRequest } from "./wire";

const RUNS = Number(process.env.WIRE_PBT_RUNS) || 12;
const SEED = 4242;
const SIG = "4dabf18193072939515e22adb298388d";
const ASSET = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const POLICIES = [
    "lambda-enforce-code-signing", "lambda-signed-layers", "lambda-signed-code", "lambda-image-functions",
    "signer-profile-hygiene", "signer-job-no-ignore-failure", "lambda-csc-enforce-mode", "lambda-cloudformation-template-url",
];
const DEFAULT_LEVEL: Record<string, Level> = Object.fromEntries(POLICIES.map(p => [p, p === "lambda-cloudformation-template-url" ? "advisory" : "mandatory"]));
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::pulumi:pulumi:Stack$${type}::${name}`;

// ------------------------------------------------------------------------------------------------------------------
// Values.

const emptyAsset = { [SIG]: ASSET, hash: EMPTY_HASH };
const special: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
    emptyAsset, { [SIG]: ASSET, text: "" }, { [SIG]: ASSET, text: "x" }, { [SIG]: ASSET, hash: "abc" }, { [SIG]: ASSET, path: "p" },
    { [SIG]: ASSET, uri: "https://x" }, { [SIG]: ASSET, hash: 5 }, { [SIG]: ARCHIVE, assets: { "__init__.py": emptyAsset, "a.py": { [SIG]: ASSET, text: "x" } } },
    { [SIG]: ARCHIVE, hash: "abc" }, { [SIG]: ARCHIVE, assets: {} }, { [SIG]: ARCHIVE, path: "p" }, { [SIG]: ARCHIVE, assets: { a: 1 } },
    { [SIG]: "unrecognised" }, { [SIG]: UNKNOWN, value: 1 }, { __isSpecialProxy: true, __getSpecialProxyTarget: { codeSigningConfigArn: "arn:forged" } },
    { [SIG]: SECRET }, "x".repeat(100_000),
);

const leaf = leafValues([
    "", "Enforce", "Warn", "Image", "Zip", SIG, ASSET, ARCHIVE, SECRET, "__index.handler",
    "arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/v1", "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-x:1",
    "Resources: { F: { Type: AWS::Lambda::Function, Properties: { Code: { ZipFile: x } } } }", "{ not json",
]);

const value = wireValues({
    constants: [],
    keys: ["untrustedArtifactOnDeployment", "signingProfileVersionArns", "s3Key", "s3Bucket", "zipFile", "x", SIG, "__isSpecialProxy"],
    extras: [
        special,
        leaf,
        fc.array(leaf, { minLength: 50, maxLength: 300 }),
        fc.integer({ min: 20, max: 150 }).map(depth => {
            let v: unknown = UNKNOWN;
            for (let i = 0; i < depth; i++) {
                v = i % 2 ? [v] : { s3Key: v };
            }
            return v;
        }),
    ],
});

const KEYS = [
    "codeSigningConfigArn", "packageType", "layers", "code", "s3Bucket", "s3Key", "s3ObjectVersion", "handler", "imageUri", "policies",
    "codeSigningPolicies", "allowedPublishers", "arn", "versionArn", "name", "profileName", "platformId", "signatureValidityPeriod",
    "ignoreSigningJobFailure", "content", "signedObjects", "source", "region", "templateBody", "templateUrl", "parameters",
    "__isSpecialProxy", "__getSpecialProxyTarget", SIG,
];
const TYPES = [T.fn, T.nativeFn, T.csc, T.nativeCsc, T.layer, T.nativeLayer, T.job, T.profile, T.nativeProfile, T.object, T.copy, T.cfnStack, "random:index/randomPet:RandomPet", "pkg:index:Component"];

const garbage = fc.array(fc.record({
    type: fc.constantFrom(...TYPES),
    props: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 7 }),
    deps: fc.dictionary(fc.constantFrom(...KEYS), fc.array(fc.nat(15), { maxLength: 3 }), { maxKeys: 4 }),
    parent: fc.option(fc.nat(15), { nil: undefined }),
    providerRegion: fc.option(leaf, { nil: undefined }),
}), { maxLength: 10 }).map(specs => {
    const rs: TestResource[] = specs.map((s, i) => ({ type: s.type, name: `r${i}`, urn: urn(s.type, `r${i}`), props: s.props }));
    const at = (i: number) => (i < rs.length ? rs[i].urn! : urn(T.csc, `gone${i}`));
    specs.forEach((s, i) => {
        rs[i].deps = Object.fromEntries(Object.entries(s.deps).map(([k, l]) => [k, l.map(at)]));
        rs[i].parent = s.parent === undefined ? undefined : at(s.parent);
        if (s.providerRegion !== undefined) {
            rs[i].provider = { type: "pulumi:providers:aws", name: "default", urn: "urn:pulumi:dev::proj::pulumi:providers:aws::default", props: { region: s.providerRegion } };
        }
    });
    return rs;
});

// ------------------------------------------------------------------------------------------------------------------
// Planted resources: an unprotected function and a compliant chain, known to the oracle.

const PLANTED: TestResource = { type: T.fn, name: "planted", urn: urn(T.fn, "planted"), props: { packageType: "Zip", handler: "index.handler", code: { [SIG]: ARCHIVE, assets: { "__init__.py": emptyAsset, "index.py": { [SIG]: ASSET, text: "x" } } } } };
const goodProfile: TestResource = { type: T.profile, name: "good-profile", urn: urn(T.profile, "good-profile"), props: { name: "good_profile", platformId: "AWSLambda-SHA384-ECDSA", versionArn: UNKNOWN } };
const goodJob: TestResource = { type: T.job, name: "good-job", urn: urn(T.job, "good-job"), props: { profileName: "good_profile", signedObjects: UNKNOWN }, deps: { profileName: [goodProfile.urn!] } };
const goodCsc: TestResource = { type: T.csc, name: "good-csc", urn: urn(T.csc, "good-csc"), props: { allowedPublishers: { signingProfileVersionArns: [UNKNOWN] }, policies: { untrustedArtifactOnDeployment: "Enforce" }, arn: UNKNOWN }, deps: { allowedPublishers: [goodProfile.urn!] } };
const GOOD: TestResource = {
    type: T.fn, name: "good", urn: urn(T.fn, "good"),
    props: { packageType: "Zip", s3Bucket: UNKNOWN, s3Key: UNKNOWN, codeSigningConfigArn: UNKNOWN },
    deps: { s3Bucket: [goodJob.urn!], s3Key: [goodJob.urn!], codeSigningConfigArn: [goodCsc.urn!] },
};
const PROBE = [goodProfile, goodJob, goodCsc, GOOD, PLANTED];

// ------------------------------------------------------------------------------------------------------------------
// Configure requests.

const configValue = fc.oneof(fc.constant({}), fc.constantFrom<Record<string, unknown>>(
    { trustedCodeSigningConfigArns: ["arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0"] },
    { trustedLayerArns: ["*"], trustedSignedArtifacts: ["s3://b/k/*"] },
    { imageFunctions: "ALLOW" }, { maxSignatureValidityMonths: "12" }, { allowedPlatformIds: [1] }, { unknownProperty: true },
));
const accepted = fc.dictionary(fc.constantFrom(...POLICIES), fc.record({ level: fc.constantFrom(...LEVEL_NAMES), properties: configValue }), { maxKeys: POLICIES.length });
const refused = fc.constantFrom<Record<string, { level: number; properties: Record<string, unknown> | null }>>(
    { "lambda-enforce-code-signing": { level: LEVEL.disabled, properties: null }, "lambda-signed-code": { level: LEVEL.disabled, properties: {} } },
    { "lambda-signed-code": { level: 9, properties: {} }, "lambda-enforce-code-signing": { level: LEVEL.advisory, properties: {} } },
);

function expectedLevel(config: Record<string, { level: Level }>, policy: string): Level {
    return config[policy]?.level ?? DEFAULT_LEVEL[policy];
}

function assertAnswered(r: RpcResult, what: string): void {
    assert.ok(!r.error, `${what}: ${r.error?.message}`);
}

function assertSane(diags: WireDiag[], config: Record<string, { level: Level }>): void {
    for (const d of diags) {
        assert.ok(!/can't run/.test(d.message), d.message);
        const level = expectedLevel(config, d.policy);
        assert.strictEqual(d.level, level === "remediate" ? "mandatory" : level, `${d.policy}: ${d.message}`);
    }
}

/** The planted resources' verdicts, from the accepted config alone. */
function assertOracle(diags: WireDiag[], config: Record<string, { level: Level }>): void {
    const planted = diags.filter(d => d.urn === PLANTED.urn && d.policy !== "lambda-image-functions").map(d => `${d.policy}:${d.level}`).sort();
    const want = ["lambda-enforce-code-signing", "lambda-signed-code"].flatMap(p => {
        const level = expectedLevel(config, p);
        return level === "disabled" ? [] : [`${p}:${level === "remediate" ? "mandatory" : level}`];
    }).sort();
    assert.deepStrictEqual(planted, want);
    assert.deepStrictEqual(diags.filter(d => d.urn === GOOD.urn), []);
}

describe("policies: wire-level properties over the analyzer protocol", function () {
    this.timeout(600000);
    const pack = withPack();

    it(`random requests: answered in time, sane, stateful only through accepted Configures, planted functions judged (${RUNS} runs)`, async () => {
        const client = () => analyzerClient(pack.session());
        await fc.assert(fc.asyncProperty(garbage, accepted, refused, async (rs, config, bad) => {
            const c = client();
            assertAnswered(await rpc(c, "configure", configureRequest(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { level: LEVEL[v.level], properties: v.properties }])))), "accepted Configure");
            const before = await rpc(c, "analyzeStack", stackRequest(PROBE));
            assertAnswered(before, "AnalyzeStack (probe)");
            const refusal = await rpc(c, "configure", configureRequest(bad));
            assert.ok(refusal.error, "the server refuses a PolicyConfig without properties or with an unknown level");
            const after = await rpc(c, "analyzeStack", stackRequest(PROBE));
            assert.deepStrictEqual(diagnostics(after.response), diagnostics(before.response), "a refused Configure changed the verdicts");
            assertOracle(diagnostics(before.response), config);

            const stack = stackRequest([...rs, ...PROBE]);
            const calls = [
                ...[0, 1, 2].map(() => rpc(c, "analyzeStack", stack)),
                ...rs.flatMap(r => [rpc(c, "analyze", resourceRequest(r)), rpc(c, "remediate", resourceRequest(r))]),
            ];
            const results = await Promise.all(calls);
            results.forEach((r, i) => assertAnswered(r, `request ${i}`));
            const stacks = results.slice(0, 3).map(r => diagnostics(r.response));
            assert.deepStrictEqual(stacks[1], stacks[0], "concurrent copies of one request differ");
            assert.deepStrictEqual(stacks[2], stacks[0], "concurrent copies of one request differ");
            assertSane(stacks[0], config);
            assertOracle(stacks[0], config);
            rs.forEach((r, i) => {
                assertSane(diagnostics(results[3 + 2 * i].response), config);
                for (const rem of results[4 + 2 * i].response.getRemediationsList()) {
                    assert.strictEqual(rem.getDiagnostic(), "", rem.getDiagnostic());
                    const props = rem.getProperties()?.toJavaScript() ?? {};
                    assert.ok(Object.keys(r.props).every(k => k in props), `remediation dropped a property of ${r.name}`);
                    assert.ok(!JSON.stringify(props).includes("__getSpecialProxyTarget"));
                }
            });
        }), { numRuns: RUNS, seed: SEED });
    });

    it("a Remediate request the SDK can't handle (no options) is answered with an error, not left hanging", async () => {
        const c = analyzerClient(pack.session());
        assertAnswered(await rpc(c, "configure", configureRequest({ "lambda-csc-enforce-mode": { level: LEVEL.remediate, properties: {} } })), "Configure");
        const r = await rpc(c, "remediate", resourceRequest({ type: T.csc, name: "c", urn: urn(T.csc, "c"), props: { policies: { untrustedArtifactOnDeployment: "Warn" } } }, false), 10000);
        assert.ok(r.error, "an error answer");
        assert.notStrictEqual(r.error!.code, 4, "not DEADLINE_EXCEEDED");
        assert.match(r.error!.message, /lambda-code-signing policy pack: remediate failed: A more recent version of the Pulumi CLI is required/);
        const ok = await rpc(c, "remediate", resourceRequest({ type: T.csc, name: "c", urn: urn(T.csc, "c"), props: { policies: { untrustedArtifactOnDeployment: "Warn" }, code: emptyAsset } }));
        assertAnswered(ok, "Remediate with an empty asset");
        assert.deepStrictEqual(ok.response.getRemediationsList().length, 0, "an asset in a CSC's inputs: no rewrite, but an answer");
    });
});
