/**
 * Builds graph nodes from adapter specs: signing jobs, code signing configs, layer versions and functions, with every
 * computed reference (a function's CSC, its layers) resolved to all of its candidates.
 */
import { UNKNOWN, asString, describe, isRecord, isSet, isUnknownSentinel, plain, readString } from "../values";
import { GraphContext, sourceLabel } from "./context";
import { codeSource } from "./codeSources";
import type {
    CodeSigningConfigNode,
    CscCandidate,
    CscMode,
    CscRef,
    FunctionNode,
    LayerRef,
    LayerVersionNode,
    Reference,
    SigningJobNode,
    TemplateOrigin,
} from "./model";
import { allowedPublishers, jobProfiles } from "./publishers";
import { CscSpec, FunctionSpec, JobSpec, LayerListSpec, LayerSpec, alternativesOf } from "./specs";

export function buildJob(ctx: GraphContext, spec: JobSpec): SigningJobNode {
    const node: SigningJobNode = {
        urn: spec.urn, name: spec.name, type: spec.type, flavor: spec.flavor,
        profiles: jobProfiles(ctx, spec),
        destination: spec.destination,
        signedKeys: spec.signedKeys,
    };
    ctx.jobs.set(spec.id, node);
    return node;
}

/** The mode a code signing config spec sets, and why (AWS defaults to Warn). */
export function cscMode(spec: CscSpec): Pick<CodeSigningConfigNode, "mode" | "modeSource"> {
    const policies = plain(spec.policies);
    if (policies === undefined || policies === null) {
        return { mode: "Warn", modeSource: "default-no-policies" };
    }
    if (!isRecord(policies)) {
        return { mode: "unknown", modeSource: "unknown" };
    }
    const u = readString(policies, spec.modeKey);
    if (u === undefined) {
        return { mode: "Warn", modeSource: "default-no-field" };
    }
    if (u === UNKNOWN || u === null) {
        return { mode: "unknown", modeSource: "unknown" };
    }
    return { mode: (u === "Enforce" ? "Enforce" : "Warn") as CscMode, modeSource: "explicit" };
}

export function buildCsc(ctx: GraphContext, spec: CscSpec): CodeSigningConfigNode {
    const { allowed, count } = allowedPublishers(ctx, spec);
    const node: CodeSigningConfigNode = {
        urn: spec.urn, name: spec.name, type: spec.type, flavor: spec.flavor,
        ...cscMode(spec),
        policiesPath: spec.policiesPath,
        publisherCount: count,
        allowed,
        arns: spec.arns,
    };
    return register(node, spec, ctx.cscs, ctx.cscByArn);
}

/** Records a node by id and by each known ARN; a template node keeps its origin. */
function register<N extends { template?: TemplateOrigin }>(node: N, spec: { id: string; arns: string[]; template?: TemplateOrigin }, byId: Map<string, N>, byArn: Map<string, N>): N {
    if (spec.template) {
        node.template = spec.template;
    }
    byId.set(spec.id, node);
    for (const a of spec.arns) {
        byArn.set(a, node);
    }
    return node;
}

export function buildLayer(ctx: GraphContext, spec: LayerSpec): LayerVersionNode {
    const node: LayerVersionNode = { urn: spec.urn, name: spec.name, type: spec.type, flavor: spec.flavor, code: codeSource(ctx, spec.code), arns: spec.arns };
    return register(node, spec, ctx.layers, ctx.layerByArn);
}

function pushCsc(out: CscCandidate[], c: CscCandidate): void {
    const key = (x: CscCandidate) => (x.kind === "in-stack" ? `csc|${x.csc.urn}|${x.csc.name}` : x.kind === "external" ? `arn|${x.arn}` : `why|${x.reason}`);
    if (!out.some(x => key(x) === key(c))) {
        out.push(c);
    }
}

/**
 * Every code signing config a function's reference may name; `missing` when it names none at all. An absent value
 * is absent whatever it was computed from (a transform may drop a property whose dependencies stay recorded).
 */
