/**
 * The graph's input, indexed once: resources by kind, property dependencies as `SourceRef`s, providers and Regions,
 * component membership. Structural input, so that both `StackValidationArgs.resources` (PolicyResource objects with
 * proxied props and resolved dependencies) and the CLI (captured resources with wire-format outputs and URN strings)
 * can be passed. Never throws on malformed input.
 */
import { UNKNOWN, nameFromUrn, rawProps, readString, typeFromUrn } from "../values";
import type { SourceRef } from "./model";
import { SourceKind, kindOf } from "./tokens";

/** A dependency: a resource object (with at least `urn`) or a bare URN string. */
export type GraphDependency = string | { readonly urn: string; readonly type?: string; readonly name?: string };

/** A resource's provider: PolicyResource's `provider` object, or a provider reference `<urn>::<id>` (CLI). */
export type GraphProvider = string | { readonly urn: string; readonly props?: unknown };

export interface GraphResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    /** Outputs (AnalyzeStack) — may be a @pulumi/policy proxy, deserialized values or wire-format values. */
    readonly props: unknown;
    /** Top-level input name → resources the value came from. */
    readonly propertyDependencies?: Readonly<Record<string, ReadonlyArray<GraphDependency>>>;
    readonly parent?: GraphDependency;
    readonly provider?: GraphProvider;
}

export interface Entry {
    readonly res: GraphResource;
    readonly props: Record<string, unknown>;
    readonly id: string;
    readonly name: string;
    readonly type: string;
}

type IndexedKind = "function" | "csc" | "layer" | "profile" | "job" | "copy" | "stack";
const INDEXED: ReadonlySet<SourceKind> = new Set<SourceKind>(["function", "csc", "layer", "profile", "job", "copy", "stack"]);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Shared result for "no dependencies" (most properties): never mutated. */
const NO_SOURCES: SourceRef[] = Object.freeze([]) as unknown as SourceRef[];

function urnOf(d: unknown): string | undefined {
    if (typeof d === "string") {
        return d;
    }
    return d && typeof d === "object" && typeof (d as { urn?: unknown }).urn === "string" ? (d as { urn: string }).urn : undefined;
}

export class StackIndex {
    readonly entries: Record<IndexedKind, Entry[]> = { function: [], csc: [], layer: [], profile: [], job: [], copy: [], stack: [] };
    private byUrn: Map<string, GraphResource> | undefined;
    private children: Map<string, string[]> | undefined;
    private readonly providerRegions = new Map<string, string | undefined>();
    private readonly sources = new Map<string, SourceRef | undefined>();
    private readonly providerRefs = new Map<string, string>();

    constructor(private readonly resources: ReadonlyArray<GraphResource>) {
        for (const res of resources) {
            if (!res || typeof res !== "object" || typeof res.urn !== "string") {
                continue;
            }
            // Stryker disable next-line ConditionalExpression,StringLiteral: a type that is no string is in no kind table (kindOf looks strings up), as "" (or any fallback text) is not
            const type = typeof res.type === "string" ? res.type : "";
            const kind = kindOf(type);
            if (INDEXED.has(kind)) {
                const name = typeof res.name === "string" ? res.name : nameFromUrn(res.urn);
                this.entries[kind as IndexedKind].push({ res, props: rawProps(res.props), id: res.urn, name, type });
            }
        }
    }

    /** A resource of the stack by URN (built lazily: only URN-string input and component lookups need it). */
    resource(urn: string): GraphResource | undefined {
        // Stryker disable next-line ConditionalExpression: a memo; rebuilding the map from the same resources gives the same answers
        if (!this.byUrn) {
            this.byUrn = new Map();
            for (const r of this.resources) {
                // Stryker disable next-line ConditionalExpression: a key that is no string is never looked up (URNs are strings)
                if (r && typeof r === "object" && typeof r.urn === "string") {
                    this.byUrn.set(r.urn, r);
                }
            }
        }
        return this.byUrn.get(urn);
    }

    sourceOf(urn: string): SourceRef | undefined {
        // Stryker disable next-line ConditionalExpression,BlockStatement: a memo; the same URN gives an equal SourceRef again
        if (this.sources.has(urn)) {
            return this.sources.get(urn);
        }
        const r = this.resource(urn);
        const src = r && { urn, type: typeof r.type === "string" ? r.type : typeFromUrn(urn), name: typeof r.name === "string" ? r.name : nameFromUrn(urn) };
        this.sources.set(urn, src);
        return src;
    }

