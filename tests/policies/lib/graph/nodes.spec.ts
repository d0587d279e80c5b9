import * as assert from "assert";
import { CscRef, LayerRef, buildStackGraph } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN, UNKNOWN_ARRAY, secret, stringArchive } from "../../helpers";
import { csc, fn, job, profile, provider, res } from "./fixtures";

function showCsc(ref: CscRef): string[] {
    if (ref.kind === "missing") {
        return ["missing"];
    }
    return ref.candidates.map(c => (c.kind === "in-stack" ? `in-stack ${c.csc.name} ${c.csc.mode}` : c.kind === "external" ? `external ${c.arn}` : `unverifiable: ${c.reason}`));
}

function showLayers(refs: LayerRef[]): string[] {
    return refs.map(r => (r.kind === "in-stack" ? `in-stack ${r.layer.name}` : r.kind === "external" ? `external ${r.arn}` : `unverifiable: ${r.reason}`));
}

const p = profile("p");
const j = job("j", p);
const a = csc("a", [p]);
const b = csc("b", [p], { policies: { untrustedArtifactOnDeployment: "Warn" } });
const known = csc("known", [p], { arn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-known" });
const bucket = res(T.bucket, "bkt", {});
const l1 = res(T.layer, "l1", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, arn: UNKNOWN }, { s3Key: [j.urn] });
const l2 = res(T.layer, "l2", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, arn: "arn:aws:lambda:us-east-1:123456789012:layer:l2:1" }, { s3Key: [j.urn] });
const base = [provider(), p, j, a, b, known, bucket, l1, l2];

