/**
 * The one model of a stack's Lambda code-signing graph, shared by every rule of the pack and by the `check` CLI.
 *
 *   Function ──codeSigningConfigArn──▶ CodeSigningConfig ──allowedPublishers──▶ SigningProfile
 *      │  └──s3Key/s3Bucket/s3ObjectVersion (native: code)──▶ SigningJob ──profileName──▶ SigningProfile
 *      └──layers──▶ LayerVersion ──s3Key/… (native: content)──▶ SigningJob ──profileName──▶ SigningProfile
 *
 * Edges are found through `propertyDependencies` first (these are present in preview, where every ARN of a resource
 * created in the same stack is unknown, AND in update), then through known values (literal ARNs, or known outputs of
 * in-stack resources in update mode). Unknown values are never read through the policy proxy: props are unwrapped
 * once (see values.ts) and sentinels are classified here. Whatever cannot be resolved is reported as
 * `unverifiable` with a reason, and the rules fail closed on it.
 *
 * Building is O(n) in the number of resources: one pass to index, then per-node work bounded by the node's own
 * property dependencies and list lengths, with Map lookups only.
 */

import {
    UNKNOWN,
    asString,
    describe,
    field,
    isRecord,
    isSet,
    isUnknownSentinel,
    rawProps,
    readString,
    typeFromUrn,
    unwrapProxy,
} from "./values";

// ------------------------------------------------------------------------------------------------------------------
// Type tokens (strings only: the pack never loads @pulumi/aws at runtime).

export const FUNCTION_TYPES = {
    classic: "aws:lambda/function:Function",
    native: "aws-native:lambda:Function",
} as const;
export const CSC_TYPES = {
    classic: "aws:lambda/codeSigningConfig:CodeSigningConfig",
    native: "aws-native:lambda:CodeSigningConfig",
} as const;
export const LAYER_TYPES = {
    classic: "aws:lambda/layerVersion:LayerVersion",
    native: "aws-native:lambda:LayerVersion",
} as const;
export const SIGNING_PROFILE_TYPES = {
    classic: "aws:signer/signingProfile:SigningProfile",
    native: "aws-native:signer:SigningProfile",
} as const;
export const SIGNING_JOB_TYPE = "aws:signer/signingJob:SigningJob";

/** Publisher-count bounds of `AllowedPublishers.SigningProfileVersionArns`. */
export const MIN_PUBLISHERS = 1;
export const MAX_PUBLISHERS = 20;

export type Flavor = "classic" | "native";

function flavorOf(type: string, tokens: { classic: string; native: string }): Flavor | undefined {
    return type === tokens.classic ? "classic" : type === tokens.native ? "native" : undefined;
}

// ------------------------------------------------------------------------------------------------------------------
// Input: structural, so that both `StackValidationArgs.resources` (PolicyResource, proxied props) and the CLI
// (captured resources with wire-format outputs and URN strings) can be passed.

/** A dependency: a resource object (with at least `urn`) or a bare URN string. */
export type GraphDependency = string | { readonly urn: string; readonly type?: string; readonly name?: string };

export interface GraphResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    /** Outputs (AnalyzeStack) — may be a @pulumi/policy proxy, deserialized values or wire-format values. */
    readonly props: unknown;
    /** Top-level input name → resources the value came from. */
    readonly propertyDependencies?: Readonly<Record<string, ReadonlyArray<GraphDependency>>>;
    readonly parent?: GraphDependency;
}

// ------------------------------------------------------------------------------------------------------------------
// Output model.

interface NodeBase {
    urn: string;
    name: string;
    type: string;
    flavor: Flavor;
}

/** Who a signing job (or a CSC's allowed-publisher entry) refers to. */
export interface ProfileIdentity {
    /** URNs of in-stack SigningProfile resources. */
    urns: string[];
    /** Known profile names (literals, names parsed from ARNs, known `name` outputs of in-stack profiles). */
    names: string[];
}

