/**
 * Request-scoped graph cache.
 *
 * The policy server hands every stack policy its own `args.resources` (new PolicyResource objects per policy), but
 * with the pack's deserializer (sharedDeserialization.ts) every policy's `props` proxies wrap the SAME raw objects
 * for the same AnalyzeStack request. We key the graph on the raw props object of the first resource and validate the
 * hit against the raw props identity and the URN of EVERY resource, so a hit means "same request": a list that
 * shares objects with an earlier one but differs anywhere (an added, removed or replaced resource) is rebuilt. The
 * check is one comparison per resource, far below the cost of a build. Without the memo (in-process tests) each
 * policy simply misses and rebuilds — correct, just slower. Entries die with the request's props (WeakMap).
 */
import { unwrapProxy } from "../values";
import { buildStackGraph } from "./build";
import type { StackGraph } from "./model";
import type { GraphResource } from "./stackIndex";

interface CacheEntry {
    identities: unknown[];
    urns: unknown[];
    graph: StackGraph;
}
const graphCache = new WeakMap<object, CacheEntry>();

function identityOf(r: GraphResource | undefined): unknown {
    return unwrapProxy(r?.props);
}

function urnOf(r: GraphResource | undefined): unknown {
    return r?.urn;
}

function sameResources(hit: CacheEntry, resources: ReadonlyArray<GraphResource>): boolean {
    if (hit.identities.length !== resources.length) {
        return false;
    }
    // An iterator, not `every`: `every` skips the holes of a sparse array.
    for (const [i, r] of resources.entries()) {
        if (identityOf(r) !== hit.identities[i] || urnOf(r) !== hit.urns[i]) {
            return false;
        }
    }
    return true;
}

/**
 * `buildStackGraph`, reusing the graph already built for the same request by another policy of the pack. A hit needs
 * the same raw props object for the first resource (a fresh object per request: it comes from the request's own
 * protobuf Struct through the memoised deserialization), the same length, and the same raw props object and URN at
 * every position.
 */
export function stackGraphFor(resources: ReadonlyArray<GraphResource>): StackGraph {
    const key = Array.isArray(resources) ? identityOf(resources[0]) : undefined;
    if (key === null || typeof key !== "object") {
        return buildStackGraph(resources);
    }
    const hit = graphCache.get(key);
    if (hit && sameResources(hit, resources)) {
        return hit.graph;
    }
    const graph = buildStackGraph(resources);
    graphCache.set(key, { identities: Array.from(resources, identityOf), urns: Array.from(resources, urnOf), graph });
    return graph;
}