describe("policies/lib/graph/nodes", () => {
    it("a function's CSC reference: every candidate, from dependencies and from a known value", () => {
        const g = buildStackGraph([...base,
            fn("none", j, undefined),
            fn("empty", j, undefined, { codeSigningConfigArn: "" }),
            fn("one", j, a),
            fn("two", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [a.urn, b.urn] }),
            fn("with-bucket", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [a.urn, bucket.urn] }),
            fn("two-foreign", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [bucket.urn, j.urn] }),
            fn("known-arn", j, undefined, { codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-known" }),
            fn("known-and-dep", j, undefined, { codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-known" }, { codeSigningConfigArn: [known.urn] }),
            fn("external-and-dep", j, undefined, { codeSigningConfigArn: "arn:aws:lambda:us-east-1:999999999999:code-signing-config:csc-x" }, { codeSigningConfigArn: [a.urn] }),
            fn("lost", j, undefined, { codeSigningConfigArn: UNKNOWN }),
            fn("wrong", j, undefined, { codeSigningConfigArn: 7 }),
            fn("secret", j, undefined, { codeSigningConfigArn: secret(UNKNOWN) }, { codeSigningConfigArn: [a.urn] }),
            fn("dangling", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: ["urn:pulumi:dev::proj::aws:lambda/codeSigningConfig:CodeSigningConfig::gone"] }),
        ]);
        const c = Object.fromEntries(g.functions.map(f => [f.name, showCsc(f.csc)]));
        assert.deepStrictEqual(c, {
            none: ["missing"],
            empty: ["missing"],
            one: ["in-stack a Enforce"],
            two: ["in-stack a Enforce", "in-stack b Warn"],
            "with-bucket": ["in-stack a Enforce", `unverifiable: its codeSigningConfigArn derives from aws:s3/bucketV2:BucketV2 "bkt", which is not a CodeSigningConfig of this stack`],
            "two-foreign": [
                `unverifiable: its codeSigningConfigArn derives from aws:s3/bucketV2:BucketV2 "bkt", which is not a CodeSigningConfig of this stack`,
                `unverifiable: its codeSigningConfigArn derives from aws:signer/signingJob:SigningJob "j", which is not a CodeSigningConfig of this stack`,
            ],
            "known-arn": ["in-stack known Enforce"],
            "known-and-dep": ["in-stack known Enforce"],
            "external-and-dep": ["in-stack a Enforce", "external arn:aws:lambda:us-east-1:999999999999:code-signing-config:csc-x"],
            lost: ["unverifiable: its codeSigningConfigArn is unknown during preview and does not trace to a CodeSigningConfig in this stack"],
            wrong: ["unverifiable: its codeSigningConfigArn is 7, not an ARN"],
            secret: ["in-stack a Enforce"],
            dangling: ["unverifiable: its codeSigningConfigArn is unknown during preview and does not trace to a CodeSigningConfig in this stack"],
        });
    });

    it("an absent value is absent whatever it was computed from; a stack reference output is judged by its value", () => {
        const ref = res("pulumi:pulumi:StackReference", "guard", {});
        const g = buildStackGraph([...base, ref,
            fn("dropped", undefined, undefined, { s3Bucket: "b" }, { codeSigningConfigArn: [a.urn], s3Key: [j.urn], layers: [l1.urn] }),
            fn("from-ref", undefined, undefined, { codeSigningConfigArn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0", s3Key: "signed/x.zip", s3Bucket: "ci-bucket", layers: ["arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1"] },
                { codeSigningConfigArn: [ref.urn], s3Key: [ref.urn], s3Bucket: [ref.urn], layers: [ref.urn] }),
            fn("unknown-ref", undefined, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [ref.urn] }),
        ]);
        const f = Object.fromEntries(g.functions.map(x => [x.name, x]));
        assert.deepStrictEqual(showCsc(f.dropped.csc), ["missing"]);
        assert.deepStrictEqual(f.dropped.code, { kind: "unverifiable", reason: "the function has no code source (neither s3Bucket/s3Key nor code is set)" });
        assert.deepStrictEqual(f.dropped.layers, []);
        assert.deepStrictEqual(showCsc(f["from-ref"].csc), ["external arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0"]);
        assert.deepStrictEqual(f["from-ref"].code, { kind: "s3", origins: [{ kind: "location", bucket: "ci-bucket", key: "signed/x.zip", path: "s3Key", via: [] }] });
        assert.deepStrictEqual(showLayers(f["from-ref"].layers), ["external arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1"]);
        assert.deepStrictEqual(showCsc(f["unknown-ref"].csc), ["unverifiable: its codeSigningConfigArn is unknown during preview and does not trace to a CodeSigningConfig in this stack"]);
    });

    it("a dependency on a component (a remote component's output) stands for its members of the wanted kind", () => {
        const comp = res("acme:index:Guard", "guard", {});
        const inner = res(T.csc, "inner", { policies: { untrustedArtifactOnDeployment: "Enforce" }, allowedPublishers: { signingProfileVersionArns: [] } }, {}, { parent: comp.urn });
        const innerBucket = res(T.bucket, "inner-bkt", {}, {}, { parent: comp.urn });
        const empty = res("acme:index:Empty", "empty", {});
        const child = res(T.bucket, "child", {}, {}, { parent: empty.urn });
        const g = buildStackGraph([...base, comp, inner, innerBucket, empty, child,
            fn("via-comp", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [comp.urn] }),
            fn("via-empty", j, undefined, { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [empty.urn] }),
        ]);
        const c = Object.fromEntries(g.functions.map(f => [f.name, showCsc(f.csc)]));
        assert.deepStrictEqual(c, {
            "via-comp": ["in-stack inner Enforce"],
            "via-empty": [`unverifiable: its codeSigningConfigArn derives from acme:index:Empty "empty", which is not a CodeSigningConfig of this stack`],
        });
    });

    it("layers derived from a component are its LayerVersions; a component without one is unverifiable", () => {
        const comp = res("acme:index:Layers", "layers", {});
        const lv = res(T.layer, "lv", { arn: UNKNOWN }, {}, { parent: comp.urn });
        const empty = res("acme:index:Empty", "empty", {});
        const g = buildStackGraph([...base, comp, lv, empty,
            fn("via-comp", j, undefined, { layers: [UNKNOWN] }, { layers: [comp.urn] }),
            fn("via-empty", j, undefined, { layers: [UNKNOWN] }, { layers: [empty.urn] }),
        ]);
        assert.deepStrictEqual(Object.fromEntries(g.functions.map(f => [f.name, showLayers(f.layers)])), {
            "via-comp": ["in-stack lv"],
            "via-empty": [
                `unverifiable: its layers derive from acme:index:Empty "empty", which is not a LayerVersion of this stack`,
                "unverifiable: 1 of its layer ARNs is unknown during preview and traces to no LayerVersion in this stack",
            ],
        });
    });

    it("layers: list literals are accounted element by element; a list computed as a whole is not", () => {
        const vendor = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1";
        const ssm = res("aws:ssm/parameter:Parameter", "ssm", {});
        const g = buildStackGraph([...base, ssm,
            fn("literal", j, a, { layers: [UNKNOWN, vendor] }, { layers: [l1.urn] }),
            fn("known", j, a, { layers: ["arn:aws:lambda:us-east-1:123456789012:layer:l2:1", vendor] }, { layers: [l2.urn] }),
            fn("whole", j, a, { layers: UNKNOWN_ARRAY }, { layers: [l1.urn] }),
            fn("whole-nodeps", j, a, { layers: UNKNOWN }),
            fn("too-many", j, a, { layers: [UNKNOWN, UNKNOWN] }, { layers: [l1.urn] }),
            fn("none-traced", j, a, { layers: [UNKNOWN] }),
            fn("two-none-traced", j, a, { layers: [UNKNOWN, UNKNOWN] }),
            fn("three-of-two", j, a, { layers: [UNKNOWN, UNKNOWN, UNKNOWN] }, { layers: [l1.urn, l2.urn] }),
            fn("known-and-unknown", j, a, { layers: ["arn:aws:lambda:us-east-1:123456789012:layer:l2:1", UNKNOWN] }, { layers: [l2.urn] }),
            fn("non-layer-dep", j, a, { layers: [UNKNOWN] }, { layers: [ssm.urn, l1.urn] }),
            fn("garbage", j, a, { layers: [secret(UNKNOWN), null, 7] }, { layers: [l1.urn] }),
            fn("not-list", j, a, { layers: "x" }),
            fn("absent-with-deps", j, a, {}, { layers: [l1.urn] }),
            fn("null-with-deps", j, a, { layers: null }, { layers: [l1.urn] }),
            fn("image", j, a, { packageType: "Image", imageUri: "x", layers: [vendor] }),
        ]);
        const l = Object.fromEntries(g.functions.map(f => [f.name, showLayers(f.layers)]));
        assert.deepStrictEqual(l, {
            literal: [`external ${vendor}`, "in-stack l1"],
            known: ["in-stack l2", `external ${vendor}`],
            whole: ["in-stack l1", `unverifiable: its layers list is computed as a whole (unknown during preview), so its elements can't be accounted for (it derives from "l1", but may hold other layers); pass a list literal such as [layer.arn, "arn:aws:lambda:…:layer:…:1"] so that each element is visible`],
            "whole-nodeps": [`unverifiable: its layers list is computed as a whole (unknown during preview), so its elements can't be accounted for; pass a list literal such as [layer.arn, "arn:aws:lambda:…:layer:…:1"] so that each element is visible`],
            "too-many": ["in-stack l1", "unverifiable: 2 of its layer ARNs come from (or, unknown during preview, may come from) LayerVersions in this stack, but they trace to only 1 LayerVersion: list each layer once and pass LayerVersion arns directly"],
            "none-traced": ["unverifiable: 1 of its layer ARNs is unknown during preview and traces to no LayerVersion in this stack"],
            "two-none-traced": ["unverifiable: 2 of its layer ARNs are unknown during preview and trace to no LayerVersion in this stack"],
            "three-of-two": ["in-stack l1", "in-stack l2", "unverifiable: 3 of its layer ARNs come from (or, unknown during preview, may come from) LayerVersions in this stack, but they trace to only 2 LayerVersions: list each layer once and pass LayerVersion arns directly"],
            // l2's known ARN is one of the layers the list derives from: the unknown element can't also be l2
            "known-and-unknown": ["in-stack l2", "unverifiable: 2 of its layer ARNs come from (or, unknown during preview, may come from) LayerVersions in this stack, but they trace to only 1 LayerVersion: list each layer once and pass LayerVersion arns directly"],
            "non-layer-dep": [`unverifiable: its layers derive from aws:ssm/parameter:Parameter "ssm", which is not a LayerVersion of this stack`, "in-stack l1"],
            garbage: [
                "unverifiable: a layers element is null, not a layer ARN",
                "unverifiable: a layers element is 7, not a layer ARN",
                "in-stack l1", // a secret-wrapped unknown element is an unknown element: it traces to l1
            ],
            "not-list": [`unverifiable: its layers value is "x", not a list`],
            "absent-with-deps": [], // a transform may drop the value and leave its dependencies recorded
            "null-with-deps": [],
            image: [],
        });
    });

    it("code signing config mode and publisher count", () => {
        const g = buildStackGraph([
            res(T.csc, "no-policies", { allowedPublishers: { signingProfileVersionArns: ["x"] } }),
            res(T.csc, "no-field", { policies: {} }),
            res(T.csc, "null-policies", { policies: null, allowedPublishers: null }),
            res(T.csc, "null-mode", { policies: { untrustedArtifactOnDeployment: null }, allowedPublishers: { signingProfileVersionArns: null } }),
            res(T.csc, "number-mode", { policies: { untrustedArtifactOnDeployment: 1 } }),
            res(T.csc, "warn", { policies: { untrustedArtifactOnDeployment: "Warn" }, allowedPublishers: {} }),
            res(T.csc, "other-word", { policies: { untrustedArtifactOnDeployment: "enforce" } }),
            res(T.csc, "unknown", { policies: { untrustedArtifactOnDeployment: UNKNOWN }, allowedPublishers: UNKNOWN }),
            res(T.csc, "unknown-block", { policies: UNKNOWN, allowedPublishers: { signingProfileVersionArns: 5 } }),
            res(T.nativeCsc, "native", { codeSigningPolicies: { untrustedArtifactOnDeployment: secret("Enforce") }, codeSigningConfigArn: "arn:n", arn: "arn:m" }),
        ]);
        assert.deepStrictEqual(g.codeSigningConfigs.map(c => [c.name, c.mode, c.modeSource, c.publisherCount, c.policiesPath, c.arns]), [
            ["no-policies", "Warn", "default-no-policies", 1, "policies.untrustedArtifactOnDeployment", []],
            ["no-field", "Warn", "default-no-field", 0, "policies.untrustedArtifactOnDeployment", []],
            ["null-policies", "Warn", "default-no-policies", 0, "policies.untrustedArtifactOnDeployment", []],
            ["null-mode", "Warn", "default-no-field", 0, "policies.untrustedArtifactOnDeployment", []],
            ["number-mode", "unknown", "unknown", 0, "policies.untrustedArtifactOnDeployment", []],
            ["warn", "Warn", "explicit", 0, "policies.untrustedArtifactOnDeployment", []],
            ["other-word", "Warn", "explicit", 0, "policies.untrustedArtifactOnDeployment", []],
            ["unknown", "unknown", "unknown", "unknown", "policies.untrustedArtifactOnDeployment", []],
            ["unknown-block", "unknown", "unknown", "unknown", "policies.untrustedArtifactOnDeployment", []],
            ["native", "Enforce", "explicit", 0, "codeSigningPolicies.untrustedArtifactOnDeployment", ["arn:n", "arn:m"]],
        ]);
    });

    it("functions: package type, handler, parent; garbage never throws", () => {
        const g = buildStackGraph([
            res(T.fn, "zip", { packageType: "Zip", handler: "h", code: stringArchive({ a: "1" }) }, {}, { parent: "urn:pulumi:dev::proj::tests:index:Wrapper::w" }),
            res(T.fn, "default", { code: stringArchive({ a: "1" }) }, {}, { parent: { urn: "urn:p" } }),
            res(T.fn, "unknown-type", { packageType: UNKNOWN, handler: 5 }),
            res(T.fn, "wrong-type", { packageType: 3 }),
        ]);
        assert.deepStrictEqual(g.functions.map(f => [f.name, f.packageType, f.handler, f.parentUrn, f.flavor]), [
            ["zip", "Zip", "h", "urn:pulumi:dev::proj::tests:index:Wrapper::w", "classic"],
            ["default", "Zip", undefined, "urn:p", "classic"],
            ["unknown-type", "unknown", undefined, undefined, "classic"],
            ["wrong-type", "unknown", undefined, undefined, "classic"],
        ]);
        const zip = g.functions[0];
        const bare = g.functions[2];
        assert.deepStrictEqual(["handler", "parentUrn", "template"].map(k => [k in zip, k in bare]), [[true, false], [true, false], [false, false]],
            "optional fields are present only when set");
        assert.ok(!("template" in buildStackGraph([res(T.csc, "c", {})]).codeSigningConfigs[0]), "a stack CSC has no template origin");
        const garbage: any[] = [null, undefined, 1, "x", { type: T.fn }, { type: T.fn, urn: "u", name: 1, props: null, propertyDependencies: { layers: "x", codeSigningConfigArn: [null, 1, { urn: 2 }] } }];
        assert.doesNotThrow(() => buildStackGraph(garbage));
        assert.doesNotThrow(() => buildStackGraph(null as any));
        const exotic = { type: T.fn, urn: "urn:x", name: "exotic", props: { get codeSigningConfigArn() { throw new Error("no"); } } };
        const e = buildStackGraph([exotic as any]).functions[0];
        assert.deepStrictEqual(showCsc(e.csc), ["unverifiable: its codeSigningConfigArn is an unreadable value (its codeSigningConfigArn has an exotic getter), not an ARN"]);
    });
});