export interface SigningProfileNode extends NodeBase {
    /** Known profile name (classic `name`, native `profileName`). */
    profileName?: string;
    /** Known ARNs (`versionArn`/`arn`, native `profileVersionArn`/`arn`). */
    arns: string[];
}

export interface SigningJobNode extends NodeBase {
    /** The profile the job signs with. Empty identity = unresolvable. */
    profile: ProfileIdentity;
    /** Readable profile label for messages. */
    profileLabel: string;
}

export type CodeSource =
    | {
          kind: "signed";
          /** The first signing job (see `jobs` when the key depends on several). */
          job: SigningJobNode;
          jobs: SigningJobNode[];
          /** The first job's profile, resolved: in-stack resource URN and/or known name. */
          profile: { urn?: string; name?: string };
      }
    | { kind: "inline"; detail: string; callbackFunction: boolean }
    | { kind: "plain-s3"; detail: string }
    | { kind: "image" }
    | { kind: "unverifiable"; reason: string };

export type CscMode = "Enforce" | "Warn" | "unknown";

export interface CodeSigningConfigNode extends NodeBase {
    mode: CscMode;
    /** How the mode was determined: explicit value, AWS default (no policies / no field), or unknown/invalid. */
    modeSource: "explicit" | "default-no-policies" | "default-no-field" | "unknown";
    publisherCount: number | "unknown";
    /** Profiles the CSC allows (from propertyDependencies of allowedPublishers and known ARNs). */
    allowedProfiles: ProfileIdentity;
    /** Known ARNs of this CSC (update mode). */
    arns: string[];
}

export type CscRef =
    | {
          kind: "in-stack";
          resource: CodeSigningConfigNode;
          mode: CscMode;
          publisherCount: number | "unknown";
          allowedProfiles: ProfileIdentity;
      }
    | { kind: "external"; arn: string }
    | { kind: "missing" }
    | { kind: "unverifiable"; reason: string };

export interface LayerVersionNode extends NodeBase {
    code: CodeSource;
    /** Known ARNs (classic `arn`/`layerArn`, native `layerVersionArn`). */
    arns: string[];
}

export type LayerRef =
    | { kind: "in-stack"; layer: LayerVersionNode }
    | { kind: "external"; arn: string }
    | { kind: "unverifiable"; reason: string };

export type PackageType = "Zip" | "Image" | "unknown";

export interface FunctionNode extends NodeBase {
    parentUrn?: string;
    packageType: PackageType;
    handler?: string;
    csc: CscRef;
    code: CodeSource;
    layers: LayerRef[];
}

export interface StackGraph {
    functions: FunctionNode[];
    codeSigningConfigs: CodeSigningConfigNode[];
    layerVersions: LayerVersionNode[];
    signingJobs: SigningJobNode[];
    signingProfiles: SigningProfileNode[];
}

// ------------------------------------------------------------------------------------------------------------------
// Publisher matching.

const SIGNER_ARN = /^arn:[^:]+:signer:[^:]*:[^:]*:\/signing-profiles\/([^/]+)(?:\/[^/]*)?$/;

/** Profile name of a signing profile (version) ARN, e.g. `arn:aws:signer:us-east-1:123:/signing-profiles/app/abc`. */
export function profileNameFromArn(arn: string): string | undefined {
    const m = SIGNER_ARN.exec(arn);
    return m ? m[1] : undefined;
}

/** Whether a CSC's allowed publishers include the profile. Unresolvable identities never match (fail closed). */
export function profileAllowed(allowed: ProfileIdentity, profile: ProfileIdentity): boolean {
    for (const u of profile.urns) {
        if (allowed.urns.includes(u)) {
            return true;
        }
    }
    for (const n of profile.names) {
        if (allowed.names.includes(n)) {
            return true;
        }
    }
    return false;
}

/** The signing jobs of `code` whose profile the CSC does not allow. */
export function jobsNotAllowed(csc: CodeSigningConfigNode, code: CodeSource): SigningJobNode[] {
    return code.kind === "signed" ? code.jobs.filter(j => !profileAllowed(csc.allowedProfiles, j.profile)) : [];
}

