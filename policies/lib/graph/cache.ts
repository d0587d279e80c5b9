/**
 * Request-scoped graph cache.
 *
 * The policy server hands every stack policy its own `args.resources` (new PolicyResource objects per policy), but
 * with the pack's deserializer (sharedDeserialization.ts) every policy's `props` proxies wrap the SAME raw objects
 * for the same AnalyzeStack request. We key the graph on the raw props object of the first resource and validate the
 * hit against the length and the raw props identity and URN of sampled resources, so a hit means "same request".
 * Without the memo (in-process tests) each policy simply misses and rebuilds — correct, just slower. Entries die
 * with the request's props (WeakMap).
 */
import { unwrapProxy } from "../values";
import { buildStackGraph } from "./build";
import type { StackGraph } from "./model";
import type { GraphResource } from "./stackIndex";

interface CacheEntry {
    length: number;
    samples: Array<[number, unknown, string]>;
    graph: StackGraph;
}
const graphCache = new WeakMap<object, CacheEntry>();

function identityOf(r: GraphResource | undefined): unknown {
    return r && typeof r === "object" ? unwrapProxy(r.props) : undefined;
}

function samplesOf(resources: ReadonlyArray<GraphResource>): Array<[number, unknown, string]> {
    const n = resources.length;
    const idx = n <= 8 ? Array.from({ length: n }, (_, i) => i) : [0, 1, n >> 2, n >> 1, (3 * n) >> 2, n - 2, n - 1];
    return idx.map(i => [i, identityOf(resources[i]), resources[i] && typeof resources[i].urn === "string" ? resources[i].urn : ""]);
}

/**
 * `buildStackGraph`, reusing the graph already built for the same request by another policy of the pack. A hit needs
 * the same raw props object for the first resource (a fresh object per request: it comes from the request's own
 * protobuf Struct through the memoised deserialization), the same length, and the same raw props objects and URNs at
 * sampled positions.
 */
export function stackGraphFor(resources: ReadonlyArray<GraphResource>): StackGraph {
    if (!Array.isArray(resources) || resources.length === 0) {
        return buildStackGraph([]);
    }
    const key = identityOf(resources[0]);
    const cacheable = key !== null && typeof key === "object";
    const samples = samplesOf(resources);
    if (cacheable) {
        const hit = graphCache.get(key as object);
        if (
            hit &&
            hit.length === resources.length &&
            hit.samples.length === samples.length &&
            hit.samples.every(([i, id, urn], j) => samples[j][0] === i && samples[j][1] === id && samples[j][2] === urn)
        ) {
            return hit.graph;
        }
    }
    const graph = buildStackGraph(resources);
    if (cacheable) {
        graphCache.set(key as object, { length: resources.length, samples, graph });
    }
    return graph;
}