export function cscRef(ctx: GraphContext, ref: Reference): CscRef {
    const alts = alternativesOf(ref);
    const absent = (a: Reference) => !isSet(a.value);
    if (alts.every(absent)) {
        return { kind: "missing" };
    }
    const out: CscCandidate[] = [];
    for (const alt of alts) {
        if (absent(alt)) {
            pushCsc(out, { kind: "unverifiable", reason: `its ${alt.path} is conditional and one alternative sets none` });
            continue;
        }
        const classified = ctx.classify(alt, ["csc"]);
        for (const c of classified) {
            // Stryker disable next-line ConditionalExpression: ctx.cscs holds only CodeSigningConfig ids, and a source with such an id is that CodeSigningConfig (its kind is "csc"), so the lookup finds nothing for other kinds
            const csc = c.kind === "csc" ? ctx.cscs.get(c.src.urn) : undefined;
            pushCsc(out, csc
                ? { kind: "in-stack", csc }
                : { kind: "unverifiable", reason: `its ${alt.path} derives from ${sourceLabel(c.src)}, which is not a CodeSigningConfig of this stack` });
        }
        const s = asString(alt.value);
        if (typeof s === "string") {
            const csc = ctx.cscByArn.get(s);
            pushCsc(out, csc ? { kind: "in-stack", csc } : { kind: "external", arn: s });
        } else if (classified.length === 0) {
            pushCsc(out, {
                kind: "unverifiable",
                reason: s === UNKNOWN
                    ? `its ${alt.path} is unknown during preview and does not trace to a CodeSigningConfig in this stack`
                    : `its ${alt.path} is ${describe(alt.value)}, not an ARN`,
            });
        }
    }
    return { kind: "referenced", candidates: out };
}

/** Template layer lists: each element resolved on its own (in-stack node, known ARN, or unverifiable). */
function elementLayers(ctx: GraphContext, elements: Reference[], refs: LayerRef[], addInStack: (l: LayerVersionNode) => void): void {
    for (const el of elements) {
        for (const alt of alternativesOf(el)) {
            const classified = ctx.classify(alt, ["layer"]);
            for (const c of classified) {
                // Stryker disable next-line ConditionalExpression: ctx.layers holds only LayerVersion ids, and a source with such an id is that LayerVersion (its kind is "layer"), so the lookup finds nothing for other kinds
                const l = c.kind === "layer" ? ctx.layers.get(c.src.urn) : undefined;
                l ? addInStack(l) : refs.push({ kind: "unverifiable", reason: `a ${el.path} element derives from ${sourceLabel(c.src)}, which is not a LayerVersion of this stack` });
            }
            const s = asString(alt.value);
            if (typeof s === "string") {
                const l = ctx.layerByArn.get(s);
                l ? addInStack(l) : refs.push({ kind: "external", arn: s });
            } else if (classified.length === 0 && s !== undefined) { // undefined: `AWS::NoValue`, no element at all
                refs.push({ kind: "unverifiable", reason: `a ${el.path} element is ${describe(alt.value)} and traces to no LayerVersion` });
            }
        }
    }
}

/**
 * A function's layers. A list literal is accounted element by element: known ARNs are in-stack or external, and
 * unknown elements must each come from a distinct in-stack LayerVersion the list derives from. A list computed as a
 * whole can't be accounted for (it may hold anything besides the layers it derives from): unverifiable.
 */