/** Human-readable description of the profiles a CSC allows. */
export function describeAllowed(csc: CodeSigningConfigNode, graph?: StackGraph): string {
    const labels: string[] = [];
    for (const n of csc.allowedProfiles.names) {
        labels.push(`"${n}"`);
    }
    if (graph) {
        for (const u of csc.allowedProfiles.urns) {
            const p = graph.signingProfiles.find(sp => sp.urn === u);
            if (p && !(p.profileName && csc.allowedProfiles.names.includes(p.profileName))) {
                labels.push(`SigningProfile "${p.name}"`);
            }
        }
    } else if (labels.length === 0 && csc.allowedProfiles.urns.length > 0) {
        labels.push(`${csc.allowedProfiles.urns.length} in-stack signing profile(s)`);
    }
    return labels.length > 0 ? labels.join(", ") : "no identifiable profile";
}

// ------------------------------------------------------------------------------------------------------------------
// Building.

interface Entry {
    res: GraphResource;
    props: Record<string, unknown>;
}

interface Dep {
    urn: string;
    type: string;
    name: string;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

class Builder {
    /** All URNs of the stack, built lazily: only URN-string dependencies (CLI input) need a dangling check. */
    private urnSet: Set<string> | undefined;
    private readonly names = new Map<string, string>();
    private readonly profiles = new Map<string, SigningProfileNode>();
    private readonly profileByArn = new Map<string, SigningProfileNode>();
    private readonly profilesByName = new Map<string, SigningProfileNode[]>();
    private readonly jobs = new Map<string, SigningJobNode>();
    private readonly cscs = new Map<string, CodeSigningConfigNode>();
    private readonly cscByArn = new Map<string, CodeSigningConfigNode>();
    private readonly layers = new Map<string, LayerVersionNode>();
    private readonly layerByArn = new Map<string, LayerVersionNode>();

    private readonly profileEntries: Entry[] = [];
    private readonly jobEntries: Entry[] = [];
    private readonly cscEntries: Entry[] = [];
    private readonly layerEntries: Entry[] = [];
    private readonly functionEntries: Entry[] = [];

    constructor(private readonly resources: ReadonlyArray<GraphResource>) {
        for (const res of resources) {
            if (!res || typeof res.urn !== "string") {
                continue;
            }
            const type = typeof res.type === "string" ? res.type : "";
            let bucket: Entry[] | undefined;
            switch (type) {
                case FUNCTION_TYPES.classic:
                case FUNCTION_TYPES.native:
                    bucket = this.functionEntries;
                    break;
                case CSC_TYPES.classic:
                case CSC_TYPES.native:
                    bucket = this.cscEntries;
                    break;
                case LAYER_TYPES.classic:
                case LAYER_TYPES.native:
                    bucket = this.layerEntries;
                    break;
                case SIGNING_JOB_TYPE:
                    bucket = this.jobEntries;
                    break;
                case SIGNING_PROFILE_TYPES.classic:
                case SIGNING_PROFILE_TYPES.native:
                    bucket = this.profileEntries;
                    break;
            }
            if (bucket) {
                this.names.set(res.urn, typeof res.name === "string" ? res.name : "");
                bucket.push({ res, props: rawProps(res.props) });
            }
        }
    }

    build(): StackGraph {
        const signingProfiles = this.profileEntries.map(e => this.addProfile(e));
        const signingJobs = this.jobEntries.map(e => this.addJob(e));
        const codeSigningConfigs = this.cscEntries.map(e => this.addCsc(e));
        const layerVersions = this.layerEntries.map(e => this.addLayer(e));
        const functions = this.functionEntries.map(e => this.addFunction(e));
        return { functions, codeSigningConfigs, layerVersions, signingJobs, signingProfiles };
    }

    private inStack(urn: string): boolean {
        if (!this.urnSet) {
            this.urnSet = new Set();
            for (const r of this.resources) {
                if (r && typeof r.urn === "string") {
                    this.urnSet.add(r.urn);
                }
            }
        }
        return this.urnSet.has(urn);
    }

