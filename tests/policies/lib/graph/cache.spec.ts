import * as assert from "assert";
import * as fc from "fast-check";
import { GraphResource, buildStackGraph, stackGraphFor } from "../../../../policies/lib/stackGraph";
import { T, urnOf } from "../../helpers";
import { csc, fn, job, profile, provider } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");

const p = profile("p");
const j = job("j", p);
const c = csc("c", [p]);
const f = fn("f", j, c);
const resources = [provider(), p, j, c, f];

/** What each policy of one request gets: new resource objects whose props proxies wrap the same raw props. */
const asPolicySees = (list: GraphResource[]): GraphResource[] => list.map(x => ({ ...x, props: unknownCheckingProxy(x.props) }));

const names = (list: GraphResource[]) => stackGraphFor(list).functions.map(x => x.name);

describe("policies/lib/graph/cache", () => {
    it("caches per request: the same raw props objects hit; other objects, lengths or URNs miss", () => {
        const g1 = stackGraphFor(resources);
        assert.strictEqual(stackGraphFor([...resources]), g1);
        assert.notStrictEqual(stackGraphFor(resources.map(x => ({ ...x, props: { ...(x.props as object) } }))), g1);
        assert.notStrictEqual(stackGraphFor(resources.slice(0, 4)), g1);
        const renamed = resources.map((x, i) => (i === 2 ? { ...x, urn: `${x.urn}-2` } : x));
        assert.notStrictEqual(stackGraphFor(renamed), stackGraphFor(resources));
        assert.deepStrictEqual(stackGraphFor([]).functions, []);
        assert.deepStrictEqual(stackGraphFor(null as any).functions, []);
    });

    it("every policy of one request gets the same graph: props behind @pulumi/policy's proxies are compared raw", () => {
        const list = [...resources, ...Array.from({ length: 10 }, (_, i) => fn(`m${i}`, j, c))];
        const g = stackGraphFor(asPolicySees(list));
        assert.strictEqual(stackGraphFor(asPolicySees(list)), g);
        assert.strictEqual(stackGraphFor(list), g);
    });

    it("a longer list that shares its first resources is a different request: it sees the added function", () => {
        const first = stackGraphFor(resources);
        const longer = [...resources, fn("added", j, undefined)];
        const g = stackGraphFor(longer);
        assert.notStrictEqual(g, first);
        assert.deepStrictEqual(g.functions.map(x => x.name), ["f", "added"]);
        const many: GraphResource[] = [...resources];
        for (let i = 0; i < 20; i++) {
            many.push(fn(`m${i}`, j, c));
        }
        const big = stackGraphFor(many);
        const bigger = stackGraphFor([...many, fn("tail", j, undefined)]);
        assert.deepStrictEqual(bigger.functions.length, big.functions.length + 1);
    });

    it("a list of the same length that differs at any one position is rebuilt, never answered from the cache", () => {
        // Lists share every other resource object with the cached one: only a check of every position tells them apart.
        const list = [provider(), p, j, c, ...Array.from({ length: 12 }, (_, i) => fn(`f${i}`, j, c))];
        fc.assert(fc.property(fc.integer({ min: 1, max: list.length - 1 }), fc.boolean(), (at, keepUrn) => {
            assert.deepStrictEqual(names(list), list.slice(4).map(x => x.name));
            const other = fn("other", j, undefined);
            const changed = list.map((x, i) => (i === at ? (keepUrn ? { ...other, urn: x.urn } : other) : x));
            assert.deepStrictEqual(stackGraphFor(changed), buildStackGraph(changed));
        }), { numRuns: 40 });
    });

    it("the same raw props with another URN at a later position is another request", () => {
        const list = [provider(), p, j, c, fn("a", j, c), fn("b", j, undefined)];
        assert.deepStrictEqual(names(list), ["a", "b"]);
        const moved = list.map((x, i) => (i === 5 ? { ...x, urn: urnOf(T.fn, "b2"), name: "b2" } : x));
        assert.deepStrictEqual(names(moved), ["a", "b2"]);
    });

    it("holes and malformed entries are compared as what they are; a first entry without an object props is never cached", () => {
        const withFn = [provider(), f];
        assert.deepStrictEqual(names(withFn), ["f"]);
        const holes = [withFn[0]];
        holes.length = 2;
        assert.deepStrictEqual(names(holes), [], "a hole where the cached list had a function");
        assert.deepStrictEqual(names([withFn[0], null as any, 5 as any, "x" as any]), [], "null, a number, a string");
        for (const first of [null, { type: T.fn, urn: urnOf(T.fn, "np"), name: "np" }, { ...f, props: null }, { ...f, props: "x" }]) {
            const list = [first as any as GraphResource, f];
            const g = stackGraphFor(list);
            assert.deepStrictEqual(g, buildStackGraph(list));
            assert.notStrictEqual(stackGraphFor(list), g, "not cached");
        }
    });

    // How the build time grows with the stack is measured by `npm run bench` (AnalyzeStack growth), not timed here.
    it("builds a graph of 20,000 functions, each once", () => {
        const many: GraphResource[] = [provider(), p, j, c];
        for (let i = 0; i < 20000; i++) {
            many.push({ ...f, name: `fn${i}`, urn: urnOf(T.fn, `fn${i}`) });
        }
        const g = buildStackGraph(many);
        assert.strictEqual(g.functions.length, 20000);
        assert.deepStrictEqual(new Set(g.functions.map(fn => fn.name)).size, 20000);
    });
});
