import * as assert from "assert";
import { StackIndex } from "../../../../policies/lib/graph/stackIndex";
import { T, UNKNOWN, urnOf } from "../../helpers";
import { PROVIDER_URN, provider, res } from "./fixtures";

describe("policies/lib/graph/stackIndex", () => {
    const a = res(T.csc, "a", {});
    const b = res(T.bucket, "b", {});
    const comp = res("acme:index:C", "comp", {});
    const child = res(T.csc, "child", {}, {}, { parent: comp.urn });
    const grandchild = res(T.layer, "gc", {}, {}, { parent: { urn: child.urn } });
    const index = new StackIndex([provider("eu-west-3"), a, b, comp, child, grandchild, null as any, { type: 5, urn: "u" } as any]);

    it("indexes the graph's kinds only", () => {
        assert.deepStrictEqual(Object.fromEntries(Object.entries(index.entries).map(([k, v]) => [k, v.map(e => e.name)])), {
            function: [], csc: ["a", "child"], layer: ["gc"], profile: [], job: [], copy: [], stack: [],
        });
    });

    it("dependencies: URN strings are checked against the stack, objects are trusted, duplicates dropped", () => {
        const r = res(T.fn, "f", {}, {}, {
            propertyDependencies: {
                x: [a.urn, a.urn, "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::gone", { urn: b.urn }, { urn: "urn:obj", type: "t", name: "n" }, { urn: 5 } as any, null as any],
                empty: [],
                notList: "x" as any,
            },
        });
        assert.deepStrictEqual(index.deps(r, "x"), [
            { urn: a.urn, type: T.csc, name: "a" },
            { urn: b.urn, type: T.bucket, name: "b" },
            { urn: "urn:obj", type: "t", name: "n" },
        ]);
        assert.deepStrictEqual(index.deps(r, "empty"), []);
        assert.deepStrictEqual(index.deps(r, "notList"), []);
        assert.deepStrictEqual(index.deps(r, "absent"), []);
        assert.deepStrictEqual(index.deps({ ...r, propertyDependencies: undefined }, "x"), []);
    });

    it("component members: every descendant, breadth first; undefined for a resource without children", () => {
        assert.deepStrictEqual(index.componentMembers({ urn: comp.urn, type: "acme:index:C", name: "comp" })!.map(s => s.name), ["child", "gc"]);
        assert.strictEqual(index.componentMembers({ urn: a.urn, type: T.csc, name: "a" }), undefined);
    });

    it("providers and Regions: reference or object, the resource's own region, unknown with or without dependencies", () => {
        assert.strictEqual(index.providerUrn(a), PROVIDER_URN);
        assert.strictEqual(index.providerUrn({ ...a, provider: PROVIDER_URN }), PROVIDER_URN, "a bare URN is kept");
        assert.strictEqual(index.providerUrn({ ...a, provider: { urn: "urn:p", props: { region: "x" } } }), "urn:p");
        assert.strictEqual(index.providerUrn({ ...a, provider: undefined }), undefined);
        assert.strictEqual(index.providerRegion(a), "eu-west-3");
        assert.strictEqual(index.providerRegion({ ...a, provider: { urn: "urn:p2", props: { region: "ap-south-1" } } }), "ap-south-1");
        assert.strictEqual(index.providerRegion({ ...a, provider: `${urnOf("pulumi:providers:aws", "missing")}::1` }), undefined);
        const entry = (props: Record<string, unknown>, deps: Record<string, string[]> = {}) => ({ res: { ...a, propertyDependencies: deps }, props, id: a.urn, name: "a", type: T.csc });
        assert.strictEqual(index.regionOf(entry({ region: "us-west-1" })), "us-west-1");
        assert.strictEqual(index.regionOf(entry({})), "eu-west-3");
        assert.strictEqual(index.regionOf(entry({ region: UNKNOWN })), "eu-west-3");
        assert.strictEqual(index.regionOf(entry({ region: UNKNOWN }, { region: [b.urn] })), undefined);
        assert.strictEqual(index.regionOf(entry({ region: 5 })), undefined);
    });
});
