/**
 * Code provenance: where a function's or layer's code comes from. Code is signed only when its key derives from a
 * SigningJob's signed objects (directly, or through ObjectCopy copies of them: a byte-identical copy keeps its
 * signature) and from nothing that is itself an unsigned object; its bucket and object version may also come from
 * buckets, never from an object the stack uploads. In update mode, known values must agree: a known key must lie under
 * the job's destination prefix (or be one of its signed objects) and a known bucket must be its destination bucket.
 * A known object outside the stack is a `location`, accepted when it matches trustedSignedArtifacts.
 */
import { UNKNOWN, asString, describe, isSet } from "../values";
import { GraphContext, sourceLabel } from "./context";
import type { CodeOrigin, CodeSource, Reference, SigningJobNode, SourceRef } from "./model";
import { CodeSpec, S3Spec, alternativesOf } from "./specs";
import { kindOf } from "./tokens";

const KEY_KINDS = ["job", "copy", "object", "bucket"] as const;

/** A value is literal when nothing in the stack computes it (a stack reference output is a known value). */
function literal(ref: Reference): boolean {
    return ref.sources.every(s => kindOf(s.type) === "reference");
}

function notSignedObject(ref: Reference, src: SourceRef, via = ""): CodeOrigin {
    return { kind: "unsigned", detail: `its ${ref.path}${via} comes from ${sourceLabel(src)}, not from a SigningJob's signed object` };
}

function jobOrigin(ctx: GraphContext, src: SourceRef, via: string[]): CodeOrigin {
    const job = ctx.jobs.get(src.urn);
    return job ? { kind: "job", job, via } : { kind: "unverifiable", reason: `SigningJob "${src.name}" could not be read` };
}

