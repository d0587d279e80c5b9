/**
 * The pack's questions about a function, answered once for the rules and the `check` CLI. Every answer applies the
 * all-candidates rule: a reference is compliant iff each of its candidates is, and each finding names the candidate
 * that fails.
 */
import { ArtifactTrust, artifactTrusted } from "../config";
import type { CodeOrigin, CodeSigningConfigNode, CodeSource, CscRef, FunctionNode, SigningJobNode } from "./model";
import { candidateLabel, describeAllowed, profileAllowed } from "./publishers";

export interface CodeFinding {
    kind: "unsigned" | "unverifiable" | "not-allowed";
    /** A sentence fragment about the code, e.g. `its code is an inline archive …`. */
    text: string;
    job?: SigningJobNode;
    csc?: CodeSigningConfigNode;
}

/** The code signing configs of this stack a function may be attached to (publisher checks apply to these). */
export function inStackCscs(csc: CscRef): CodeSigningConfigNode[] {
    return csc.kind === "referenced" ? csc.candidates.flatMap(c => (c.kind === "in-stack" ? [c.csc] : [])) : [];
}

export function cscLabel(c: Pick<CodeSigningConfigNode, "name" | "flavor">): string {
    return c.flavor === "cloudformation" ? `CodeSigningConfig "${c.name}" (CloudFormation)` : `CodeSigningConfig "${c.name}"`;
}

function via(o: { via: string[] }): string {
    return o.via.length > 0 ? ` (copied by ${o.via.join(" from ")})` : "";
}

function jobFindings(o: Extract<CodeOrigin, { kind: "job" }>, cscs: CodeSigningConfigNode[]): CodeFinding[] {
    const out: CodeFinding[] = [];
    for (const csc of cscs) {
        for (const p of o.job.profiles) {
            if (!profileAllowed(csc, p)) {
                out.push({
                    kind: "not-allowed",
                    job: o.job,
                    csc,
                    text: `its code is signed by SigningJob "${o.job.name}"${via(o)} with ${candidateLabel(p)}, which ${cscLabel(csc)} ` +
                        `does not provably allow (allowed: ${describeAllowed(csc)})`,
                });
            }
        }
    }
    return out;
}

function locationFinding(o: Extract<CodeOrigin, { kind: "location" }>, artifacts: readonly ArtifactTrust[]): CodeFinding | undefined {
    if (o.bucket !== undefined && artifactTrusted(artifacts, o.bucket, o.key)) {
        return undefined;
    }
    if (o.bucket === undefined && artifacts.length > 0) {
        return {
            kind: "unverifiable",
            text: `its ${o.path} ${JSON.stringify(o.key)}${via(o)} is a literal key, but its bucket is not a literal, so it can't be ` +
                `matched against trustedSignedArtifacts; pass the bucket name as a literal string`,
        };
    }
    return { // with trustedSignedArtifacts set, the bucket is known here (an unknown one returned above)
        kind: "unsigned",
        text: `its ${o.path} ${JSON.stringify(o.key)}${via(o)} is a literal object key, not a SigningJob's signed object` +
            (artifacts.length > 0 ? ` and s3://${o.bucket}/${o.key} matches no trustedSignedArtifacts pattern` : ""),
    };
}

/** What keeps a function's or layer's code from being signed by a publisher its in-stack CSCs allow. */
export function codeFindings(code: CodeSource, cscs: CodeSigningConfigNode[], artifacts: readonly ArtifactTrust[]): CodeFinding[] {
    switch (code.kind) {
        case "image":
            return [];
        case "inline":
            return [{ kind: "unsigned", text: code.detail }];
        case "unverifiable":
            return [{ kind: "unverifiable", text: `can't verify that its code is signed: ${code.reason}` }];
    }
    const out: CodeFinding[] = [];
    for (const o of code.origins) {
        if (o.kind === "job") {
            out.push(...jobFindings(o, cscs));
        } else if (o.kind === "unsigned") {
            out.push({ kind: "unsigned", text: o.detail });
        } else if (o.kind === "location") {
            const f = locationFinding(o, artifacts);
            if (f) {
                out.push(f);
            }
        } else {
            out.push({ kind: "unverifiable", text: `can't verify that its code is signed: ${o.reason}` });
        }
    }
    const seen = new Set<string>();
    return out.filter(f => (seen.has(f.text) ? false : (seen.add(f.text), true)));
}

/** The signing jobs a function's code (or a layer's) may come from. */
export function codeJobs(code: CodeSource): SigningJobNode[] {
    const jobs: SigningJobNode[] = [];
    if (code.kind === "s3") {
        for (const o of code.origins) {
            if (o.kind === "job" && !jobs.includes(o.job)) {
                jobs.push(o.job);
            }
        }
    }
    return jobs;
}

/** The signing jobs of `code` whose profiles a CSC does not provably allow (every job, every candidate profile). */
export function jobsNotAllowed(csc: CodeSigningConfigNode, code: CodeSource): SigningJobNode[] {
    return codeJobs(code).filter(j => j.profiles.some(p => !profileAllowed(csc, p)));
}

export function functionLabel(fn: Pick<FunctionNode, "name" | "flavor" | "template">): string {
    if (fn.template) {
        return `Lambda function "${fn.template.logicalId}" of CloudFormation stack "${fn.template.stackName}"`;
    }
    return `Lambda function "${fn.name}"${fn.flavor === "native" ? " (aws-native)" : ""}`;
}
