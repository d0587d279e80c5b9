/**
 * Publisher identity. Lambda compares the signature's profile VERSION ARN with the code signing config's allowed
 * list ("Configuring code signing for Lambda": the signature must come from an allowed signing profile version), so a
 * publisher is identified by partition, Region, account, name and version:
 *  - two in-stack resources are the same publisher iff they are the same resource (URN or template id);
 *  - otherwise every part must be known on both sides and equal; a part that differs proves them different, and a
 *    part unknown on either side leaves them unproven, which never counts as allowed (fail closed).
 * An in-stack resource's Region is its `region` or its provider's; its partition follows from the Region.
 */
import { UNKNOWN, asString, describe, plain } from "../values";
import { GraphContext, sourceLabel } from "./context";
import type {
    AllowedPublisher,
    CodeSigningConfigNode,
    ProfileCandidate,
    PublisherIdentity,
    Reference,
    SigningProfileNode,
} from "./model";
import { CscSpec, JobSpec, ProfileSpec, alternativesOf } from "./specs";

type IdentityParts = Pick<PublisherIdentity, "partition" | "region" | "account" | "name" | "version">;

const SIGNER_ARN = /^arn:([^:]+):signer:([^:]*):([^:]*):\/signing-profiles\/([^/]+)(?:\/([^/]+))?$/;
const PARTS = ["partition", "region", "account", "name", "version"] as const;

function compact<T extends object>(o: T): T {
    for (const k of Object.keys(o) as Array<keyof T>) {
        if (o[k] === undefined || (o[k] as unknown) === "") {
            delete o[k];
        }
    }
    return o;
}

/** Parts of a signing profile (version) ARN, e.g. `arn:aws:signer:us-east-1:123456789012:/signing-profiles/app/v1`. */
export function parseSignerArn(arn: string): IdentityParts | undefined {
    const m = SIGNER_ARN.exec(arn);
    return m ? compact({ partition: m[1], region: m[2], account: m[3], name: m[4], version: m[5] }) : undefined;
}

export function profileNameFromArn(arn: string): string | undefined {
    return parseSignerArn(arn)?.name;
}

/** The AWS partition of a Region. */
export function partitionOf(region: string | undefined): string | undefined {
    if (!region) {
        return undefined;
    }
    const prefixes: Array<[string, string]> = [
        ["us-gov-", "aws-us-gov"], ["cn-", "aws-cn"], ["us-isob-", "aws-iso-b"], ["us-iso-", "aws-iso"],
        ["eu-isoe-", "aws-iso-e"], ["us-isof-", "aws-iso-f"],
    ];
    return prefixes.find(([p]) => region.startsWith(p))?.[1] ?? "aws";
}

export type PublisherMatch = "same" | "different" | "unproven";

export function comparePublishers(a: PublisherIdentity, b: PublisherIdentity): PublisherMatch {
    if (a.resource !== undefined && b.resource !== undefined) {
        return a.resource === b.resource ? "same" : "different";
    }
    let unknown = false;
    for (const part of PARTS) {
        const x = a[part];
        const y = b[part];
        if (x === undefined || y === undefined) {
            unknown = true;
        } else if (x !== y) {
            return "different";
        }
    }
    return unknown ? "unproven" : "same";
}

/** The identity a literal ARN names, labelled by the ARN itself. */
export function arnIdentity(arn: string): PublisherIdentity | undefined {
    const parts = parseSignerArn(arn);
    return parts ? { label: arn, ...parts } : undefined;
}

