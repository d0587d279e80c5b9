/**
 * Property-based tests (fast-check), in process through @pulumi/policy's real server functions (the code paths mutation
 * testing reaches):
 *  1. random, malformed stack graphs (sentinels anywhere, secrets, nulls, wrong types, reserved keys, dangling and
 *     cyclic propertyDependencies) → no rule throws, no diagnostic is advisory / "can't run", and an unprotected Zip
 *     function planted among them always gets its two mandatory violations;
 *  2. well-formed programs from a small model: the pack's verdicts equal an independent oracle computed from the
 *     model alone, and are identical in preview (every in-stack ARN unknown) and update (known ARNs).
 * POLICY_PBT_RUNS raises the run count (default 100, fixed seed).
 */
import * as assert from "assert";
import * as fc from "fast-check";
import type { Policy } from "@pulumi/policy";
import { lambdaCscEnforceMode } from "../../policies/rules/lambda-csc-enforce-mode";
import { lambdaEnforceCodeSigning } from "../../policies/rules/lambda-enforce-code-signing";
import { lambdaImageFunctions } from "../../policies/rules/lambda-image-functions";
import { lambdaSignedCode } from "../../policies/rules/lambda-signed-code";
import { lambdaSignedLayers } from "../../policies/rules/lambda-signed-layers";
import { signerJobNoIgnoreFailure } from "../../policies/rules/signer-job-no-ignore-failure";
import { signerProfileHygiene } from "../../policies/rules/signer-profile-hygiene";
import { wireValues } from "./arbitraries";
import { Diag, T, TestResource, UNKNOWN, analyzeResource, analyzeStack, remediateResource, stringArchive, urnOf, verdicts, withConfig } from "./helpers";

const RUNS = Number(process.env.POLICY_PBT_RUNS) || 100;
const SEED = 20261122;

const EXT_CSC = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0";
const VENDOR_LAYER = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115";
const CONFIGS = {
    "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: [EXT_CSC] },
    "lambda-signed-layers": { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] },
};
const STACK_POLICIES: Policy[] = [
    withConfig(lambdaEnforceCodeSigning, CONFIGS["lambda-enforce-code-signing"]),
    withConfig(lambdaSignedLayers, CONFIGS["lambda-signed-layers"]),
    lambdaSignedCode,
];
const RESOURCE_POLICIES: Policy[] = [lambdaImageFunctions, signerProfileHygiene, signerJobNoIgnoreFailure, lambdaCscEnforceMode];

function assertSane(diags: Diag[]): void {
    for (const d of diags) {
        assert.ok(!/can't run/.test(d.message), d.message);
        assert.strictEqual(d.level, "mandatory", `${d.policy}: ${d.message}`);
    }
}

// ------------------------------------------------------------------------------------------------------------------
// 1. Random garbage.

const TYPES = [T.fn, T.nativeFn, T.csc, T.nativeCsc, T.layer, T.nativeLayer, T.job, T.profile, T.nativeProfile, T.object, T.copy, T.cfnStack, "random:index/randomPet:RandomPet"];
const KEYS = [
    "codeSigningConfigArn", "packageType", "layers", "code", "s3Bucket", "s3Key", "s3ObjectVersion", "handler", "imageUri",
    "policies", "codeSigningPolicies", "allowedPublishers", "arn", "versionArn", "name", "profileName", "platformId",
    "signatureValidityPeriod", "ignoreSigningJobFailure", "content", "layerVersionArn", "signedObjects", "source", "region",
    "templateBody", "templateUrl", "parameters", "__isSpecialProxy", "__getSpecialProxyTarget", "4dabf18193072939515e22adb298388d",
];

const value = wireValues({
    constants: ["Enforce", "Warn", "Zip", "Image", "", "__index.handler", "AWSLambda-SHA384-ECDSA", "MONTHS", "DAYS", "YEARS", true,
        "arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/v1", VENDOR_LAYER, EXT_CSC, "arn:aws:lambda:us-east-1:1:layer:l:1",
        "b/k.zip", "Resources: { F: { Type: AWS::Lambda::Function } }", '{"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}'],
    keys: ["untrustedArtifactOnDeployment", "signingProfileVersionArns", "type", "value", "zipFile", "s3Key", "s3Bucket", "imageUri", "x", "__isSpecialProxy", "__getSpecialProxyTarget"],
    extras: [fc.constant(stringArchive({ "index.js": "exports.handler = 1" }))],
});

const garbageStack = fc
    .array(
        fc.record({
            type: fc.constantFrom(...TYPES),
            props: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }),
            deps: fc.dictionary(fc.constantFrom(...KEYS), fc.array(fc.nat(20), { maxLength: 4 }), { maxKeys: 5 }),
            parent: fc.option(fc.nat(20), { nil: undefined }),
        }),
        { maxLength: 14 },
    )
    .map(specs => {
        const resources: TestResource[] = specs.map((s, i) => ({ type: s.type, name: `r${i}`, urn: urnOf(s.type, `r${i}`), props: s.props }));
        // Dependencies by index: beyond the list = dangling URN; self and back references make cycles.
        const urnAt = (i: number) => (i < resources.length ? resources[i].urn! : `urn:pulumi:dev::proj::${T.csc}::gone${i}`);
        specs.forEach((s, i) => {
            resources[i].deps = Object.fromEntries(Object.entries(s.deps).map(([k, list]) => [k, list.map(urnAt)]));
            if (s.parent !== undefined) {
                resources[i].parent = urnAt(s.parent);
            }
        });
        return resources;
    });

