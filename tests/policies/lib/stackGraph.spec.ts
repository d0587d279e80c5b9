import * as assert from "assert";
import {
    GraphResource,
    buildStackGraph,
    jobsNotAllowed,
    profileAllowed,
    profileNameFromArn,
    stackGraphFor,
} from "../../../policies/lib/stackGraph";
import { T, UNKNOWN, UNKNOWN_ARRAY, secret, stringArchive, urnOf } from "../helpers";

// CLI-style input: wire-format outputs, dependencies as URN strings, parent as a URN.
function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}, parent?: string): GraphResource {
    return { type, name, urn: urnOf(type, name), props, propertyDependencies: deps, parent };
}

const profile = res(T.profile, "profile", { name: "app_profile", versionArn: UNKNOWN });
const job = res(T.job, "job", { profileName: "app_profile", signedObjects: UNKNOWN }, { profileName: [profile.urn] });
const csc = res(T.csc, "csc", {
    allowedPublishers: { signingProfileVersionArns: [UNKNOWN] },
    policies: { untrustedArtifactOnDeployment: "Enforce" },
    arn: UNKNOWN,
}, { allowedPublishers: [profile.urn] });
const layer = res(T.layer, "layer", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, arn: UNKNOWN }, { s3Key: [job.urn], s3Bucket: [job.urn] });
const fn = res(T.fn, "fn", {
    packageType: "Zip",
    handler: "index.handler",
    s3Bucket: UNKNOWN,
    s3Key: UNKNOWN,
    codeSigningConfigArn: UNKNOWN,
    layers: [UNKNOWN, "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115"],
}, { s3Key: [job.urn], codeSigningConfigArn: [csc.urn], layers: [layer.urn] }, "urn:pulumi:dev::proj::tests:index:Wrapper::w");