    /**
     * In-stack dependencies of a top-level property. Resource objects come from the policy server, which already
     * dropped URNs outside the stack; bare URN strings (CLI input) are checked here so both agree.
     */
    private deps(res: GraphResource, key: string): Dep[] {
        const pd = res.propertyDependencies;
        if (!pd || typeof pd !== "object" || !hasOwn(pd, key)) {
            return [];
        }
        const list = (pd as Record<string, unknown>)[key];
        if (!Array.isArray(list) || list.length === 0) {
            return [];
        }
        const out: Dep[] = [];
        for (const d of list) {
            let dep: Dep | undefined;
            if (typeof d === "string") {
                if (this.inStack(d)) {
                    dep = { urn: d, type: typeFromUrn(d), name: this.names.get(d) ?? d.split("::").slice(3).join("::") };
                }
            } else if (d && typeof d === "object") {
                const o = d as { urn?: unknown; type?: unknown; name?: unknown };
                if (typeof o.urn === "string") {
                    // PolicyResource objects already carry urn, type and name: no allocation.
                    dep = typeof o.type === "string" && typeof o.name === "string"
                        ? (o as Dep)
                        : { urn: o.urn, type: typeof o.type === "string" ? o.type : typeFromUrn(o.urn), name: typeof o.name === "string" ? o.name : o.urn };
                }
            }
            if (dep && (out.length === 0 || !out.some(x => x.urn === dep!.urn))) {
                out.push(dep);
            }
        }
        return out;
    }

    private static nameOf(e: Entry): string {
        return typeof e.res.name === "string" ? e.res.name : "";
    }

    // --- profiles ---------------------------------------------------------------------------------------------------

    private addProfile(e: Entry): SigningProfileNode {
        const flavor = flavorOf(e.res.type, SIGNING_PROFILE_TYPES) ?? "classic";
        const nameKey = flavor === "classic" ? "name" : "profileName";
        const n = readString(e.props, nameKey);
        const arns: string[] = [];
        for (const k of flavor === "classic" ? ["versionArn", "arn"] : ["profileVersionArn", "arn"]) {
            const a = readString(e.props, k);
            if (typeof a === "string") {
                arns.push(a);
            }
        }
        const node: SigningProfileNode = { urn: e.res.urn, name: Builder.nameOf(e), type: e.res.type, flavor, arns };
        if (typeof n === "string") {
            node.profileName = n;
            const list = this.profilesByName.get(n);
            if (list) {
                list.push(node);
            } else {
                this.profilesByName.set(n, [node]);
            }
        }
        for (const a of arns) {
            this.profileByArn.set(a, node);
        }
        this.profiles.set(node.urn, node);
        return node;
    }

    private identityAdd(id: ProfileIdentity, p: SigningProfileNode): void {
        if (!id.urns.includes(p.urn)) {
            id.urns.push(p.urn);
        }
        if (p.profileName !== undefined && !id.names.includes(p.profileName)) {
            id.names.push(p.profileName);
        }
    }

    private identityAddName(id: ProfileIdentity, name: string): void {
        if (!id.names.includes(name)) {
            id.names.push(name);
        }
        // Bounded by the number of same-named profiles in the stack (normally 0 or 1).
        for (const p of this.profilesByName.get(name) ?? []) {
            this.identityAdd(id, p);
        }
    }

    /** Identity of the profiles a list of dependencies points at. */
    private profileDeps(res: GraphResource, key: string, id: ProfileIdentity): void {
        for (const d of this.deps(res, key)) {
            const p = this.profiles.get(d.urn);
            if (p) {
                this.identityAdd(id, p);
            }
        }
    }

    // --- signing jobs -----------------------------------------------------------------------------------------------

