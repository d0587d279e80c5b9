import * as assert from "assert";
import { GraphContext, sourceLabel } from "../../../../policies/lib/graph/context";
import type { Reference, SourceRef } from "../../../../policies/lib/graph/model";
import { buildProfile } from "../../../../policies/lib/graph/publishers";
import type { ProfileSpec } from "../../../../policies/lib/graph/specs";
import { StackIndex } from "../../../../policies/lib/graph/stackIndex";
import { T, urnOf } from "../../helpers";
import { PROVIDER_URN, res } from "./fixtures";

const srcOf = (r: { urn: string; type: string; name: string }): SourceRef => ({ urn: r.urn, type: r.type, name: r.name });
const ref = (sources: SourceRef[], shared = false): Reference => ({ value: "x", sources, path: "p", shared });

describe("policies/lib/graph/context", () => {
    it("labels a source by type and name; a source without a type is a resource", () => {
        assert.strictEqual(sourceLabel({ urn: "u", type: T.job, name: "j" }), `${T.job} "j"`);
        assert.strictEqual(sourceLabel({ urn: "u", type: "", name: "j" }), `resource "j"`);
    });

    describe("classify", () => {
        const comp = res("acme:index:Signer", "comp", {});
        const job = res(T.job, "j", {}, {}, { parent: comp.urn });
        const empty = res("acme:index:Empty", "empty", {});
        const leaf = res(T.bucket, "leaf", {}, {}, { parent: empty.urn });
        const csc = res(T.csc, "c", {});
        const ctx = new GraphContext(new StackIndex([comp, job, empty, leaf, csc]));

        it("a component's members of the relevant kinds take its place; without any, it stays as other unless the reference is shared", () => {
            const sources = [srcOf(comp), srcOf(empty), srcOf(csc)];
            assert.deepStrictEqual(ctx.classify(ref(sources), ["job"]), [
                { src: srcOf(job), kind: "job", component: srcOf(comp) },
                { src: srcOf(empty), kind: "other" },
                { src: srcOf(csc), kind: "csc" },
            ]);
            assert.deepStrictEqual(ctx.classify(ref(sources, true), ["job"]), [{ src: srcOf(job), kind: "job", component: srcOf(comp) }]);
            assert.deepStrictEqual(ctx.classify(ref([]), ["job"]), []);
        });
    });

    describe("profilesNamed", () => {
        const spec = (id: string, extra: Partial<ProfileSpec>): ProfileSpec => ({
            id, urn: id, name: id, type: T.profile, flavor: "classic", known: { name: "signer" }, region: "us-east-1", providerUrn: PROVIDER_URN, ...extra,
        });
        const ctx = new GraphContext(new StackIndex([]));
        const plain = buildProfile(ctx, spec(urnOf(T.profile, "plain"), {}));
        buildProfile(ctx, spec(urnOf(T.profile, "noRegion"), { region: undefined }));
        buildProfile(ctx, spec(urnOf(T.profile, "other"), { providerUrn: "urn:other" }));
        buildProfile(ctx, spec("stack#P", { template: { stackUrn: "urn:stack", stackName: "s", logicalId: "P" } }));

        it("only profiles of that name, Region and provider declared as Pulumi resources; an unknown Region matches none", () => {
            assert.deepStrictEqual(ctx.profilesNamed("signer", "us-east-1", PROVIDER_URN), [plain]);
            assert.deepStrictEqual(ctx.profilesNamed("signer", undefined, PROVIDER_URN), []);
            assert.deepStrictEqual(ctx.profilesNamed("nobody", "us-east-1", PROVIDER_URN), []);
        });
    });
});
