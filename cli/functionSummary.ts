import { RunResult } from "../engine/capture";
import { ResolvedPolicyConfig } from "../engine/policyConfig";
import { ArtifactTrust, LayerTrust, layerTrusted } from "../policies/lib/config";
import {
    buildStackGraph, candidateLabel, CodeSigningConfigNode, codeFindings, codeJobs, CodeSource, CscCandidate, CscRef, FunctionNode,
    inStackCscs, LayerRef, StackGraph,
} from "../policies/lib/stackGraph";
import { readEnforceCodeSigningConfig } from "../policies/rules/lambda-enforce-code-signing";
import { readSignedCodeConfig } from "../policies/rules/lambda-signed-code";
import { readSignedLayersConfig } from "../policies/rules/lambda-signed-layers";
import { FunctionSummary } from "./report";

interface Trust {
    cscArns: string[];
    layerGlobs: LayerTrust[];
    layerArtifacts: ArtifactTrust[];
    codeArtifacts: ArtifactTrust[];
}

function profileLabel(code: CodeSource): string | undefined {
    const p = codeJobs(code)[0]?.profiles[0];
    return p ? (p.kind === "profile" ? p.identity.name ?? candidateLabel(p) : candidateLabel(p)) : undefined;
}

function codeSummary(code: CodeSource, cscs: CodeSigningConfigNode[], artifacts: ArtifactTrust[]): FunctionSummary["code"] {
    switch (code.kind) {
        case "inline": return { status: "inline", detail: code.detail };
        case "image": return { status: "image" };
        case "unverifiable": return { status: "unverifiable", detail: code.reason };
    }
    const findings = codeFindings(code, cscs, artifacts).filter((f) => f.kind !== "not-allowed");
    const unsigned = findings.find((f) => f.kind === "unsigned");
    if (unsigned) return { status: "plain-s3", detail: unsigned.text };
    if (findings.length > 0) return { status: "unverifiable", detail: findings[0].text };
    const job = codeJobs(code)[0];
    return job ? { status: "signed", signingProfile: profileLabel(code), signingJob: job.name } : { status: "signed", detail: "signed outside the stack (trustedSignedArtifacts)" };
}

function candidateSummary(c: CscCandidate, trust: Trust): FunctionSummary["csc"] {
    switch (c.kind) {
        case "in-stack": {
            const base = { resource: c.csc.name, publishers: c.csc.publisherCount === "unknown" ? undefined : c.csc.publisherCount };
            if (c.csc.mode === "Enforce") return { status: "enforce", ...base };
            if (c.csc.mode === "Warn") return { status: "warn", ...base };
            return { status: "unverifiable", ...base, detail: "its policy is not known" };
        }
        case "external":
            return { status: trust.cscArns.includes(c.arn) ? "trusted-external" : "untrusted-external", arn: c.arn };
        default:
            return { status: "unverifiable", detail: c.reason };
    }
}

/** One status for all candidates of the reference: the first that fails, else the first. */
function cscSummary(csc: CscRef, trust: Trust): FunctionSummary["csc"] {
    if (csc.kind === "missing" || csc.candidates.length === 0) {
        return { status: "missing" };
    }
    const all = csc.candidates.map((c) => candidateSummary(c, trust));
    return all.find((s) => s.status !== "enforce" && s.status !== "trusted-external") ?? all[0];
}

function layerSummary(fn: FunctionNode, layer: LayerRef, trust: Trust): FunctionSummary["layers"][number] {
    if (layer.kind === "external") {
        return layerTrusted(trust.layerGlobs, layer.arn)
            ? { ref: layer.arn, status: "trusted" }
            : { ref: layer.arn, status: "unsigned", detail: "given by ARN and not matched by trustedLayerArns" };
    }
    if (layer.kind === "unverifiable") {
        return { ref: "(unknown)", status: "unverifiable", detail: layer.reason };
    }
    const code = layer.layer.code;
    const summary = codeSummary(code, [], trust.layerArtifacts);
    if (summary.status !== "signed") {
        return { ref: layer.layer.name, status: summary.status === "unverifiable" ? "unverifiable" : "unsigned", detail: summary.detail ?? code.kind };
    }
    if (codeFindings(code, inStackCscs(fn.csc), trust.layerArtifacts).some((f) => f.kind === "not-allowed")) {
        return { ref: layer.layer.name, status: "unsigned", signingProfile: summary.signingProfile, detail: "signed by a profile the function's CSC does not allow" };
    }
    return { ref: layer.layer.name, status: "signed", signingProfile: summary.signingProfile };
}

/** What each Lambda function runs and what guards it, from the same stack graph the policy pack walks. */
export function summarizeFunctions(run: RunResult, config: Record<string, ResolvedPolicyConfig>): FunctionSummary[] {
    const graph: StackGraph = buildStackGraph(run.resources.map((r) => ({
        type: r.type, urn: r.urn, name: r.name, props: r.outputs, propertyDependencies: r.propertyDependencies, parent: r.parent, provider: r.provider,
    })));
    const layers = readSignedLayersConfig(config["lambda-signed-layers"]?.properties);
    const trust: Trust = {
        cscArns: readEnforceCodeSigningConfig(config["lambda-enforce-code-signing"]?.properties).trusted,
        layerGlobs: layers.layers,
        layerArtifacts: layers.artifacts,
        codeArtifacts: readSignedCodeConfig(config["lambda-signed-code"]?.properties).artifacts,
    };
    return graph.functions.map((fn) => ({
        urn: fn.urn,
        name: fn.name,
        type: fn.type,
        code: codeSummary(fn.code, inStackCscs(fn.csc), trust.codeArtifacts),
        csc: cscSummary(fn.csc, trust),
        layers: fn.layers.map((l) => layerSummary(fn, l, trust)),
    }));
}