    private addJob(e: Entry): SigningJobNode {
        const profile: ProfileIdentity = { urns: [], names: [] };
        this.profileDeps(e.res, "profileName", profile);
        const literal = readString(e.props, "profileName");
        if (typeof literal === "string") {
            this.identityAddName(profile, literal);
        }
        let profileLabel: string;
        if (typeof literal === "string") {
            profileLabel = `profile "${literal}"`;
        } else if (profile.urns.length > 0) {
            profileLabel = `SigningProfile "${this.names.get(profile.urns[0]) ?? profile.urns[0]}"`;
        } else {
            profileLabel = `an unidentifiable profile (profileName is ${describe(literal)})`;
        }
        const node: SigningJobNode = { urn: e.res.urn, name: Builder.nameOf(e), type: e.res.type, flavor: "classic", profile, profileLabel };
        this.jobs.set(node.urn, node);
        return node;
    }

    // --- code signing configs ---------------------------------------------------------------------------------------

    private addCsc(e: Entry): CodeSigningConfigNode {
        const flavor = flavorOf(e.res.type, CSC_TYPES) ?? "classic";
        // Mode.
        const policiesKey = flavor === "classic" ? "policies" : "codeSigningPolicies";
        const policies = field(e.props, policiesKey);
        let mode: CscMode;
        let modeSource: CodeSigningConfigNode["modeSource"];
        if (policies === undefined || policies === null) {
            mode = "Warn";
            modeSource = "default-no-policies";
        } else if (!isRecord(policies)) {
            mode = "unknown";
            modeSource = "unknown";
        } else {
            const u = readString(policies, "untrustedArtifactOnDeployment");
            if (u === undefined) {
                mode = "Warn";
                modeSource = "default-no-field";
            } else if (u === UNKNOWN || u === null) {
                mode = "unknown";
                modeSource = "unknown";
            } else {
                mode = u === "Enforce" ? "Enforce" : "Warn";
                modeSource = "explicit";
            }
        }
        // Publishers.
        const allowed: ProfileIdentity = { urns: [], names: [] };
        this.profileDeps(e.res, "allowedPublishers", allowed);
        const ap = field(e.props, "allowedPublishers");
        let publisherCount: number | "unknown";
        if (ap === undefined || ap === null) {
            publisherCount = 0;
        } else if (!isRecord(ap)) {
            publisherCount = "unknown";
        } else {
            const list = field(ap, "signingProfileVersionArns");
            if (list === undefined || list === null) {
                publisherCount = 0;
            } else if (!Array.isArray(list)) {
                publisherCount = "unknown";
            } else {
                publisherCount = list.length;
                for (const el of list) {
                    const s = asString(el);
                    if (typeof s !== "string") {
                        continue;
                    }
                    const p = this.profileByArn.get(s);
                    if (p) {
                        this.identityAdd(allowed, p);
                    }
                    const n = profileNameFromArn(s);
                    if (n !== undefined) {
                        this.identityAddName(allowed, n);
                    }
                }
            }
        }
        const arns: string[] = [];
        for (const k of flavor === "classic" ? ["arn"] : ["codeSigningConfigArn", "arn"]) {
            const a = readString(e.props, k);
            if (typeof a === "string") {
                arns.push(a);
            }
        }
        const node: CodeSigningConfigNode = {
            urn: e.res.urn,
            name: Builder.nameOf(e),
            type: e.res.type,
            flavor,
            mode,
            modeSource,
            publisherCount,
            allowedProfiles: allowed,
            arns,
        };
        for (const a of arns) {
            this.cscByArn.set(a, node);
        }
        this.cscs.set(node.urn, node);
        return node;
    }

    // --- code sources -----------------------------------------------------------------------------------------------

    private jobsIn(deps: Dep[], into: SigningJobNode[]): void {
        for (const d of deps) {
            const j = this.jobs.get(d.urn);
            if (j && !into.includes(j)) {
                into.push(j);
            }
        }
    }

    private signed(jobs: SigningJobNode[]): CodeSource {
        const job = jobs[0];
        const profile: { urn?: string; name?: string } = {};
        if (job.profile.urns.length > 0) {
            profile.urn = job.profile.urns[0];
        }
        if (job.profile.names.length > 0) {
            profile.name = job.profile.names[0];
        }
        return { kind: "signed", job, jobs, profile };
    }

    private static depLabel(d: Dep): string {
        return `${d.type || "resource"} "${d.name}"`;
    }

