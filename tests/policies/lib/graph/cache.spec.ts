import * as assert from "assert";
import { GraphResource, buildStackGraph, stackGraphFor } from "../../../../policies/lib/stackGraph";
import { T, urnOf } from "../../helpers";
import { csc, fn, job, profile, provider } from "./fixtures";

const p = profile("p");
const j = job("j", p);
const c = csc("c", [p]);
const f = fn("f", j, c);
const resources = [provider(), p, j, c, f];

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
