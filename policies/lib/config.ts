/**
 * Strict policy configuration. The CLI validates `--policy-pack-config` against each policy's schema, but a policy
 * also runs with configs the engine never checked (an org pack composing these policies, `initialConfig`, the Pulumi
 * Cloud policy group UI), so every policy checks its own: a value outside the schema, an unknown property, or a trust
 * pattern that would trust every account is reported as a violation naming the policy, the property and the fix, and
 * the policy falls back to its most restrictive setting for it (fail closed) — never to the most permissive.
 */
import { globMatch } from "./values";

/** What a config entry parser returns for an invalid entry. */
export interface ConfigProblem {
    problem: string;
}

const isProblem = (v: unknown): v is ConfigProblem =>
    v !== null && typeof v === "object" && typeof (v as { problem?: unknown }).problem === "string";

export interface ConfigIssue {
    property: string;
    problem: string;
    fix: string;
}

/** Safe `getConfig()`: never throws; `undefined` when there is nothing (the policy's defaults apply). */
export function safeConfig(getConfig: (() => unknown) | undefined): unknown {
    try {
        return getConfig ? getConfig() : undefined;
    } catch {
        // getConfig() threw: treated as no config, so the policy's defaults apply (as documented above).
    }
    return undefined;
}

export function configViolationMessage(policy: string, issue: ConfigIssue): string {
    return (
        `Invalid configuration of policy "${policy}": ${issue.property} ${issue.problem}. ${issue.fix} ` +
        `Until the configuration is fixed, "${policy}" applies its most restrictive setting for ${issue.property}.`
    );
}

/** Reads one policy's config object property by property, recording every deviation from the schema. */
export class PolicyConfigReader {
    readonly issues: ConfigIssue[] = [];
    private readonly values: Record<string, unknown>;

    constructor(raw: unknown, private readonly known: readonly string[]) {
        if (raw === undefined || raw === null) {
            this.values = {};
            return;
        }
        if (typeof raw !== "object" || Array.isArray(raw)) {
            this.values = {};
            this.issues.push({ property: "(the policy's config)", problem: "is not an object", fix: "Give the policy an object of properties." });
            return;
        }
        this.values = raw as Record<string, unknown>;
        for (const key of Object.keys(this.values)) {
            if (!known.includes(key) && key !== "enforcementLevel") {
                this.issues.push({
                    property: key,
                    problem: "is not a property of this policy",
                    fix: known.length > 0 ? `Remove it, or use one of: ${known.join(", ")}.` : "Remove it: this policy has no properties besides enforcementLevel.",
                });
            }
        }
    }

    private has(property: string): boolean {
        return Object.prototype.hasOwnProperty.call(this.values, property) && this.values[property] !== undefined;
    }

    /** A string list; each entry is parsed by `parse` and kept only if valid (an invalid entry is dropped and reported). */
    strings<T>(property: string, dflt: string[], parse: (s: string) => T | ConfigProblem, fix: string): T[] {
        const v = this.has(property) ? this.values[property] : dflt;
        if (!Array.isArray(v)) {
            this.issues.push({ property, problem: `is ${describeConfig(v)}, not a list of strings`, fix });
            return [];
        }
        const out: T[] = [];
        for (const entry of v) {
            if (typeof entry !== "string" || entry === "") {
                this.issues.push({ property, problem: `has the entry ${describeConfig(entry)}, not a non-empty string`, fix });
                continue;
            }
            const parsed = parse(entry);
            if (isProblem(parsed)) {
                this.issues.push({ property, problem: `entry ${JSON.stringify(entry)} ${parsed.problem}`, fix });
            } else {
                out.push(parsed);
            }
        }
        return out;
    }

    oneOf<T extends string>(property: string, allowed: readonly T[], dflt: T, strictest: T): T {
        const v = this.has(property) ? this.values[property] : dflt;
        if (typeof v === "string" && (allowed as readonly string[]).includes(v)) {
            return v as T;
        }
        this.issues.push({ property, problem: `is ${describeConfig(v)}`, fix: `Set it to one of ${allowed.map(a => JSON.stringify(a)).join(", ")} (exact spelling).` });
        return strictest;
    }

    integer(property: string, min: number, max: number, dflt: number, strictest: number): number {
        const v = this.has(property) ? this.values[property] : dflt;
        if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) {
            return v;
        }
        this.issues.push({ property, problem: `is ${describeConfig(v)}`, fix: `Set it to an integer from ${min} to ${max} (a number, not a string).` });
        return strictest;
    }
}

function describeConfig(v: unknown): string {
    if (typeof v === "string") {
        return `the string ${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)}`;
    }
    return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : String(v);
}

// ------------------------------------------------------------------------------------------------------------------
// Trust patterns.

const CSC_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:code-signing-config:csc-[a-z0-9]+$/;

export function parseCscArn(s: string): string | ConfigProblem {
    return CSC_ARN.test(s) ? s : { problem: `is not a code signing config ARN (arn:aws:lambda:<region>:<account>:code-signing-config:csc-…)` };
}

export interface LayerTrust {
    pattern: string;
    account: string;
}

const LAYER_PATTERN = /^arn:[^:]*:lambda:[^:]*:([^:]*):layer:.+$/;

/** A layer ARN glob with a literal account: `*` elsewhere is fine, an account wildcard would trust every account. */
export function parseLayerPattern(s: string): LayerTrust | ConfigProblem {
    const m = LAYER_PATTERN.exec(s);
    if (!m) {
        return { problem: `is not a Lambda layer ARN pattern (arn:<partition>:lambda:<region>:<account>:layer:<name>[:<version>])` };
    }
    if (!/^\d{12}$/.test(m[1])) {
        return { problem: `has no literal 12-digit account ID, so it would trust layers published by any account` };
    }
    return { pattern: s, account: m[1] };
}

export function layerTrusted(trust: readonly LayerTrust[], arn: string): boolean {
    return trust.some(t => globMatch(t.pattern, arn) && arn.split(":")[4] === t.account);
}

export interface ArtifactTrust {
    pattern: string;
    bucket: string;
    keyGlob: string;
}

/** `s3://<literal bucket>/<key glob>`: one bucket, named exactly; `*` in the key matches any run of characters. */
export function parseArtifactPattern(s: string): ArtifactTrust | ConfigProblem {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(s);
    if (!m) {
        return { problem: `is not s3://<bucket>/<key pattern>` };
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) {
        return { problem: `does not name one bucket literally (a bucket name without wildcards is required)` };
    }
    return { pattern: s, bucket: m[1], keyGlob: m[2] };
}

export function artifactTrusted(trust: readonly ArtifactTrust[], bucket: string, key: string): boolean {
    return trust.some(t => t.bucket === bucket && globMatch(t.keyGlob, key));
}

export const TRUSTED_SIGNED_ARTIFACTS = "trustedSignedArtifacts";

export const TRUSTED_SIGNED_ARTIFACTS_SCHEMA = {
    type: "array" as const,
    items: { type: "string" as const },
    default: [] as string[],
    description:
        "Locations s3://<bucket>/<key glob> of objects signed outside this stack (e.g. by a separate CI signing job) that are accepted as signed code. The bucket must be named literally; the deployed bucket and key must be known literal values that match.",
};

export function readSignedArtifacts(reader: PolicyConfigReader): ArtifactTrust[] {
    return reader.strings(TRUSTED_SIGNED_ARTIFACTS, [], parseArtifactPattern,
        `List entries like "s3://my-signed-artifacts/releases/*.zip" (a literal bucket name, a key pattern).`);
}