/** An unprotected Zip function: no code signing config, inline code. Its name is unique in the stack. */
const UNPROTECTED: TestResource = { type: T.fn, name: "planted", urn: urnOf(T.fn, "planted"), props: { code: stringArchive({ "index.js": "1" }), handler: "index.handler" } };

// ------------------------------------------------------------------------------------------------------------------
// 2. Well-formed programs, seen in update and preview mode, judged against an oracle.

interface Model {
    profiles: number;
    jobs: Array<{ profile: number; literalName: boolean }>;
    cscs: Array<{ mode: "Enforce" | "Warn" | "none"; publishers: number[]; external: boolean }>;
    layers: Array<{ source: { job: number } | "inline" | "literal" }>;
    functions: Array<{
        csc: { in: number } | "external-trusted" | "external" | "none";
        code: { job: number } | "inline" | "literal" | "callback";
        layers: Array<{ in: number } | "vendor" | "other">;
        image: boolean;
    }>;
}

const model: fc.Arbitrary<Model> = fc.integer({ min: 1, max: 3 }).chain(profiles =>
    fc.record({
        jobs: fc.array(fc.record({ profile: fc.nat(profiles - 1), literalName: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        cscs: fc.array(fc.record({
            mode: fc.constantFrom("Enforce" as const, "Enforce" as const, "Warn" as const, "none" as const),
            publishers: fc.array(fc.nat(profiles - 1), { maxLength: 3 }),
            external: fc.boolean(),
        }), { minLength: 1, maxLength: 3 }),
        layerCount: fc.nat(3),
    }).chain(base => fc.record({
        profiles: fc.constant(profiles),
        jobs: fc.constant(base.jobs),
        cscs: fc.constant(base.cscs),
        layers: fc.array(fc.record({
            source: fc.oneof(fc.nat(base.jobs.length - 1).map(job => ({ job })), fc.constantFrom("inline" as const, "literal" as const)),
        }), { minLength: base.layerCount, maxLength: base.layerCount }),
        functions: fc.array(fc.record({
            csc: fc.oneof(fc.nat(base.cscs.length - 1).map(i => ({ in: i })), fc.constantFrom("external-trusted" as const, "external" as const, "none" as const)),
            code: fc.oneof(fc.nat(base.jobs.length - 1).map(job => ({ job })), fc.constantFrom("inline" as const, "literal" as const, "callback" as const)),
            layers: fc.uniqueArray(base.layerCount > 0
                ? fc.oneof(fc.nat(base.layerCount - 1).map(i => ({ in: i })), fc.constantFrom("vendor" as const, "other" as const))
                : fc.constantFrom("vendor" as const, "other" as const), { maxLength: 3, selector: l => JSON.stringify(l) }),
            image: fc.boolean(),
        }), { minLength: 1, maxLength: 4 }),
    })),
);

const PROVIDER: TestResource = { type: "pulumi:providers:aws", name: "default", urn: "urn:pulumi:dev::proj::pulumi:providers:aws::default", props: { region: "us-east-1" } };
const profileVersionArn = (i: number) => `arn:aws:signer:us-east-1:123456789012:/signing-profiles/profile_${i}/v${i}`;

/** Materialises the model as AnalyzeStack resources; `preview` makes every in-stack ARN / computed value unknown. */
function materialise(m: Model, preview: boolean): TestResource[] {
    const k = (v: string) => (preview ? UNKNOWN : v);
    const profiles = Array.from({ length: m.profiles }, (_, i): TestResource => ({
        type: T.profile, name: `profile${i}`,
        props: { name: `profile_${i}`, platformId: "AWSLambda-SHA384-ECDSA", versionArn: k(profileVersionArn(i)) },
    }));
    const jobs = m.jobs.map((j, i): TestResource => ({
        type: T.job, name: `job${i}`,
        props: { profileName: `profile_${j.profile}`, destination: { s3: { bucket: "b", prefix: `signed/${i}/` } }, signedObjects: preview ? UNKNOWN : [{ s3s: [{ bucket: "b", key: `signed/${i}/x.zip` }] }] },
        deps: j.literalName ? {} : { profileName: [profiles[j.profile]] },
    }));
    const cscs = m.cscs.map((c, i): TestResource => ({
        type: T.csc, name: `csc${i}`,
        props: {
            allowedPublishers: { signingProfileVersionArns: c.publishers.map(p => (c.external ? `arn:aws:signer:us-east-1:999999999999:/signing-profiles/profile_${p}/v1` : k(profileVersionArn(p)))) },
            ...(c.mode === "none" ? {} : { policies: { untrustedArtifactOnDeployment: c.mode } }),
            arn: k(`arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-${i}`),
        },
        deps: c.external ? {} : { allowedPublishers: c.publishers.map(p => profiles[p]) },
    }));
    const layers = m.layers.map((l, i): TestResource => {
        const arn = k(`arn:aws:lambda:us-east-1:123456789012:layer:layer${i}:1`);
        if (l.source === "inline") {
            return { type: T.layer, name: `layer${i}`, props: { code: stringArchive({ "a.js": "1" }), arn } };
        }
        if (l.source === "literal") {
            return { type: T.layer, name: `layer${i}`, props: { s3Bucket: "b", s3Key: `plain/${i}.zip`, arn } };
        }
        const key = `signed/${l.source.job}/x.zip`;
        return { type: T.layer, name: `layer${i}`, props: { s3Bucket: k("b"), s3Key: k(key), arn }, deps: { s3Key: [jobs[l.source.job]], s3Bucket: [jobs[l.source.job]] } };
    });
    const functions = m.functions.map((f, i) => materialiseFunction(f, i, k, { jobs, cscs, layers }));
    const out = [PROVIDER, ...profiles, ...jobs, ...cscs, ...layers, ...functions];
    for (const res of out) {
        res.urn = urnOf(res.type, res.name);
        if (res !== PROVIDER) {
            res.provider = PROVIDER;
        }
    }
    return out;
}

function materialiseFunction(f: Model["functions"][number], i: number, k: (v: string) => string, rs: Record<"jobs" | "cscs" | "layers", TestResource[]>): TestResource {
    const props: Record<string, unknown> = { role: "arn:aws:iam::123456789012:role/r" };
    const deps: Record<string, TestResource[]> = {};
    if (f.image) {
        Object.assign(props, { packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1" });
    } else {
        props.packageType = "Zip";
        if (typeof f.code === "object") {
            Object.assign(props, { s3Bucket: k("b"), s3Key: k(`signed/${f.code.job}/x.zip`) });
            deps.s3Key = [rs.jobs[f.code.job]];
            deps.s3Bucket = [rs.jobs[f.code.job]];
        } else if (f.code === "literal") {
            Object.assign(props, { s3Bucket: "b", s3Key: "plain/app.zip" });
        } else {
            Object.assign(props, { code: stringArchive({ "index.js": "1" }), handler: f.code === "callback" ? "__index.handler" : "index.handler" });
        }
        const layerArns = f.layers.map(l => (typeof l === "object" ? k(`arn:aws:lambda:us-east-1:123456789012:layer:layer${l.in}:1`) : l === "vendor" ? VENDOR_LAYER : "arn:aws:lambda:us-east-1:999999999999:layer:Other:1"));
        const layerDeps = f.layers.flatMap(l => (typeof l === "object" ? [rs.layers[l.in]] : []));
        if (layerArns.length > 0) {
            props.layers = layerArns;
        }
        if (layerDeps.length > 0) {
            deps.layers = layerDeps;
        }
    }
    if (typeof f.csc === "object") {
        props.codeSigningConfigArn = k(`arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-${f.csc.in}`);
        deps.codeSigningConfigArn = [rs.cscs[f.csc.in]];
    } else if (f.csc !== "none") {
        props.codeSigningConfigArn = f.csc === "external-trusted" ? EXT_CSC : "arn:aws:lambda:us-east-1:222233334444:code-signing-config:csc-0123456789abcdef1";
    }
    return { type: T.fn, name: `fn${i}`, props, deps };
}

/**
 * The oracle: which (policy, function) violations the model must produce, from the model alone. A job signs with
 * its profile; an in-stack CSC allows a job iff it lists that profile by reference (never a same-named profile of another account); anything
 * inline or at a literal key is unsigned; vendor layers are trusted, other external layers are not.
 */
function oracle(m: Model): string[] {
    const out: string[] = [];
    m.functions.forEach((f, i) => {
        if (f.image) {
            return;
        }
        const add = (policy: string, n = 1) => Array.from({ length: n }, () => out.push(`${policy} @ fn${i}`));
        const csc = typeof f.csc === "object" ? m.cscs[f.csc.in] : undefined;
        const allows = (job: number) => !csc || (!csc.external && csc.publishers.includes(m.jobs[job].profile));
        if (csc) {
            add("lambda-enforce-code-signing", (csc.mode === "Enforce" ? 0 : 1) + (csc.publishers.length === 0 ? 1 : 0));
        } else if (f.csc !== "external-trusted") {
            add("lambda-enforce-code-signing");
        }
        add("lambda-signed-code", typeof f.code === "object" ? (allows(f.code.job) ? 0 : 1) : 1);
        for (const l of f.layers) {
            const source = typeof l === "object" ? m.layers[l.in].source : undefined;
            add("lambda-signed-layers", l === "vendor" ? 0 : l === "other" ? 1 : typeof source === "object" ? (allows(source.job) ? 0 : 1) : 1);
        }
    });
    return out.sort();
}

describe("policies: property-based", function () {
    this.timeout(300000);

    it(`random malformed stacks: no rule throws, nothing is advisory or "can't run"; a planted unprotected function is always caught (${RUNS} runs)`, async () => {
        await fc.assert(
            fc.asyncProperty(garbageStack, async resources => {
                const diags = await analyzeStack(STACK_POLICIES, [...resources, UNPROTECTED]);
                assertSane(diags);
                const planted = diags.filter(d => d.urn === UNPROTECTED.urn).map(d => d.policy).sort();
                assert.deepStrictEqual(planted, ["lambda-enforce-code-signing", "lambda-signed-code"]);
                for (const res of resources) {
                    assertSane(await analyzeResource(RESOURCE_POLICIES, res.type, res.name, res.props));
                    const rem = await remediateResource([{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" }], res.type, res.name, res.props);
                    for (const x of rem) {
                        assert.strictEqual(x.diagnostic, "", x.diagnostic);
                        assert.ok(x.properties && !JSON.stringify(x.properties).includes("__getSpecialProxyTarget"));
                    }
                }
            }),
            { numRuns: RUNS, seed: SEED },
        );
    });

    it(`well-formed programs: verdicts equal the oracle and are identical in preview and update (${RUNS} runs)`, async () => {
        let violations = 0;
        await fc.assert(
            fc.asyncProperty(model, async m => {
                const update = await analyzeStack(STACK_POLICIES, materialise(m, false));
                const preview = await analyzeStack(STACK_POLICIES, materialise(m, true));
                assertSane(update);
                assertSane(preview);
                const expected = oracle(m);
                const actual = update.map(d => `${d.policy} @ ${d.urn.split("::").pop()}`).sort();
                assert.deepStrictEqual(actual, expected, update.map(d => d.message).join("\n"));
                assert.deepStrictEqual(verdicts(preview), verdicts(update));
                violations += update.length;
            }),
            { numRuns: RUNS, seed: SEED },
        );
        assert.ok(violations > 0, "the generator produced no violations at all");
    });
});