    /**
     * In-stack dependencies of a top-level property. Resource objects come from the policy server, which already
     * dropped URNs outside the stack; bare URN strings (CLI input) are checked here so both agree.
     */
    deps(res: GraphResource, key: string): SourceRef[] {
        const pd = res.propertyDependencies;
        if (!pd || typeof pd !== "object" || !hasOwn(pd, key)) {
            return NO_SOURCES;
        }
        const list = (pd as Record<string, unknown>)[key];
        // Stryker disable next-line ConditionalExpression: a shortcut; the loop makes no sources of an empty list either
        if (!Array.isArray(list) || list.length === 0) {
            return NO_SOURCES;
        }
        const out: SourceRef[] = [];
        for (const d of list) {
            let dep: SourceRef | undefined;
            if (typeof d === "string") {
                dep = this.sourceOf(d);
            } else if (d && typeof d === "object" && typeof (d as { urn?: unknown }).urn === "string") {
                const o = d as { urn: string; type?: unknown; name?: unknown };
                // PolicyResource objects already carry urn, type and name: used as they are, no allocation.
                dep = typeof o.type === "string" && typeof o.name === "string"
                    ? (o as SourceRef)
                    : { urn: o.urn, type: typeof o.type === "string" ? o.type : typeFromUrn(o.urn), name: typeof o.name === "string" ? o.name : nameFromUrn(o.urn) };
            }
            // Stryker disable next-line ConditionalExpression: a shortcut; nothing is in an empty list
            if (dep && (out.length === 0 || !out.some(x => x.urn === dep!.urn))) {
                out.push(dep);
            }
        }
        return out;
    }

    /**
     * The custom resources inside a component a value derives from, or undefined when `src` has no children. A
     * dependency on a component (a remote component's output: the SDK does not expand those) may come from any of them.
     */
    componentMembers(src: SourceRef): SourceRef[] | undefined {
        const children = (this.children ??= this.childrenByParent());
        if (!children.has(src.urn)) {
            return undefined;
        }
        const out: SourceRef[] = [];
        const seen = new Set<string>([src.urn]);
        const queue = [...children.get(src.urn)!];
        while (queue.length > 0) {
            const urn = queue.shift()!;
            if (seen.has(urn)) {
                continue;
            }
            seen.add(urn);
            const s = this.sourceOf(urn);
            if (s) {
                out.push(s);
            }
            // Stryker disable next-line ArrayDeclaration: a made-up URN queued for a leaf is in no stack (sourceOf gives undefined) and has no children
            queue.push(...(children.get(urn) ?? []));
        }
        return out;
    }

    private childrenByParent(): Map<string, string[]> {
        const children = new Map<string, string[]>();
        for (const r of this.resources) {
            const parent = r && typeof r === "object" ? urnOf(r.parent) : undefined;
            if (parent !== undefined && typeof r.urn === "string") {
                const list = children.get(parent);
                list ? list.push(r.urn) : children.set(parent, [r.urn]);
            }
        }
        return children;
    }

    /** The URN of a resource's provider, if any (same provider ⇒ same account and default Region). */
    providerUrn(res: GraphResource): string | undefined {
        const p = res.provider;
        if (typeof p === "string") {
            // `urn:pulumi:<stack>::<project>::<type>::<name>::<id>`: a URN has three separators, a reference four.
            let urn = this.providerRefs.get(p);
            // Stryker disable next-line ConditionalExpression: a memo of a pure function of the reference
            if (urn === undefined) {
                urn = p.split("::").length >= 5 ? p.slice(0, p.lastIndexOf("::")) : p;
                this.providerRefs.set(p, urn);
            }
            return urn;
        }
        return urnOf(p);
    }

    /** The `region` of a resource's provider configuration, when known. */
    providerRegion(res: GraphResource): string | undefined {
        const urn = this.providerUrn(res);
        // Stryker disable next-line BlockStatement: a memo; one URN is one provider (same props)
        if (urn !== undefined && this.providerRegions.has(urn)) {
            return this.providerRegions.get(urn);
        }
        const p = res.provider;
        const props = p && typeof p === "object" && "props" in p ? p.props : urn !== undefined ? this.resource(urn)?.props : undefined;
        const region = readString(rawProps(props), "region");
        const known = typeof region === "string" ? region : undefined;
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a memo; one URN is one provider (same props), and the no-URN entry is never read
        if (urn !== undefined) {
            this.providerRegions.set(urn, known);
        }
        return known;
    }

    /**
     * The Region a resource lives in: its own `region` (provider v7's per-resource Region), else its provider's. An
     * unknown `region` without dependencies is the provider default the engine computes; with dependencies it is unknown.
     */
    regionOf(e: Entry): string | undefined {
        const r = readString(e.props, "region");
        if (typeof r === "string") {
            return r;
        }
        if (r === null || (r === UNKNOWN && this.deps(e.res, "region").length > 0)) {
            return undefined;
        }
        return this.providerRegion(e.res);
    }
}
