import * as assert from "assert";
import { buildStackGraph } from "../../../../policies/lib/stackGraph";
import { T, urnOf } from "../../helpers";
import { csc, fn, job, profile, provider } from "./fixtures";

const p = profile("p");
const j = job("j", p);
const c = csc("c", [p]);

/** The node of a function whose properties throw when read: judged unverifiable on its own. */
const unreadable = (name: string, type: string, urn: string) => {
    const reason = "its properties could not be read";
    return {
        urn, name, type, flavor: "classic", packageType: "Zip",
        csc: { kind: "referenced", candidates: [{ kind: "unverifiable", reason }] },
        code: { kind: "unverifiable", reason },
        layers: [],
    };
};

describe("policies/lib/graph/build", () => {
    it("a function whose properties throw when read is unverifiable; the rest of the stack is still judged", () => {
        const hostile = { ...fn("hostile", j, c), propertyDependencies: new Proxy({}, { get() { throw new Error("boom"); }, has() { throw new Error("boom"); }, getOwnPropertyDescriptor() { throw new Error("boom"); } }) };
        const g = buildStackGraph([provider(), p, j, c, hostile, fn("ok", j, c)]);
        assert.deepStrictEqual(g.functions.map(f => f.name), ["hostile", "ok"]);
        assert.deepStrictEqual(g.functions[0], unreadable("hostile", T.fn, urnOf(T.fn, "hostile")));
        assert.strictEqual(g.functions[1].code.kind === "unverifiable", false);
    });

    it("input that is not a list builds an empty graph", () => {
        const empty = { functions: [], codeSigningConfigs: [], layerVersions: [], signingJobs: [], signingProfiles: [], templates: [] };
        for (const input of [null, undefined, "x", { 0: fn("f", j, c), length: 1 }]) {
            assert.deepStrictEqual(buildStackGraph(input as any), empty);
        }
    });
});