export function layerRefs(ctx: GraphContext, spec: LayerListSpec): LayerRef[] {
    const refs: LayerRef[] = [];
    const seen = new Set<LayerVersionNode>();
    const addInStack = (l: LayerVersionNode) => (seen.has(l) ? undefined : (seen.add(l), refs.push({ kind: "in-stack", layer: l })));
    if (spec.elements) {
        elementLayers(ctx, spec.elements, refs, addInStack);
        return refs;
    }
    const lvSources: LayerVersionNode[] = [];
    for (const c of ctx.classify({ value: spec.value, sources: spec.sources, path: spec.path }, ["layer"])) {
        // Stryker disable next-line ConditionalExpression: ctx.layers holds only LayerVersion ids, and a source with such an id is that LayerVersion (its kind is "layer"), so the lookup finds nothing for other kinds
        const l = c.kind === "layer" ? ctx.layers.get(c.src.urn) : undefined;
        l ? lvSources.push(l) : refs.push({ kind: "unverifiable", reason: `its ${spec.path} derive from ${sourceLabel(c.src)}, which is not a LayerVersion of this stack` });
    }
    const raw = plain(spec.value);
    if (raw === undefined || raw === null) {
        return []; // no layers, whatever the property was computed from
    }
    if (!Array.isArray(raw)) {
        lvSources.forEach(addInStack);
        refs.push({
            kind: "unverifiable",
            reason: isUnknownSentinel(raw)
                ? `its ${spec.path} list is computed as a whole (unknown during preview), so its elements can't be accounted for` +
                  `${lvSources.length > 0 ? ` (it derives from ${lvSources.map(l => `"${l.name}"`).join(", ")}, but may hold other layers)` : ""}; ` +
                  `pass a list literal such as [layer.arn, "arn:aws:lambda:…:layer:…:1"] so that each element is visible`
                : `its ${spec.path} value is ${describe(raw)}, not a list`,
        });
        return refs;
    }
    accountElements(ctx, raw, lvSources, refs, addInStack, spec.path);
    return refs;
}

function accountElements(
    ctx: GraphContext, raw: unknown[], lvSources: LayerVersionNode[], refs: LayerRef[],
    addInStack: (l: LayerVersionNode) => void, path: string,
): void {
    // Elements that come from in-stack LayerVersions: unknown ones (preview) and known ones equal to the arn of a
    // LayerVersion they also depend on (update). Both modes count the same elements for the same program.
    let unknowns = 0;
    let fromStack = 0;
    for (const el of raw) {
        const s = asString(plain(el));
        if (s === UNKNOWN) {
            unknowns++;
            fromStack++;
        } else if (typeof s === "string") {
            const l = ctx.layerByArn.get(s);
            if (l) {
                addInStack(l);
                fromStack += lvSources.includes(l) ? 1 : 0;
            } else {
                refs.push({ kind: "external", arn: s });
            }
        } else {
            refs.push({ kind: "unverifiable", reason: `a ${path} element is ${describe(el)}, not a layer ARN` });
        }
    }
    lvSources.forEach(addInStack);
    if (fromStack > lvSources.length) {
        refs.push({
            kind: "unverifiable",
            reason: lvSources.length === 0
                ? `${unknowns} of its layer ARNs ${unknowns === 1 ? "is unknown during preview and traces" : "are unknown during preview and trace"} to no LayerVersion in this stack`
                : `${fromStack} of its layer ARNs come from (or, unknown during preview, may come from) LayerVersions in this stack, ` +
                  `but they trace to only ${lvSources.length} LayerVersion${lvSources.length === 1 ? "" : "s"}: list each layer once and pass LayerVersion arns directly`,
        });
    }
}

export function buildFunction(ctx: GraphContext, spec: FunctionSpec): FunctionNode {
    const node: FunctionNode = {
        urn: spec.urn, name: spec.name, type: spec.type, flavor: spec.flavor,
        packageType: spec.packageType,
        csc: cscRef(ctx, spec.csc),
        code: codeSource(ctx, spec.code),
        layers: spec.packageType === "Image" ? [] : layerRefs(ctx, spec.layers),
    };
    if (spec.handler !== undefined) {
        node.handler = spec.handler;
    }
    if (spec.parentUrn !== undefined) {
        node.parentUrn = spec.parentUrn;
    }
    if (spec.template) {
        node.template = spec.template;
    }
    return node;
}
