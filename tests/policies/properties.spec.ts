/**
 * Property-based tests (fast-check), in process through @pulumi/policy's real server functions:
 *  1. random, malformed stack graphs (sentinels anywhere, secrets, nulls, wrong types, dangling and cyclic
 *     propertyDependencies) → no rule throws, no diagnostic is advisory / "can't run";
 *  2. metamorphic: a well-formed program seen in update mode (known ARNs) and in preview mode (the same program with
 *     every ARN of an in-stack resource unknown, propertyDependencies unchanged) gets identical verdicts.
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
import {
    Diag,
    SENTINELS,
    T,
    TestResource,
    UNKNOWN,
    analyzeResource,
    analyzeStack,
    remediateResource,
    secret,
    stringArchive,
    urnOf,
    verdicts,
    withConfig,
} from "./helpers";

const RUNS = Number(process.env.POLICY_PBT_RUNS) || 200;

const CONFIGS = {
    "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: ["arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-ext"] },
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

const TYPES = [T.fn, T.nativeFn, T.csc, T.nativeCsc, T.layer, T.nativeLayer, T.job, T.profile, T.nativeProfile, T.object, "random:index/randomPet:RandomPet"];
const KEYS = [
    "codeSigningConfigArn", "packageType", "layers", "code", "s3Bucket", "s3Key", "s3ObjectVersion", "handler", "imageUri",
    "policies", "codeSigningPolicies", "allowedPublishers", "arn", "versionArn", "name", "profileName", "platformId",
    "signatureValidityPeriod", "ignoreSigningJobFailure", "content", "layerVersionArn", "codeSigningConfigArn", "signedObjects",
];

const leaf: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(...SENTINELS),
    fc.constantFrom("Enforce", "Warn", "Zip", "Image", "", "__index.handler", "AWSLambda-SHA384-ECDSA", "MONTHS", "DAYS", "YEARS",
        "arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/v1", "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-x:1",
        "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-ext", "arn:aws:lambda:us-east-1:1:layer:l:1"),
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -5, max: 300 }),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
);

const value: fc.Arbitrary<unknown> = fc.letrec(tie => ({
    v: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom("untrustedArtifactOnDeployment", "signingProfileVersionArns", "type", "value", "zipFile", "s3Key", "s3Bucket", "imageUri", "x"), tie("v"), { maxKeys: 4 }),
        tie("v").map(x => secret(x)),
        fc.constant(stringArchive({ "index.js": "exports.handler = 1" })),
    ),
})).v;

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

// ------------------------------------------------------------------------------------------------------------------
// 2. Well-formed programs, seen in update and preview mode.

interface Model {
    profiles: number;
    jobs: Array<{ profile: number; literalName: boolean; ignore: boolean }>;
    cscs: Array<{ mode: "Enforce" | "Warn" | "none"; publishers: number[]; literal: boolean }>;
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
        profiles: fc.constant(profiles),
        jobs: fc.array(fc.record({ profile: fc.nat(profiles - 1), literalName: fc.boolean(), ignore: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        cscs: fc.array(fc.record({
            mode: fc.constantFrom("Enforce" as const, "Enforce" as const, "Warn" as const, "none" as const),
            publishers: fc.array(fc.nat(profiles - 1), { maxLength: 3 }),
            literal: fc.boolean(),
        }), { minLength: 1, maxLength: 3 }),
    }).chain(base =>
        fc.record({
            profiles: fc.constant(base.profiles),
            jobs: fc.constant(base.jobs),
            cscs: fc.constant(base.cscs),
            layers: fc.array(fc.record({
                source: fc.oneof(fc.nat(base.jobs.length - 1).map(job => ({ job })), fc.constantFrom("inline" as const, "literal" as const)),
            }), { maxLength: 3 }),
        }).chain(withLayers =>
            fc.record({
                profiles: fc.constant(withLayers.profiles),
                jobs: fc.constant(withLayers.jobs),
                cscs: fc.constant(withLayers.cscs),
                layers: fc.constant(withLayers.layers),
                functions: fc.array(fc.record({
                    csc: fc.oneof(
                        fc.nat(base.cscs.length - 1).map(i => ({ in: i })),
                        fc.constantFrom("external-trusted" as const, "external" as const, "none" as const),
                    ),
                    code: fc.oneof(fc.nat(base.jobs.length - 1).map(job => ({ job })), fc.constantFrom("inline" as const, "literal" as const, "callback" as const)),
                    layers: withLayers.layers.length > 0
                        ? fc.array(fc.oneof(fc.nat(withLayers.layers.length - 1).map(i => ({ in: i })), fc.constantFrom("vendor" as const, "other" as const)), { maxLength: 3 })
                        : fc.array(fc.constantFrom("vendor" as const, "other" as const), { maxLength: 2 }),
                    image: fc.boolean(),
                }), { minLength: 1, maxLength: 4 }),
            }),
        ),
    ),
);

/** Materialises the model as AnalyzeStack resources; `preview` makes every in-stack ARN / computed value unknown. */
function materialise(m: Model, preview: boolean): TestResource[] {
    const k = (v: string) => (preview ? UNKNOWN : v);
    const out: TestResource[] = [];
    const profiles = Array.from({ length: m.profiles }, (_, i) => {
        const arn = `arn:aws:signer:us-east-1:123456789012:/signing-profiles/profile_${i}`;
        const p: TestResource = { type: T.profile, name: `profile${i}`, props: { name: `profile_${i}`, platformId: "AWSLambda-SHA384-ECDSA", arn: k(arn), versionArn: k(`${arn}/v${i}`) } };
        return p;
    });
    const jobs = m.jobs.map((j, i): TestResource => ({
        type: T.job, name: `job${i}`,
        props: { profileName: `profile_${j.profile}`, ignoreSigningJobFailure: j.ignore, signedObjects: preview ? UNKNOWN : [{ s3s: [{ bucket: "b", key: `signed/${i}.zip` }] }] },
        deps: j.literalName ? {} : { profileName: [profiles[j.profile]] },
    }));
    const cscs = m.cscs.map((c, i): TestResource => ({
        type: T.csc, name: `csc${i}`,
        props: {
            allowedPublishers: {
                signingProfileVersionArns: c.publishers.map(p =>
                    c.literal ? `arn:aws:signer:us-east-1:123456789012:/signing-profiles/profile_${p}/v${p}` : k(`arn:aws:signer:us-east-1:123456789012:/signing-profiles/profile_${p}/v${p}`)),
            },
            ...(c.mode === "none" ? {} : { policies: { untrustedArtifactOnDeployment: c.mode } }),
            arn: k(`arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-${i}`),
        },
        deps: c.literal ? {} : { allowedPublishers: c.publishers.map(p => profiles[p]) },
    }));
    const layers = m.layers.map((l, i): TestResource => {
        const arn = k(`arn:aws:lambda:us-east-1:123456789012:layer:layer${i}:1`);
        if (l.source === "inline") {
            return { type: T.layer, name: `layer${i}`, props: { code: stringArchive({ "a.js": "1" }), arn } };
        }
        if (l.source === "literal") {
            return { type: T.layer, name: `layer${i}`, props: { s3Bucket: "b", s3Key: `plain/${i}.zip`, arn } };
        }
        return { type: T.layer, name: `layer${i}`, props: { s3Bucket: k("b"), s3Key: k(`signed/${l.source.job}.zip`), arn }, deps: { s3Key: [jobs[l.source.job]], s3Bucket: [jobs[l.source.job]] } };
    });
    const functions = m.functions.map((f, i): TestResource => {
        const props: Record<string, unknown> = { role: "arn:aws:iam::123456789012:role/r" };
        const deps: Record<string, TestResource[]> = {};
        if (f.image) {
            Object.assign(props, { packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1" });
        } else {
            props.packageType = "Zip";
            if (typeof f.code === "object") {
                Object.assign(props, { s3Bucket: k("b"), s3Key: k(`signed/${f.code.job}.zip`) });
                deps.s3Key = [jobs[f.code.job]];
                deps.s3Bucket = [jobs[f.code.job]];
            } else if (f.code === "literal") {
                Object.assign(props, { s3Bucket: "b", s3Key: "plain/app.zip" });
            } else {
                Object.assign(props, { code: stringArchive({ "index.js": "1" }), handler: f.code === "callback" ? "__index.handler" : "index.handler" });
            }
            const layerArns: string[] = [];
            const layerDeps: TestResource[] = [];
            for (const l of f.layers) {
                if (typeof l === "object") {
                    layerArns.push(k(`arn:aws:lambda:us-east-1:123456789012:layer:layer${l.in}:1`));
                    layerDeps.push(layers[l.in]);
                } else {
                    layerArns.push(l === "vendor" ? "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115" : "arn:aws:lambda:us-east-1:999999999999:layer:Other:1");
                }
            }
            if (layerArns.length > 0) {
                props.layers = layerArns;
            }
            if (layerDeps.length > 0) {
                deps.layers = layerDeps;
            }
        }
        if (typeof f.csc === "object") {
            props.codeSigningConfigArn = k(`arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-${f.csc.in}`);
            deps.codeSigningConfigArn = [cscs[f.csc.in]];
        } else if (f.csc !== "none") {
            props.codeSigningConfigArn = f.csc === "external-trusted"
                ? "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-ext"
                : "arn:aws:lambda:us-east-1:222233334444:code-signing-config:csc-other";
        }
        return { type: T.fn, name: `fn${i}`, props, deps };
    });
    out.push(...profiles, ...jobs, ...cscs, ...layers, ...functions);
    for (const res of out) {
        res.urn = urnOf(res.type, res.name);
    }
    return out;
}

describe("policies: property-based", function () {
    this.timeout(120000);

    it(`random malformed stacks: no rule throws, nothing is advisory or "can't run" (${RUNS} runs)`, async () => {
        await fc.assert(
            fc.asyncProperty(garbageStack, async resources => {
                assertSane(await analyzeStack(STACK_POLICIES, resources));
                for (const res of resources) {
                    assertSane(await analyzeResource(RESOURCE_POLICIES, res.type, res.name, res.props));
                    const rem = await remediateResource([{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" }], res.type, res.name, res.props);
                    for (const x of rem) {
                        assert.strictEqual(x.diagnostic, "", x.diagnostic);
                    }
                }
            }),
            { numRuns: RUNS },
        );
    });

    it(`well-formed programs: identical verdicts in preview (unknown ARNs) and update (known ARNs) (${RUNS} runs)`, async () => {
        let violations = 0;
        await fc.assert(
            fc.asyncProperty(model, async m => {
                const update = await analyzeStack(STACK_POLICIES, materialise(m, false));
                const preview = await analyzeStack(STACK_POLICIES, materialise(m, true));
                assertSane(update);
                assertSane(preview);
                assert.deepStrictEqual(verdicts(preview), verdicts(update));
                violations += update.length;
            }),
            { numRuns: RUNS },
        );
        assert.ok(violations > 0, "the generator produced no violations at all");
    });
});
