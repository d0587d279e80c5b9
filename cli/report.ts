import { EngineGap, Operation, RunResult } from "../engine/engine";
import { PolicyDescription, ResolvedPolicyConfig } from "../engine/policyConfig";
import { StackSource } from "../engine/program";
import { PolicyDiagnostic } from "../engine/types";
import { SourceFile } from "./locations";

/**
 * The `check --format json` document, described by cli/check-report.schema.json. Stable: fields are only ever
 * added; `version` changes only if a field's meaning changes.
 */
export interface CheckReport {
    version: 1;
    tool: { name: string; version: string };
    /** The program directory, relative to the working directory. */
    program: string;
    project: string;
    stack: string;
    organization: string;
    /** How the stack was chosen: --stack, the only Pulumi.<stack>.yaml, or the default "dev" without configuration. */
    stackSource: StackSource;
    mode: "preview" | "update";
    policyPack: { name: string; version: string };
    /** The --policy-pack-config file used, or null: only a file given on the command line ever applies. */
    policyConfig: string | null;
    /** Every policy of the pack with the enforcement level and configuration it ran with. */
    policies: PolicyState[];
    resources: ReportResource[];
    functions: FunctionSummary[];
    violations: ReportViolation[];
    coverage: Coverage;
    /** What the offline engine could not know (unanswered stack references, reads of existing resources). */
    gaps: ReportGap[];
}

export interface PolicyState {
    name: string;
    description?: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    properties: Record<string, unknown>;
}

export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** What `pulumi up` would do: create, update, replace or same. */
    plan: Operation;
    /** Where the program constructs it (the program's own source, nearest to the resource). */
    location?: SourceFile;
}

export type CodeStatus = "signed" | "inline" | "plain-s3" | "image" | "unverifiable";
export type CscStatus = "enforce" | "warn" | "missing" | "trusted-external" | "untrusted-external" | "unverifiable";
export type LayerStatus = "signed" | "trusted" | "unsigned" | "unverifiable";

export interface FunctionSummary {
    urn: string;
    name: string;
    type: string;
    code: { status: CodeStatus; signingProfile?: string; signingJob?: string; detail?: string };
    csc: { status: CscStatus; resource?: string; arn?: string; publishers?: number; detail?: string };
    layers: { ref: string; status: LayerStatus; signingProfile?: string; detail?: string }[];
}

export interface ReportViolation {
    policy: string;
    level: "mandatory" | "advisory";
    urn: string;
    message: string;
    /** The resource's type and name (the stack's, for stack-level findings outside the stack). */
    resource: { type: string; name: string };
    location?: SourceFile;
}

export interface ReportGap {
    kind: EngineGap["kind"];
    subject: string;
    urn?: string;
    /** How to close the gap. */
    hint: string;
}

export interface Coverage {
    functions: number;
    behindEnforceCsc: number;
    behindEnforceCscPercent: number;
    signedCode: number;
    signedCodePercent: number;
    unsignedLayers: number;
    mandatoryViolations: number;
    advisoryViolations: number;
}

function percent(part: number, whole: number): number {
    return whole === 0 ? 100 : Math.round((1000 * part) / whole) / 10;
}

export function coverageOf(functions: FunctionSummary[], violations: ReportViolation[]): Coverage {
    const behind = functions.filter((f) => f.csc.status === "enforce" || f.csc.status === "trusted-external").length;
    const signed = functions.filter((f) => f.code.status === "signed").length;
    const unsignedLayers = new Set(functions.flatMap((f) => f.layers.filter((l) => l.status === "unsigned" || l.status === "unverifiable").map((l) => l.ref))).size;
    return {
        functions: functions.length,
        behindEnforceCsc: behind,
        behindEnforceCscPercent: percent(behind, functions.length),
        signedCode: signed,
        signedCodePercent: percent(signed, functions.length),
        unsignedLayers,
        mandatoryViolations: violations.filter((v) => v.level === "mandatory").length,
        advisoryViolations: violations.filter((v) => v.level === "advisory").length,
    };
}

export function reportResources(run: RunResult, locations: Map<string, SourceFile>): ReportResource[] {
    return run.resources.map((r) => ({
        urn: r.urn, type: r.type, name: r.name, parent: r.parent, plan: run.operations[r.urn] ?? "create",
        ...(locations.has(r.urn) ? { location: locations.get(r.urn) } : {}),
    }));
}

export function gapHint(gap: EngineGap): string {
    switch (gap.kind) {
        case "stack-reference": return `the outputs of stack '${gap.subject}' are unknown offline: supply them with ${gap.option} FILE`;
        case "read": return `reading the existing resource ${gap.subject} needs the cloud: its outputs are unknown offline`;
        case "invoke": return `give the result of '${gap.subject}' with ${gap.option} FILE`;
        default: return `the offline check cannot call '${gap.subject}'`;
    }
}

/**
 * Violations in the engine's order, mandatory first, each with its resource, source location and, when the resource
 * depends on something the offline engine could not know, how to supply it.
 */
export function reportViolations(diagnostics: PolicyDiagnostic[], run: RunResult, gaps: EngineGap[], locations: Map<string, SourceFile>): ReportViolation[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const gapByUrn = new Map(gaps.filter((g) => g.urn).map((g) => [g.urn!, g]));
    const mandatoryFirst = [...diagnostics].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
    return mandatoryFirst.map((d) => {
        const res = byUrn.get(d.urn);
        const related = res ? [...res.dependencies, ...Object.values(res.propertyDependencies).flat()] : [];
        const hints = [...new Set(related.map((u) => gapByUrn.get(u)).filter((g): g is EngineGap => !!g).map(gapHint))];
        const message = hints.length > 0 ? `${d.message}\n${hints.map((h) => h[0].toUpperCase() + h.slice(1) + ".").join("\n")}` : d.message;
        return {
            policy: d.policy, level: d.level, urn: d.urn, message,
            resource: { type: res?.type ?? d.urn.split("::")[2]?.split("$").pop() ?? "", name: res?.name ?? d.urn.slice(d.urn.lastIndexOf("::") + 2) },
            ...(locations.has(d.urn) ? { location: locations.get(d.urn) } : {}),
        };
    });
}

export function policyStates(resolved: Record<string, ResolvedPolicyConfig>, descriptions: PolicyDescription[]): PolicyState[] {
    const description = new Map(descriptions.map((p) => [p.name, p.description]));
    return Object.entries(resolved).map(([name, c]) => ({
        name, ...(description.get(name) ? { description: description.get(name) } : {}), enforcementLevel: c.enforcementLevel, properties: c.properties,
    }));
}

export function reportGaps(gaps: EngineGap[]): ReportGap[] {
    const seen = new Set<string>();
    return gaps.filter((g) => g.kind === "stack-reference" || g.kind === "read")
        .filter((g) => !seen.has(`${g.kind}|${g.subject}`) && seen.add(`${g.kind}|${g.subject}`) !== undefined)
        .map((g) => ({ kind: g.kind, subject: g.subject, ...(g.urn ? { urn: g.urn } : {}), hint: gapHint(g) }));
}