export function buildProfile(ctx: GraphContext, spec: ProfileSpec): SigningProfileNode {
    // Stryker disable next-line StringLiteral: any text that is no signer ARN parses to undefined, as "" does
    const fromArn = parseSignerArn(spec.known.versionArn ?? "") ?? parseSignerArn(spec.known.arn ?? "");
    const region = fromArn?.region ?? spec.region;
    const identity = compact<PublisherIdentity>({
        resource: spec.id,
        label: `SigningProfile "${spec.name}"${spec.region ? ` (${spec.region})` : ""}`,
        partition: fromArn?.partition ?? partitionOf(region),
        region,
        account: fromArn?.account,
        name: spec.known.name ?? fromArn?.name,
        // Stryker disable next-line StringLiteral: any text that is no signer ARN parses to undefined, as "" does
        version: spec.known.version ?? parseSignerArn(spec.known.versionArn ?? "")?.version,
    });
    const arns = [spec.known.versionArn, spec.known.arn].filter((a): a is string => typeof a === "string");
    const node: SigningProfileNode = { urn: spec.urn, name: spec.name, type: spec.type, flavor: spec.flavor, identity, arns };
    ctx.profiles.set(spec.id, node);
    for (const a of arns) {
        ctx.profileByArn.set(a, node);
    }
    if (identity.name !== undefined) {
        const list = ctx.profilesByName.get(identity.name);
        list ? list.push({ node, spec }) : ctx.profilesByName.set(identity.name, [{ node, spec }]);
    }
    return node;
}

const candidateKey = (c: ProfileCandidate): string => (c.kind === "profile" ? c.identity.resource ?? c.identity.label : `?${c.reason}`);

function pushCandidate(out: ProfileCandidate[], c: ProfileCandidate): void {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; nothing is in an empty list
    if (out.length === 0) {
        out.push(c);
        return;
    }
    const key = candidateKey(c);
    if (!out.some(x => candidateKey(x) === key)) {
        out.push(c);
    }
}

/** Every profile a signing job may sign with: its profileName's sources, plus what a known name names. */
export function jobProfiles(ctx: GraphContext, spec: JobSpec): ProfileCandidate[] {
    const out: ProfileCandidate[] = [];
    for (const c of ctx.classify(spec.profileName, ["profile"])) {
        // Stryker disable next-line ConditionalExpression: ctx.profiles holds only SigningProfile ids, so the lookup finds nothing for other kinds
        const p = c.kind === "profile" ? ctx.profiles.get(c.src.urn) : undefined;
        pushCandidate(out, p
            ? { kind: "profile", identity: p.identity }
            : { kind: "unidentifiable", reason: `its profileName derives from ${sourceLabel(c.src)}, which is not a SigningProfile of this stack` });
    }
    const v = asString(spec.profileName.value);
    if (typeof v === "string") {
        if (!out.some(c => c.kind === "profile" && c.identity.name === v)) {
            const { region, providerUrn } = spec.place();
            const named = ctx.profilesNamed(v, region, providerUrn);
            for (const p of named) {
                pushCandidate(out, { kind: "profile", identity: p.identity });
            }
            if (named.length === 0) {
                const identity = compact<PublisherIdentity>({
                    label: `profile "${v}"${region ? ` in ${region}` : ""}`,
                    partition: partitionOf(region),
                    region,
                    account: spec.owner,
                    name: v,
                    version: spec.profileVersion,
                });
                pushCandidate(out, { kind: "profile", identity });
            }
        }
    } else if (out.length === 0) {
        pushCandidate(out, {
            kind: "unidentifiable",
            reason: v === UNKNOWN
                ? `its profileName is unknown during preview and traces to no SigningProfile in this stack`
                : `its profileName is ${describe(spec.profileName.value)}`,
        });
    }
    return out;
}

function pushAllowed(out: AllowedPublisher[], entry: AllowedPublisher): void {
    const key = (e: AllowedPublisher) => e.identity.resource ?? e.identity.label;
    const existing = out.find(e => key(e) === key(entry));
    if (!existing) {
        out.push(entry);
    } else if (existing.ambiguous && !entry.ambiguous) {
        delete existing.ambiguous;
    }
}

function knownEntry(ctx: GraphContext, s: string): { identity: PublisherIdentity; node?: SigningProfileNode } | undefined {
    const node = ctx.profileByArn.get(s);
    if (node) {
        return { identity: node.identity, node };
    }
    const identity = arnIdentity(s);
    return identity ? { identity } : undefined;
}