    /** Classic Function / LayerVersion: `code` archive, or `s3Bucket`/`s3Key`/`s3ObjectVersion`. */
    private classicCode(e: Entry, what: string, packageType: PackageType | undefined, handler?: string): CodeSource {
        if (packageType === "Image") {
            return { kind: "image" };
        }
        const code = field(e.props, "code");
        if (isSet(code)) {
            const callbackFunction = handler === "__index.handler";
            return {
                kind: "inline",
                callbackFunction,
                detail: callbackFunction
                    ? `its code is an inline archive of a serialized closure (aws.lambda.CallbackFunction), which is never signed`
                    : `its code is an inline \`code\` archive uploaded as-is, which is not signed`,
            };
        }
        const keyDeps = this.deps(e.res, "s3Key");
        const jobs: SigningJobNode[] = [];
        this.jobsIn(keyDeps, jobs);
        const otherJobs: SigningJobNode[] = [];
        this.jobsIn(this.deps(e.res, "s3Bucket"), otherJobs);
        this.jobsIn(this.deps(e.res, "s3ObjectVersion"), otherJobs);
        if (jobs.length > 0) {
            for (const j of otherJobs) {
                if (!jobs.includes(j)) {
                    jobs.push(j);
                }
            }
            return this.signed(jobs);
        }
        const keyOther = keyDeps.filter(d => d.type !== SIGNING_JOB_TYPE);
        if (keyOther.length > 0) {
            return {
                kind: "plain-s3",
                detail: `its s3Key comes from ${Builder.depLabel(keyOther[0])}, not from a SigningJob's signed object`,
            };
        }
        const key = readString(e.props, "s3Key");
        if (typeof key === "string") {
            return {
                kind: "plain-s3",
                detail: `its s3Key ${describe(key)} is a literal object key, not a SigningJob's signed object`,
            };
        }
        if (key === UNKNOWN) {
            if (otherJobs.length > 0) {
                return this.signed(otherJobs);
            }
            return {
                kind: "unverifiable",
                reason: `its s3Key is unknown during preview and does not trace to a SigningJob in this stack`,
            };
        }
        if (key === null) {
            return { kind: "unverifiable", reason: `its s3Key has an unexpected type` };
        }
        if (packageType === "unknown" && isSet(field(e.props, "imageUri"))) {
            return { kind: "image" };
        }
        return {
            kind: "unverifiable",
            reason: `${what} has no code source (neither s3Bucket/s3Key nor code is set)`,
        };
    }

    /** aws-native Function (`code`) / LayerVersion (`content`). */
    private nativeCode(e: Entry, what: string, key: "code" | "content", packageType: PackageType | undefined): CodeSource {
        if (packageType === "Image") {
            return { kind: "image" };
        }
        const c = field(e.props, key);
        if (isRecord(c) && isSet(field(c, "zipFile"))) {
            return {
                kind: "inline",
                callbackFunction: false,
                detail: `its code is inline source (\`code.zipFile\`), which is not signed`,
            };
        }
        const deps = this.deps(e.res, key);
        const jobs: SigningJobNode[] = [];
        this.jobsIn(deps, jobs);
        if (jobs.length > 0) {
            return this.signed(jobs);
        }
        if (c === undefined || c === null) {
            return { kind: "unverifiable", reason: `${what} has no \`${key}\`` };
        }
        if (!isRecord(c)) {
            return {
                kind: "unverifiable",
                reason: `its \`${key}\` is ${isUnknownSentinel(c) ? "unknown during preview" : "not an object"} and does not trace to a SigningJob in this stack`,
            };
        }
        const other = deps.filter(d => d.type !== SIGNING_JOB_TYPE);
        if (other.length > 0) {
            return {
                kind: "plain-s3",
                detail: `its ${key}.s3Key comes from ${Builder.depLabel(other[0])}, not from a SigningJob's signed object`,
            };
        }
        const s3Key = readString(c, "s3Key");
        if (typeof s3Key === "string") {
            return {
                kind: "plain-s3",
                detail: `its ${key}.s3Key ${describe(s3Key)} is a literal object key, not a SigningJob's signed object`,
            };
        }
        if (s3Key === UNKNOWN || s3Key === null) {
            return {
                kind: "unverifiable",
                reason: `its ${key}.s3Key is ${s3Key === null ? "of an unexpected type" : "unknown during preview"} and does not trace to a SigningJob in this stack`,
            };
        }
        if (packageType === "unknown" && isSet(field(c, "imageUri"))) {
            return { kind: "image" };
        }
        return { kind: "unverifiable", reason: `${what} has no code source (${key}.s3Key is not set)` };
    }

