import * as assert from "assert";
import { copySpec, cscSpec, functionSpec, jobSpec, layerSpec, profileSpec } from "../../../../policies/lib/graph/pulumiAdapters";
import { GraphResource, StackIndex } from "../../../../policies/lib/graph/stackIndex";
import { T, UNKNOWN } from "../../helpers";
import { ACCOUNT, PROVIDER_URN, profileArn, provider, res } from "./fixtures";

const j = res(T.job, "j", {});
const src = { urn: j.urn, type: T.job, name: "j" };

/** The adapter's input for one resource, indexed with a provider and the signing job `j` (a dependency target). */
function entryOf(r: GraphResource, kind: keyof StackIndex["entries"]) {
    const index = new StackIndex([provider("eu-west-1"), j, r]);
    const e = index.entries[kind].find(x => x.id === r.urn);
    assert.ok(e, `${r.name} is indexed as a ${kind}`);
    return { index, e };
}
const fnSpec = (r: GraphResource) => { const { index, e } = entryOf(r, "function"); return functionSpec(index, e); };
const layer = (r: GraphResource) => { const { index, e } = entryOf(r, "layer"); return layerSpec(index, e); };

describe("policies/lib/graph/pulumiAdapters", () => {
    describe("aws-native code (`code` / `content`): one object whose fields share its dependencies", () => {
        const s3 = (bucket: unknown, key: unknown, version: unknown, sources: unknown[] = []) => ({
            bucket: { value: bucket, sources, path: "code.s3Bucket", shared: true },
            key: { value: key, sources, path: "code.s3Key", shared: true },
            version: { value: version, sources, path: "code.s3ObjectVersion", shared: true },
        });
        const code = (props: Record<string, unknown>, deps: Record<string, string[]> = {}) => fnSpec(res(T.nativeFn, "f", props, deps)).code;

        it("reads s3Bucket, s3Key and s3ObjectVersion of an object, each with the dependencies of the whole `code`", () => {
            assert.deepStrictEqual(code({ code: { s3Bucket: "b", s3Key: "k.zip", s3ObjectVersion: "3" } }, { code: [j.urn] }), {
                what: "the function",
                packageType: "Zip",
                inline: undefined,
                image: false,
                s3: s3("b", "k.zip", "3", [src]),
                noSource: "the function has no code source (code.s3Key is not set)",
            });
        });

        it("an imageUri inside `code` is an image; a `code` object without one is not", () => {
            assert.strictEqual(code({ packageType: "Image", code: { imageUri: "repo/img:1" } }).image, true);
            assert.strictEqual(code({ code: { s3Key: "k.zip" } }).image, false);
            assert.strictEqual(code({ code: "repo/img:1" }).image, false, "a string is no object with an imageUri");
        });

        it("an unknown `code` is an unknown s3Key (nothing else), and never unverifiable by itself", () => {
            const c = code({ code: UNKNOWN });
            assert.deepStrictEqual(c.s3, s3(undefined, UNKNOWN, undefined));
            assert.strictEqual(c.unverifiable, undefined);
            assert.strictEqual(c.noSource, "the function has no code source (code.s3Key is not set)");
        });

        it("a `code` that is neither an object nor unknown is unverifiable unless it traces to the stack", () => {
            const wrong = code({ code: "s3://b/k.zip" });
            assert.deepStrictEqual(wrong.s3, s3(undefined, undefined, undefined), "no field of a string is read, s3Key included");
            assert.strictEqual(wrong.unverifiable, "its `code` is not an object and does not trace to a SigningJob in this stack");
            assert.strictEqual(code({ code: "s3://b/k.zip" }, { code: [j.urn] }).unverifiable, undefined);
            assert.strictEqual(code({}).unverifiable, undefined);
            assert.strictEqual(code({}).noSource, "the function has no `code`");
        });

        it("a native layer's code is its `content`, described as the layer's", () => {
            const l = layer(res(T.nativeLayer, "l", {}));
            assert.deepStrictEqual(l.code, {
                what: "the layer",
                packageType: undefined,
                inline: undefined,
                image: false,
                s3: {
                    bucket: { value: undefined, sources: [], path: "content.s3Bucket", shared: true },
                    key: { value: undefined, sources: [], path: "content.s3Key", shared: true },
                    version: { value: undefined, sources: [], path: "content.s3ObjectVersion", shared: true },
                },
                noSource: "the layer has no `content`",
            });
        });
    });

    it("a function's parent: a URN, or the string URN of a parent object; anything else is no parent", () => {
        const parentOf = (parent: unknown) => fnSpec(res(T.fn, "f", {}, {}, { parent: parent as GraphResource["parent"] })).parentUrn;
        assert.strictEqual(parentOf("urn:pulumi:dev::proj::acme:index:C::c"), "urn:pulumi:dev::proj::acme:index:C::c");
        assert.strictEqual(parentOf({ urn: "urn:pulumi:dev::proj::acme:index:C::c" }), "urn:pulumi:dev::proj::acme:index:C::c");
        assert.strictEqual(parentOf({ urn: 5 }), undefined);
        assert.strictEqual(parentOf(undefined), undefined);
        assert.ok(!("parentUrn" in fnSpec(res(T.fn, "f", {}, {}, { parent: { urn: 5 } as never }))));
    });

    it("layer ARNs: native layerVersionArn then arn, classic arn then layerArn, known strings only", () => {
        const lva = "arn:aws:lambda:us-east-1:123456789012:layer:l:3";
        const la = "arn:aws:lambda:us-east-1:123456789012:layer:l";
        assert.deepStrictEqual(layer(res(T.nativeLayer, "n", { layerVersionArn: lva, arn: la })).arns, [lva, la]);
        assert.deepStrictEqual(layer(res(T.layer, "c", { arn: lva, layerArn: la })).arns, [lva, la]);
        assert.deepStrictEqual(layer(res(T.layer, "u", { arn: UNKNOWN, layerArn: la })).arns, [la]);
    });

    it("CSC publishers: the signingProfileVersionArns of the object, the value itself when not an object, undefined when absent or null", () => {
        const publishers = (ap: unknown) => {
            const { index, e } = entryOf(res(T.csc, "c", ap === "absent" ? {} : { allowedPublishers: ap }), "csc");
            return cscSpec(index, e).publishers.value;
        };
        assert.deepStrictEqual(publishers({ signingProfileVersionArns: ["a"] }), ["a"]);
        assert.strictEqual(publishers(UNKNOWN), UNKNOWN);
        assert.strictEqual(publishers("absent"), undefined);
        assert.strictEqual(publishers(null), undefined);
    });

    it("profiles: classic name/arn/versionArn/version, native profileName/arn/profileVersionArn/profileVersion", () => {
        const spec = (r: GraphResource) => { const { index, e } = entryOf(r, "profile"); return profileSpec(index, e); };
        const arn = profileArn("p_n", "eu-west-1");
        const base = { region: "eu-west-1", providerUrn: PROVIDER_URN };
        const classic = res(T.profile, "c", { name: "p_n", arn, versionArn: `${arn}/V1`, version: "V1", profileName: "x", profileVersion: "x" });
        const native = res(T.nativeProfile, "n", { profileName: "p_n", arn, profileVersionArn: `${arn}/V1`, profileVersion: "V1", name: "x", versionArn: "x", version: "x" });
        const known = { name: "p_n", arn, versionArn: `${arn}/V1`, version: "V1" };
        assert.deepStrictEqual(spec(classic), { id: classic.urn, urn: classic.urn, name: "c", type: T.profile, flavor: "classic", ...base, known });
        assert.deepStrictEqual(spec(native), { id: native.urn, urn: native.urn, name: "n", type: T.nativeProfile, flavor: "native", ...base, known });
    });

    it("signing jobs: destination, the keys of known signed objects, the job owner and profile version", () => {
        const r = res(T.job, "sj", {
            profileName: "p_n",
            destination: { s3: { bucket: "artifacts", prefix: "signed/" } },
            signedObjects: [{ s3s: [{ bucket: "artifacts", key: "signed/a.zip" }, { key: UNKNOWN }, { key: 5 }] }, { s3s: UNKNOWN }, { s3s: [{ key: "signed/b.zip" }] }, 7],
            jobOwner: ACCOUNT,
            profileVersion: "V1",
        });
        const { index, e } = entryOf(r, "job");
        const { place, ...spec } = jobSpec(index, e);
        assert.deepStrictEqual(spec, {
            id: r.urn, urn: r.urn, name: "sj", type: T.job, flavor: "classic",
            profileName: { value: "p_n", sources: [], path: "profileName" },
            destination: { bucket: "artifacts", prefix: "signed/" },
            signedKeys: ["signed/a.zip", "signed/b.zip"],
            owner: ACCOUNT,
            profileVersion: "V1",
        });
        assert.deepStrictEqual(place(), { region: "eu-west-1", providerUrn: PROVIDER_URN });
        const preview = entryOf(res(T.job, "pv", { signedObjects: UNKNOWN, jobOwner: UNKNOWN, profileVersion: UNKNOWN }), "job");
        const unknownSpec = jobSpec(preview.index, preview.e);
        assert.deepStrictEqual([unknownSpec.signedKeys, unknownSpec.owner, unknownSpec.profileVersion], [[], undefined, undefined]);
    });

    it("object copies: the source with its dependencies, shared (a `bucket/key` string), and the known bucket and key", () => {
        const r = res(T.copy, "cp", { source: UNKNOWN, bucket: "deploy", key: "app.zip" }, { source: [j.urn] });
        const { index, e } = entryOf(r, "copy");
        assert.deepStrictEqual(copySpec(index, e), {
            id: r.urn, name: "cp", type: T.copy,
            source: { value: UNKNOWN, sources: [src], path: "source", shared: true },
            bucket: "deploy",
            key: "app.zip",
        });
    });
});