/** Allowed publishers of a Pulumi CSC: known ARNs, plus the profiles its list derives from when each is accounted for. */
function listedPublishers(ctx: GraphContext, ref: Reference): { allowed: AllowedPublisher[]; count: number | "unknown" } {
    const allowed: AllowedPublisher[] = [];
    const sources = ctx.classify(ref, ["profile"]);
    const depProfiles = sources.map(c => ctx.profiles.get(c.src.urn)).filter((p): p is SigningProfileNode => !!p);
    const list = plain(ref.value);
    let count: number | "unknown";
    let fromStack = 0;
    if (list === undefined || list === null) {
        count = 0;
    } else if (!Array.isArray(list)) {
        count = "unknown";
    } else {
        count = list.length;
        for (const el of list) {
            const s = asString(plain(el));
            if (s === UNKNOWN) {
                fromStack++;
            } else if (typeof s === "string") {
                const entry = knownEntry(ctx, s);
                if (entry) {
                    pushAllowed(allowed, { identity: entry.identity });
                    fromStack += entry.node && depProfiles.includes(entry.node) ? 1 : 0;
                }
            }
        }
    }
    const ambiguous = count === "unknown"
        ? `its ${ref.path} list is computed as a whole, so it can't be told which signing profiles it lists`
        : fromStack < sources.length
          ? `${fromStack} element(s) of its ${ref.path} come from in-stack resources, but they derive from ${sources.length}, so it can't be told which signing profiles are listed`
          : undefined;
    for (const p of depProfiles) {
        pushAllowed(allowed, ambiguous ? { identity: p.identity, ambiguous } : { identity: p.identity });
    }
    return { allowed, count };
}

/** Allowed publishers of a template CSC: each element resolved on its own (a conditional element is ambiguous). */
function elementPublishers(ctx: GraphContext, elements: Reference[]): AllowedPublisher[] {
    const allowed: AllowedPublisher[] = [];
    elements.forEach((el, i) => {
        const ids: PublisherIdentity[] = [];
        for (const alt of alternativesOf(el)) {
            for (const c of ctx.classify(alt, ["profile"])) {
                const p = ctx.profiles.get(c.src.urn);
                if (p) {
                    ids.push(p.identity);
                }
            }
            const s = asString(alt.value);
            const entry = typeof s === "string" ? knownEntry(ctx, s) : undefined;
            if (entry) {
                ids.push(entry.identity);
            }
        }
        const ambiguous = ids.length > 1 ? `element ${i + 1} of ${el.path} may be any of ${ids.length} signing profiles` : undefined;
        ids.forEach(identity => pushAllowed(allowed, ambiguous ? { identity, ambiguous } : { identity }));
    });
    return allowed;
}

export function allowedPublishers(ctx: GraphContext, spec: CscSpec): { allowed: AllowedPublisher[]; count: number | "unknown" } {
    if (spec.publisherElements) {
        return { allowed: elementPublishers(ctx, spec.publisherElements), count: spec.publisherElements.length };
    }
    return listedPublishers(ctx, spec.publishers);
}

/** Whether a CSC provably allows a profile: some unambiguous entry is the same publisher. */
export function profileAllowed(csc: Pick<CodeSigningConfigNode, "allowed">, candidate: ProfileCandidate): boolean {
    return candidate.kind === "profile" &&
        csc.allowed.some(e => !e.ambiguous && comparePublishers(e.identity, candidate.identity) === "same");
}

export function candidateLabel(c: ProfileCandidate): string {
    return c.kind === "profile" ? c.identity.label : `an unidentifiable profile (${c.reason})`;
}

/** Human-readable description of the profiles a CSC allows. */
export function describeAllowed(csc: Pick<CodeSigningConfigNode, "allowed">): string {
    const labels = csc.allowed.map(e => (e.ambiguous ? `${e.identity.label} (not provably listed: ${e.ambiguous})` : e.identity.label));
    return labels.length > 0 ? labels.join(", ") : "no identifiable profile";
}
