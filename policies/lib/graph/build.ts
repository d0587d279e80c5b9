/**
 * Builds the stack graph: index the resources, expand CloudFormation templates, then build nodes in dependency order
 * (profiles → jobs → code signing configs → layers → functions) so every reference resolves against finished nodes.
 *
 * O(n) in the number of resources: one pass to index, then per-node work bounded by the node's own property
 * dependencies and list lengths, with Map lookups only. A resource whose props can't be read is judged unverifiable
 * on its own; it never stops the rest of the stack from being judged.
 */
import { templateSpecs } from "./cloudformation";
import { GraphContext } from "./context";
import type { FunctionNode, StackGraph } from "./model";
import { buildCsc, buildFunction, buildJob, buildLayer } from "./nodes";
import { buildProfile } from "./publishers";
import { copySpec, cscSpec, functionSpec, jobSpec, layerSpec, profileSpec } from "./pulumiAdapters";
import type { CscSpec, FunctionSpec, LayerSpec, ProfileSpec } from "./specs";
import { Entry, GraphResource, StackIndex } from "./stackIndex";

/** `fn()`, or `fallback()` when it throws (every fallback builds from plain values the index made: it can't throw). */
function attempt<T>(fn: () => T, fallback: () => T | undefined): T | undefined {
    try {
        return fn();
    } catch {
        return fallback();
    }
}

function unreadableFunction(e: Pick<Entry, "type" | "name"> & { urn: string }): FunctionNode {
    const reason = `its properties could not be read`;
    return {
        urn: e.urn, name: e.name, type: e.type, flavor: "classic", packageType: "Zip",
        csc: { kind: "referenced", candidates: [{ kind: "unverifiable", reason }] },
        code: { kind: "unverifiable", reason },
        layers: [],
    };
}

interface Specs {
    profiles: ProfileSpec[];
    cscs: CscSpec[];
    layers: LayerSpec[];
    functions: FunctionSpec[];
}

function collectSpecs(index: StackIndex, graph: StackGraph, ctx: GraphContext): Specs {
    const specs: Specs = { profiles: [], cscs: [], layers: [], functions: [] };
    const each = <T>(entries: Entry[], make: (e: Entry) => T, into: T[]) => {
        for (const e of entries) {
            const s = attempt(() => make(e), () => undefined);
            if (s !== undefined) {
                into.push(s);
            }
        }
    };
    each(index.entries.profile, e => profileSpec(index, e), specs.profiles);
    each(index.entries.csc, e => cscSpec(index, e), specs.cscs);
    each(index.entries.layer, e => layerSpec(index, e), specs.layers);
    for (const e of index.entries.copy) {
        const c = attempt(() => copySpec(index, e), () => undefined);
        if (c) {
            ctx.copies.set(c.id, c);
        }
    }
    for (const e of index.entries.stack) {
        const t = attempt(() => templateSpecs(index, e), () => undefined);
        if (t) {
            graph.templates.push(t.node);
            specs.profiles.push(...t.profiles);
            specs.cscs.push(...t.cscs);
            specs.layers.push(...t.layers);
            specs.functions.push(...t.functions);
        }
    }
    return specs;
}

/** Builds the stack graph. Never throws on malformed input (nulls, wrong types, dangling/cyclic dependencies). */
export function buildStackGraph(resources: ReadonlyArray<GraphResource>): StackGraph {
    // Stryker disable next-line ArrayDeclaration: a list of anything but resources builds the same empty graph (StackIndex skips entries without a string urn)
    const index = new StackIndex(Array.isArray(resources) ? resources : []);
    const ctx = new GraphContext(index);
    const graph: StackGraph = { functions: [], codeSigningConfigs: [], layerVersions: [], signingJobs: [], signingProfiles: [], templates: [] };
    const specs = collectSpecs(index, graph, ctx);
    const push = <T>(list: T[], node: T | undefined) => (node !== undefined ? list.push(node) : undefined);
    for (const s of specs.profiles) {
        push(graph.signingProfiles, attempt(() => buildProfile(ctx, s), () => undefined));
    }
    for (const e of index.entries.job) {
        push(graph.signingJobs, attempt(() => buildJob(ctx, jobSpec(index, e)), () => undefined));
    }
    for (const s of specs.cscs) {
        push(graph.codeSigningConfigs, attempt(() => buildCsc(ctx, s), () => undefined));
    }
    for (const s of specs.layers) {
        push(graph.layerVersions, attempt(() => buildLayer(ctx, s), () => undefined));
    }
    for (const e of index.entries.function) {
        push(graph.functions, attempt(() => buildFunction(ctx, functionSpec(index, e)), () => unreadableFunction({ ...e, urn: e.id })));
    }
    for (const s of specs.functions) {
        // Stryker disable next-line ArrowFunction: template specs are plain data parsed from a templateBody string; buildFunction does not throw on them, the fallback only guards against a bug of ours
        push(graph.functions, attempt(() => buildFunction(ctx, s), () => unreadableFunction(s)));
    }
    return graph;
}