describe("policies/lib/stackGraph", () => {
    it("models a preview stack: CSC, code and layers through propertyDependencies", () => {
        const g = buildStackGraph([profile, job, csc, layer, fn]);
        assert.strictEqual(g.functions.length, 1);
        const f = g.functions[0];
        assert.strictEqual(f.urn, fn.urn);
        assert.strictEqual(f.name, "fn");
        assert.strictEqual(f.flavor, "classic");
        assert.strictEqual(f.packageType, "Zip");
        assert.strictEqual(f.parentUrn, "urn:pulumi:dev::proj::tests:index:Wrapper::w");
        assert.strictEqual(f.csc.kind, "in-stack");
        if (f.csc.kind === "in-stack") {
            assert.strictEqual(f.csc.mode, "Enforce");
            assert.strictEqual(f.csc.publisherCount, 1);
            assert.deepStrictEqual(f.csc.allowedProfiles, { urns: [profile.urn], names: ["app_profile"] });
            assert.strictEqual(f.csc.resource.urn, csc.urn);
        }
        assert.strictEqual(f.code.kind, "signed");
        if (f.code.kind === "signed") {
            assert.strictEqual(f.code.job.urn, job.urn);
            assert.deepStrictEqual(f.code.profile, { urn: profile.urn, name: "app_profile" });
        }
        assert.deepStrictEqual(f.layers.map(l => l.kind), ["external", "in-stack"]);
        assert.deepStrictEqual(g.signingJobs[0].profile, { urns: [profile.urn], names: ["app_profile"] });
    });

    it("models the same program in update mode (known ARNs) identically", () => {
        const pArn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/app_profile";
        const lArn = "arn:aws:lambda:us-east-1:123456789012:layer:layer:1";
        const cArn = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1";
        const g = buildStackGraph([
            { ...profile, props: { name: "app_profile", arn: pArn, versionArn: `${pArn}/abc` } },
            job,
            { ...csc, props: { ...(csc.props as object), arn: cArn, allowedPublishers: { signingProfileVersionArns: [`${pArn}/abc`] } } },
            { ...layer, props: { s3Bucket: "b", s3Key: "signed/x.zip", arn: lArn } },
            { ...fn, props: { ...(fn.props as object), s3Key: "signed/y.zip", codeSigningConfigArn: cArn, layers: [lArn, "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115"] } },
        ]);
        const f = g.functions[0];
        assert.strictEqual(f.csc.kind, "in-stack");
        assert.strictEqual(f.code.kind, "signed");
        assert.deepStrictEqual(f.layers.map(l => l.kind).sort(), ["external", "in-stack"]);
    });

    it("parses signer ARNs and matches publishers by resource identity or name", () => {
        assert.strictEqual(profileNameFromArn("arn:aws:signer:us-east-1:123456789012:/signing-profiles/app_profile/AbCdEf1234"), "app_profile");
        assert.strictEqual(profileNameFromArn("arn:aws-us-gov:signer:us-gov-west-1:123456789012:/signing-profiles/x"), "x");
        assert.strictEqual(profileNameFromArn("arn:aws:lambda:us-east-1:1:function:x"), undefined);
        assert.ok(profileAllowed({ urns: ["u1"], names: [] }, { urns: ["u1"], names: [] }));
        assert.ok(profileAllowed({ urns: [], names: ["n"] }, { urns: ["u2"], names: ["n"] }));
        assert.ok(!profileAllowed({ urns: ["u1"], names: ["n"] }, { urns: [], names: [] }));
        const g = buildStackGraph([profile, job, csc, fn]);
        const f = g.functions[0];
        assert.deepStrictEqual(f.csc.kind === "in-stack" ? jobsNotAllowed(f.csc.resource, f.code) : null, []);
    });

    it("classifies every code source", () => {
        const obj = res(T.object, "obj", { key: "k" });
        const g = buildStackGraph([
            obj,
            job,
            res(T.fn, "inline", { code: stringArchive({ "a.js": "1" }) }),
            res(T.fn, "callback", { code: stringArchive({ "__index.js": "1" }), handler: "__index.handler" }),
            res(T.fn, "literal", { s3Bucket: "b", s3Key: "k.zip" }),
            res(T.fn, "object", { s3Bucket: "b", s3Key: UNKNOWN }, { s3Key: [obj.urn] }),
            res(T.fn, "unknown", { s3Key: UNKNOWN }),
            res(T.fn, "image", { packageType: "Image", imageUri: "x" }),
            res(T.fn, "bucketjob", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Bucket: [job.urn] }),
            res(T.nativeFn, "nzip", { code: { zipFile: "x" } }),
            res(T.nativeFn, "njob", { code: UNKNOWN }, { code: [job.urn] }),
        ]);
        const kinds = Object.fromEntries(g.functions.map(f => [f.name, f.code.kind]));
        assert.deepStrictEqual(kinds, {
            inline: "inline", callback: "inline", literal: "plain-s3", object: "plain-s3", unknown: "unverifiable",
            image: "image", bucketjob: "signed", nzip: "inline", njob: "signed",
        });
        const cb = g.functions.find(f => f.name === "callback")!;
        assert.ok(cb.code.kind === "inline" && cb.code.callbackFunction);
    });

    it("resolves CSC references: missing, external, unverifiable, secret-wrapped", () => {
        const g = buildStackGraph([
            csc,
            res(T.fn, "none", { codeSigningConfigArn: "" }),
            res(T.fn, "external", { codeSigningConfigArn: "arn:aws:lambda:us-east-1:1:code-signing-config:csc-x" }),
            res(T.fn, "lost", { codeSigningConfigArn: UNKNOWN }),
            res(T.fn, "secret", { codeSigningConfigArn: secret(UNKNOWN) }, { codeSigningConfigArn: [csc.urn] }),
            res(T.fn, "dangling", { codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: ["urn:pulumi:dev::proj::aws:lambda/codeSigningConfig:CodeSigningConfig::gone"] }),
        ]);
        const kinds = Object.fromEntries(g.functions.map(f => [f.name, f.csc.kind]));
        assert.deepStrictEqual(kinds, { none: "missing", external: "external", lost: "unverifiable", secret: "in-stack", dangling: "unverifiable" });
    });

    it("layers: unknown list with and without LayerVersion dependencies", () => {
        const g = buildStackGraph([
            job, layer,
            res(T.fn, "a", { layers: UNKNOWN_ARRAY }, { layers: [layer.urn] }),
            res(T.fn, "b", { layers: UNKNOWN }),
            res(T.fn, "c", { layers: [UNKNOWN, UNKNOWN] }, { layers: [layer.urn] }),
        ]);
        const by = Object.fromEntries(g.functions.map(f => [f.name, f.layers.map(l => l.kind)]));
        assert.deepStrictEqual(by, { a: ["in-stack"], b: ["unverifiable"], c: ["in-stack", "unverifiable"] });
    });

    it("accepts PolicyResource-shaped input (dependency objects, proxied props) and never throws on garbage", () => {
        const csc2 = { type: T.csc, urn: csc.urn, name: "csc", props: new Proxy({ ...(csc.props as object) }, {}) };
        const f2 = { type: T.fn, urn: fn.urn, name: "fn", props: fn.props, propertyDependencies: { codeSigningConfigArn: [csc2] } };
        assert.strictEqual(buildStackGraph([csc2, f2]).functions[0].csc.kind, "in-stack");
        const garbage: any[] = [null, undefined, 1, "x", { type: T.fn }, { type: T.fn, urn: "u", name: 1, props: null, propertyDependencies: { layers: "x", codeSigningConfigArn: [null, 1, { urn: 2 }] } }];
        assert.doesNotThrow(() => buildStackGraph(garbage));
        assert.doesNotThrow(() => buildStackGraph(null as any));
    });

    it("caches per request: same raw props objects hit, different ones miss", () => {
        const resources = [profile, job, csc, layer, fn];
        const g1 = stackGraphFor(resources);
        assert.strictEqual(stackGraphFor([...resources]), g1);
        assert.notStrictEqual(stackGraphFor(resources.map(x => ({ ...x, props: { ...(x.props as object) } }))), g1);
        assert.notStrictEqual(stackGraphFor(resources.slice(0, 4)), g1);
        assert.deepStrictEqual(stackGraphFor([]).functions, []);
    });

    it("is linear: 20,000 functions build in well under a second", () => {
        const many: GraphResource[] = [profile, job, csc, layer];
        for (let i = 0; i < 20000; i++) {
            many.push({ ...fn, name: `fn${i}`, urn: urnOf(T.fn, `fn${i}`) });
        }
        const start = process.hrtime.bigint();
        const g = buildStackGraph(many);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        assert.strictEqual(g.functions.length, 20000);
        assert.ok(ms < 1000, `took ${ms} ms`);
    });
});