    // --- layers -----------------------------------------------------------------------------------------------------

    private addLayer(e: Entry): LayerVersionNode {
        const flavor = flavorOf(e.res.type, LAYER_TYPES) ?? "classic";
        const code =
            flavor === "classic"
                ? this.classicCode(e, "the layer", undefined)
                : this.nativeCode(e, "the layer", "content", undefined);
        const arns: string[] = [];
        for (const k of flavor === "classic" ? ["arn", "layerArn"] : ["layerVersionArn", "arn"]) {
            const a = readString(e.props, k);
            if (typeof a === "string") {
                arns.push(a);
            }
        }
        const node: LayerVersionNode = { urn: e.res.urn, name: Builder.nameOf(e), type: e.res.type, flavor, code, arns };
        for (const a of arns) {
            this.layerByArn.set(a, node);
        }
        this.layers.set(node.urn, node);
        return node;
    }

    private functionLayers(e: Entry): LayerRef[] {
        const raw = field(e.props, "layers");
        const lvDeps: LayerVersionNode[] = [];
        for (const d of this.deps(e.res, "layers")) {
            const l = this.layers.get(d.urn);
            if (l) {
                lvDeps.push(l);
            }
        }
        const refs: LayerRef[] = [];
        const seen: LayerVersionNode[] = [];
        const addInStack = (l: LayerVersionNode) => {
            if (!seen.includes(l)) {
                seen.push(l);
                refs.push({ kind: "in-stack", layer: l });
            }
        };
        if (raw === undefined || raw === null) {
            lvDeps.forEach(addInStack);
            return refs;
        }
        if (!Array.isArray(raw)) {
            if (isUnknownSentinel(raw) && lvDeps.length > 0) {
                lvDeps.forEach(addInStack);
                return refs;
            }
            lvDeps.forEach(addInStack);
            refs.push({
                kind: "unverifiable",
                reason: isUnknownSentinel(raw)
                    ? `its layers list is unknown during preview and does not trace to any LayerVersion in this stack`
                    : `its layers value is not a list`,
            });
            return refs;
        }
        // Elements that come from in-stack LayerVersions: unknown ones (preview) and known ones equal to the arn of a
        // LayerVersion they also depend on (update). Both modes count the same elements for the same program, so a
        // layer listed twice, or an unknown ARN that no LayerVersion accounts for, is reported in both modes alike.
        let unknowns = 0;
        let fromStack = 0;
        for (const el of raw) {
            const s = asString(el);
            if (s === UNKNOWN) {
                unknowns++;
                fromStack++;
            } else if (typeof s === "string") {
                const l = this.layerByArn.get(s);
                if (l) {
                    addInStack(l);
                    if (lvDeps.includes(l)) {
                        fromStack++;
                    }
                } else {
                    refs.push({ kind: "external", arn: s });
                }
            } else {
                refs.push({ kind: "unverifiable", reason: `a layers element is ${describe(el)}, not a layer ARN` });
            }
        }
        lvDeps.forEach(addInStack);
        if (fromStack > lvDeps.length) {
            refs.push({
                kind: "unverifiable",
                reason:
                    lvDeps.length === 0
                        ? `${unknowns} of its layer ARNs ${unknowns === 1 ? "is" : "are"} unknown during preview and trace to no LayerVersion in this stack`
                        : `${fromStack} of its layer ARNs come from (or, unknown during preview, may come from) LayerVersions in this stack, ` +
                          `but they trace to only ${lvDeps.length} LayerVersion${lvDeps.length === 1 ? "" : "s"}: list each layer once and pass LayerVersion arns directly`,
            });
        }
        return refs;
    }

