import { Operation, RunResult } from "../engine/capture";
import { PolicyDiagnostic } from "../engine/types";

/**
 * The `check --json` document. Stable: fields are only ever added.
 * `version` changes only if a field's meaning changes.
 */
export interface CheckReport {
    version: 1;
    program: string;
    project: string;
    stack: string;
    mode: "preview" | "update";
    policyPack: { name: string; version: string };
    resources: ReportResource[];
    functions: FunctionSummary[];
    violations: ReportViolation[];
    coverage: Coverage;
}

export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** What `pulumi up` would do: create, update, replace or same. */
    plan: Operation;
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

export function reportResources(run: RunResult): ReportResource[] {
    return run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, plan: run.operations[r.urn] ?? "create" }));
}

export function reportViolations(diagnostics: PolicyDiagnostic[]): ReportViolation[] {
    const mandatoryFirst = [...diagnostics].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
    return mandatoryFirst.map((d) => ({ policy: d.policy, level: d.level, urn: d.urn, message: d.message }));
}