/** `bucket/key[?versionId=…]` (ObjectCopy `source`). */
export function parseCopySource(source: string): { bucket: string; key: string } | undefined {
    const path = source.replace(/^\//, "").split("?")[0];
    const i = path.indexOf("/");
    if (source.startsWith("arn:") || i <= 0 || i === path.length - 1) {
        return undefined;
    }
    let key = path.slice(i + 1);
    try {
        key = decodeURIComponent(key);
    } catch {
        // keep it as written
    }
    return { bucket: path.slice(0, i), key };
}

function underJob(job: SigningJobNode, bucket: string | undefined, key: string): boolean {
    const prefix = job.destination.prefix;
    const keyFits = job.signedKeys.includes(key) || prefix === undefined || key.startsWith(prefix);
    const bucketFits = bucket === undefined || job.destination.bucket === undefined || job.destination.bucket === bucket;
    return keyFits && bucketFits;
}

function jobsLabel(jobs: SigningJobNode[]): string {
    return jobs
        .map(j => `SigningJob "${j.name}"${j.destination.prefix !== undefined ? ` (${j.destination.bucket !== undefined ? `s3://${j.destination.bucket}/` : ""}${j.destination.prefix})` : ""}`)
        .join(" or ");
}

/** Origins of an ObjectCopy: the copy's `source` traced like a key (shared: bucket sources are neutral). */
function copyOrigins(ctx: GraphContext, src: SourceRef, via: string[], visited: Set<string>): CodeOrigin[] {
    const spec = ctx.copies.get(src.urn);
    if (!spec) {
        return [{ kind: "unverifiable", reason: `its code comes from ObjectCopy "${src.name}", which could not be read` }];
    }
    if (visited.has(spec.id)) {
        return [{ kind: "unverifiable", reason: `its ObjectCopy chain through "${spec.name}" forms a cycle` }];
    }
    visited.add(spec.id);
    const chain = [...via, `ObjectCopy "${spec.name}"`];
    const out: CodeOrigin[] = [];
    for (const c of ctx.classify(spec.source, KEY_KINDS)) {
        if (c.kind === "job") {
            out.push(jobOrigin(ctx, c.src, chain));
        } else if (c.kind === "copy") {
            out.push(...copyOrigins(ctx, c.src, chain, visited));
        } else if (c.kind === "object") {
            out.push(notSignedObject(spec.source, c.src, ` of ObjectCopy "${spec.name}"`));
        }
    }
    const source = asString(spec.source.value);
    const parsed = typeof source === "string" ? parseCopySource(source) : undefined;
    const jobs = out.filter((o): o is Extract<CodeOrigin, { kind: "job" }> => o.kind === "job" && o.via.length === chain.length).map(o => o.job);
    if (parsed && jobs.length > 0 && !jobs.some(j => underJob(j, parsed.bucket, parsed.key))) {
        out.push({ kind: "unsigned", detail: `ObjectCopy "${spec.name}" copies ${describe(source)}, which is not the signed object of ${jobsLabel(jobs)}` });
    }
    if (out.length === 0) {
        out.push(parsed
            ? { kind: "location", bucket: literal(spec.source) ? parsed.bucket : undefined, key: parsed.key, path: `source of ObjectCopy "${spec.name}"`, via: chain }
            : { kind: "unverifiable", reason: `ObjectCopy "${spec.name}"'s source is ${source === UNKNOWN ? "unknown during preview and traces to no SigningJob in this stack" : `${describe(spec.source.value)}, not bucket/key`}` });
    }
    return out;
}

/** Origins of one alternative of the key. */
function keyOrigins(ctx: GraphContext, key: Reference, s3: S3Spec): CodeOrigin[] {
    const out: CodeOrigin[] = [];
    const keyValue = asString(key.value);
    for (const c of ctx.classify(key, KEY_KINDS)) {
        if (c.kind === "job") {
            out.push(jobOrigin(ctx, c.src, []));
        } else if (c.kind === "copy") {
            out.push(...copyOrigins(ctx, c.src, [], new Set()));
            const copy = ctx.copies.get(c.src.urn);
            if (copy?.key !== undefined && typeof keyValue === "string" && keyValue !== copy.key) {
                out.push({ kind: "unsigned", detail: `its ${key.path} ${describe(keyValue)} is not the object ObjectCopy "${copy.name}" writes (${describe(copy.key)})` });
            }
        } else if (c.kind !== "bucket" || !key.shared) {
            out.push(notSignedObject(key, c.src));
        }
    }
    if (out.length > 0) {
        return out;
    }
    if (typeof keyValue === "string") {
        const bucket = asString(s3.bucket.value);
        return [{ kind: "location", bucket: typeof bucket === "string" && literal(s3.bucket) ? bucket : undefined, key: keyValue, path: key.path, via: [] }];
    }
    return [{
        kind: "unverifiable",
        reason: keyValue === UNKNOWN
            ? `its ${key.path} is unknown during preview and does not trace to a SigningJob in this stack`
            : `its ${key.path} is ${describe(key.value)}, not an object key`,
    }];
}

/** Findings about where the bucket and object version come from (they may never come from an unsigned object). */
function containerOrigins(ctx: GraphContext, ref: Reference): CodeOrigin[] {
    if (ref.shared) {
        return [];
    }
    const out: CodeOrigin[] = [];
    for (const alt of alternativesOf(ref)) {
        for (const c of ctx.classify(alt, KEY_KINDS)) {
            if (c.kind === "object") {
                out.push({ kind: "unsigned", detail: `its ${alt.path} comes from ${sourceLabel(c.src)}, an object this stack writes itself, not a SigningJob's signed object` });
            } else if (c.kind !== "job" && c.kind !== "copy" && c.kind !== "bucket") {
                out.push({ kind: "unverifiable", reason: `its ${alt.path} comes from ${sourceLabel(c.src)}, which is neither a SigningJob, an ObjectCopy nor a bucket` });
            }
        }
    }
    return out;
}

/** Update mode: known key and bucket must be the output of the jobs the key derives from. */
function knownValueOrigins(origins: CodeOrigin[], s3: S3Spec): CodeOrigin[] {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; with neither value a string, the checks below find nothing either
    if (typeof s3.key.value !== "string" && typeof s3.bucket.value !== "string") {
        return [];
    }
    const jobs = origins.filter((o): o is Extract<CodeOrigin, { kind: "job" }> => o.kind === "job" && o.via.length === 0).map(o => o.job);
    if (jobs.length === 0) {
        return [];
    }
    const key = asString(s3.key.value);
    const bucket = asString(s3.bucket.value);
    const out: CodeOrigin[] = [];
    if (typeof key === "string" && !jobs.some(j => underJob(j, undefined, key))) {
        out.push({ kind: "unsigned", detail: `its ${s3.key.path} ${describe(key)} is not under the destination prefix of ${jobsLabel(jobs)}, so it is not a signed object of that job` });
    }
    if (typeof bucket === "string" && !jobs.some(j => j.destination.bucket === undefined || j.destination.bucket === bucket)) {
        out.push({ kind: "unsigned", detail: `its ${s3.bucket.path} ${describe(bucket)} is not the destination bucket of ${jobsLabel(jobs)}` });
    }
    return out;
}

function dedupe(origins: CodeOrigin[]): CodeOrigin[] {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut; filtering fewer than two origins keeps them all
    if (origins.length < 2) {
        return origins;
    }
    const seen = new Set<string>();
    return origins.filter(o => {
        const k = o.kind === "job" ? `job|${o.job.urn}#${o.job.name}|${o.via.join(">")}` : JSON.stringify(o);
        return seen.has(k) ? false : (seen.add(k), true);
    });
}

export function s3Origins(ctx: GraphContext, s3: S3Spec): CodeOrigin[] {
    const origins: CodeOrigin[] = [];
    for (const alt of alternativesOf(s3.key)) {
        origins.push(...keyOrigins(ctx, alt, s3));
    }
    origins.push(...containerOrigins(ctx, s3.bucket), ...containerOrigins(ctx, s3.version), ...knownValueOrigins(origins, s3));
    return dedupe(origins);
}

export function codeSource(ctx: GraphContext, code: CodeSpec): CodeSource {
    if (code.packageType === "Image") {
        return { kind: "image" };
    }
    if (code.inline) {
        return { kind: "inline", ...code.inline };
    }
    if (code.unverifiable) {
        return { kind: "unverifiable", reason: code.unverifiable };
    }
    const key = code.s3.key;
    if (!isSet(key.value) && !key.alternatives) { // absent, whatever it was computed from
        return code.packageType === "unknown" && code.image ? { kind: "image" } : { kind: "unverifiable", reason: code.noSource };
    }
    return { kind: "s3", origins: s3Origins(ctx, code.s3) };
}