    // --- functions --------------------------------------------------------------------------------------------------

    private functionCsc(e: Entry): CscRef {
        const v = field(e.props, "codeSigningConfigArn");
        if (!isSet(v)) {
            return { kind: "missing" };
        }
        const inStack: CodeSigningConfigNode[] = [];
        for (const d of this.deps(e.res, "codeSigningConfigArn")) {
            const c = this.cscs.get(d.urn);
            if (c && !inStack.includes(c)) {
                inStack.push(c);
            }
        }
        if (inStack.length > 1) {
            return {
                kind: "unverifiable",
                reason: `its codeSigningConfigArn is computed from ${inStack.length} code signing configs (${inStack
                    .map(c => `"${c.name}"`)
                    .join(", ")}); pass exactly one CodeSigningConfig's arn`,
            };
        }
        let csc: CodeSigningConfigNode | undefined = inStack[0];
        const s = asString(v);
        if (!csc && typeof s === "string") {
            csc = this.cscByArn.get(s);
            if (!csc) {
                return { kind: "external", arn: s };
            }
        }
        if (csc) {
            return {
                kind: "in-stack",
                resource: csc,
                mode: csc.mode,
                publisherCount: csc.publisherCount,
                allowedProfiles: csc.allowedProfiles,
            };
        }
        return {
            kind: "unverifiable",
            reason:
                s === UNKNOWN
                    ? `its codeSigningConfigArn is unknown during preview and does not trace to a CodeSigningConfig in this stack`
                    : `its codeSigningConfigArn is ${describe(v)}, not an ARN`,
        };
    }

    private addFunction(e: Entry): FunctionNode {
        const flavor = flavorOf(e.res.type, FUNCTION_TYPES) ?? "classic";
        const pt = readString(e.props, "packageType");
        const packageType: PackageType =
            pt === undefined ? "Zip" : pt === "Image" ? "Image" : typeof pt === "string" ? "Zip" : "unknown";
        const h = readString(e.props, "handler");
        const handler = typeof h === "string" ? h : undefined;
        const code =
            flavor === "classic"
                ? this.classicCode(e, "the function", packageType, handler)
                : this.nativeCode(e, "the function", "code", packageType);
        const node: FunctionNode = {
            urn: e.res.urn,
            name: Builder.nameOf(e),
            type: e.res.type,
            flavor,
            packageType,
            csc: this.functionCsc(e),
            code,
            layers: packageType === "Image" ? [] : this.functionLayers(e),
        };
        if (handler !== undefined) {
            node.handler = handler;
        }
        const parent = e.res.parent;
        const parentUrn = typeof parent === "string" ? parent : parent && typeof parent.urn === "string" ? parent.urn : undefined;
        if (parentUrn !== undefined) {
            node.parentUrn = parentUrn;
        }
        return node;
    }
}

/** Builds the stack graph. Never throws on malformed input (nulls, wrong types, dangling/cyclic dependencies). */
export function buildStackGraph(resources: ReadonlyArray<GraphResource>): StackGraph {
    return new Builder(Array.isArray(resources) ? resources : []).build();
}

// ------------------------------------------------------------------------------------------------------------------
// Request-scoped cache.
//
// The policy server hands every stack policy its own `args.resources` (new PolicyResource objects per policy), but
// with the shared deserialization memo (sharedDeserialization.ts) every policy's `props` proxies wrap the SAME raw
// objects for the same AnalyzeStack request. We key the graph on the raw props object of the first resource and
// validate the hit against the raw props identity and URN of every resource, so a hit means "same request". Without
// the memo (in-process tests) each policy simply misses and rebuilds — correct, just slower. Entries die with the
// request's props (WeakMap).

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
            hit.samples.every(([i, id, urn], j) => samples[j] && samples[j][0] === i && samples[j][1] === id && samples[j][2] === urn)
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
