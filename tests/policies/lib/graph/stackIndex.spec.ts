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
    // A new index per test: its memos would otherwise keep answers from an earlier test (or from Stryker's first run).
    let index: StackIndex;
    beforeEach(() => {
        index = new StackIndex([provider("eu-west-3"), a, b, comp, child, grandchild, null as any, { type: 5, urn: "u" } as any]);
    });

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

    it("dependencies: a resource object with a string type and name is the SourceRef itself; a missing type or name comes from the URN", () => {
        const full = { urn: urnOf("acme:index:Thing", "t"), type: "acme:index:Thing", name: "t", props: { x: 1 } };
        const r = res(T.fn, "f", {}, {}, {
            propertyDependencies: {
                x: [full, { urn: urnOf(T.bucket, "typed"), type: "t" }, { urn: urnOf(T.bucket, "named"), name: "n" }, { urn: a.urn, type: 5, name: 6 }] as any,
            },
        });
        const deps = index.deps(r, "x");
        assert.strictEqual(deps[0], full, "no copy");
        assert.deepStrictEqual(deps, [
            full,
            { urn: urnOf(T.bucket, "typed"), type: "t", name: "typed" },
            { urn: urnOf(T.bucket, "named"), type: T.bucket, name: "n" },
            { urn: a.urn, type: T.csc, name: "a" },
        ]);
    });

    it("dependencies: a URN repeated anywhere in the list is kept once, at its first place", () => {
        const r = res(T.fn, "f", {}, { x: [a.urn, b.urn, a.urn, b.urn, comp.urn, a.urn] });
        assert.deepStrictEqual(index.deps(r, "x").map(s => s.name), ["a", "b", "comp"]);
    });

    it("only objects are resources: a null, a number or a function carrying a urn is no parent, dependency or provider", () => {
        /** A function with a resource's fields (`name` of a function is read-only: defined, not assigned). */
        const asFunction = (fields: Record<string, unknown>) =>
            Object.defineProperties(() => 0, Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value, enumerable: true }])));
        const fnLike = asFunction({ urn: comp.urn, type: "acme:index:C", name: "comp" });
        const idx = new StackIndex([
            comp,
            res(T.csc, "m", {}, {}, { parent: comp.urn }),
            res(T.csc, "nullParent", {}, {}, { parent: null as any }),
            res(T.csc, "numberParent", {}, {}, { parent: 5 as any }),
            res(T.csc, "fnParent", {}, {}, { parent: fnLike as any }),
            res(T.csc, "badUrnParent", {}, {}, { parent: { urn: 5 } as any }),
            asFunction({ type: T.csc, name: "fnRes", urn: urnOf(T.csc, "fnRes"), parent: comp.urn }) as any,
        ]);
        assert.deepStrictEqual(idx.componentMembers({ urn: comp.urn, type: "acme:index:C", name: "comp" }), [{ urn: urnOf(T.csc, "m"), type: T.csc, name: "m" }]);
        const lone = res("acme:index:C", "lone", {});
        const onlyFunctionChild = new StackIndex([lone, asFunction({ type: T.csc, name: "fnRes", urn: urnOf(T.csc, "fnRes"), parent: lone.urn }) as any]);
        assert.strictEqual(onlyFunctionChild.componentMembers({ urn: lone.urn, type: "acme:index:C", name: "lone" }), undefined);
        assert.deepStrictEqual(idx.deps(res(T.fn, "f", {}, {}, { propertyDependencies: { x: [fnLike, 5, null] as any } }), "x"), []);
        assert.strictEqual(idx.providerUrn({ ...a, provider: fnLike as any }), undefined);
        assert.strictEqual(idx.providerUrn({ ...a, provider: { urn: 5 } as any }), undefined);
        assert.strictEqual(idx.providerUrn({ ...a, provider: 5 as any }), undefined);
    });

    it("a stack resource's own string type and name win over its URN's; missing ones come from the URN, for the index and for URN dependencies", () => {
        const odd = { urn: urnOf(T.bucket, "odd"), type: "acme:index:Odd", name: "oddName" };
        const bare = { urn: urnOf(T.bucket, "bare") };
        const unnamedCsc = { urn: urnOf(T.csc, "fromUrn"), type: T.csc, name: 7 };
        const idx = new StackIndex([odd, bare, unnamedCsc] as any);
        assert.deepStrictEqual(idx.entries.csc.map(e => e.name), ["fromUrn"]);
        assert.deepStrictEqual(idx.deps(res(T.fn, "f", {}, { x: [odd.urn, bare.urn] }), "x"), [
            { urn: odd.urn, type: "acme:index:Odd", name: "oddName" },
            { urn: bare.urn, type: T.bucket, name: "bare" },
        ]);
    });

    it("only objects are resources: a function with a resource's fields is neither indexed nor found by its URN", () => {
        const fnCsc = Object.defineProperties(() => 0, {
            urn: { value: urnOf(T.csc, "fnCsc"), enumerable: true },
            type: { value: T.csc, enumerable: true },
            name: { value: "fnCsc", enumerable: true },
        });
        const idx = new StackIndex([fnCsc as any, a]);
        assert.deepStrictEqual(idx.entries.csc.map(e => e.name), ["a"]);
        assert.deepStrictEqual(idx.deps(res(T.fn, "f", {}, { x: [urnOf(T.csc, "fnCsc"), a.urn] }), "x").map(s => s.name), ["a"]);
    });

    it("dependencies: propertyDependencies that is null or no object (a function carrying the key) has none", () => {
        assert.deepStrictEqual(index.deps({ ...a, propertyDependencies: null as any }, "x"), []);
        assert.deepStrictEqual(index.deps({ ...a, propertyDependencies: Object.assign(() => 0, { x: [b.urn] }) as any }, "x"), []);
        assert.deepStrictEqual(index.deps({ ...a, propertyDependencies: { x: [b.urn] } }, "x").map(s => s.name), ["b"], "the same key in an object");
    });

    it("component members: a resource whose URN is no string is nobody's member; a component with only such children has none", () => {
        const idx = new StackIndex([comp, { ...res(T.csc, "x", {}), urn: 5, parent: comp.urn } as any, { ...res(T.csc, "y", {}), urn: undefined, parent: comp.urn } as any]);
        assert.strictEqual(idx.componentMembers({ urn: comp.urn, type: "acme:index:C", name: "comp" }), undefined);
    });

    it("component members: a parent cycle ends at the component itself; a URN listed twice is one member", () => {
        const x = res("acme:index:X", "x", {}, {}, { parent: comp.urn });
        const cyclicComp = { ...comp, parent: x.urn };
        const dup = res(T.csc, "dup", {}, {}, { parent: x.urn });
        const idx = new StackIndex([cyclicComp, x, dup, { ...dup }]);
        assert.deepStrictEqual(idx.componentMembers({ urn: comp.urn, type: "acme:index:C", name: "comp" })!.map(s => s.name), ["x", "dup"]);
        assert.deepStrictEqual(idx.componentMembers({ urn: x.urn, type: "acme:index:X", name: "x" })!.map(s => s.name), ["comp", "dup"]);
    });

    it("Regions: a resource without a provider gets no Region, whatever Region a provider with an empty URN has", () => {
        const odd = { type: "pulumi:providers:aws", name: "", urn: "", props: { region: "eu-north-1" } };
        const idx = new StackIndex([odd, a]);
        assert.strictEqual(idx.providerRegion({ ...a, provider: "" }), "eu-north-1");
        assert.strictEqual(idx.providerRegion({ ...a, provider: undefined }), undefined);
        assert.strictEqual(idx.providerRegion({ ...a, provider: { props: { region: "sa-east-1" } } as any }), "sa-east-1", "no URN: read every time");
        assert.strictEqual(idx.providerRegion({ ...a, provider: { props: { region: "me-south-1" } } as any }), "me-south-1");
    });

    it("Regions: dependencies of a region that is not unknown (absent) don't hide the provider's Region", () => {
        const entry = { res: { ...a, propertyDependencies: { region: [b.urn] } }, props: {}, id: a.urn, name: "a", type: T.csc };
        assert.strictEqual(index.regionOf(entry), "eu-west-3");
    });
});
