import { RunResult } from "../engine/capture";
import { ResolvedPolicyConfig } from "../engine/policyConfig";
import { buildStackGraph, CodeSource, CscRef, FunctionNode, jobsNotAllowed, LayerRef, StackGraph } from "../policies/lib/stackGraph";
import { globMatch } from "../policies/lib/values";
import { TRUSTED_CODE_SIGNING_CONFIG_ARNS } from "../policies/rules/lambda-enforce-code-signing";
import { TRUSTED_LAYER_ARNS } from "../policies/rules/lambda-signed-layers";
import { FunctionSummary } from "./report";

interface Trust {
    cscArns: string[];
    layerGlobs: string[];
}

function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function profileLabel(graph: StackGraph, profile: { urn?: string; name?: string }): string | undefined {
    return profile.name ?? graph.signingProfiles.find((p) => p.urn === profile.urn)?.name;
}

function codeSummary(graph: StackGraph, code: CodeSource): FunctionSummary["code"] {
    switch (code.kind) {
        case "signed": return { status: "signed", signingProfile: profileLabel(graph, code.profile), signingJob: code.job.name };
        case "inline": return { status: "inline", detail: code.detail };
        case "plain-s3": return { status: "plain-s3", detail: code.detail };
        case "image": return { status: "image" };
        default: return { status: "unverifiable", detail: code.reason };
    }
}

function cscSummary(csc: CscRef, trust: Trust): FunctionSummary["csc"] {
    switch (csc.kind) {
        case "in-stack": {
            const base = { resource: csc.resource.name, publishers: csc.publisherCount === "unknown" ? undefined : csc.publisherCount };
            if (csc.mode === "Enforce") return { status: "enforce", ...base };
            if (csc.mode === "Warn") return { status: "warn", ...base };
            return { status: "unverifiable", ...base, detail: "its policy is not known" };
        }
        case "external":
            return { status: trust.cscArns.includes(csc.arn) ? "trusted-external" : "untrusted-external", arn: csc.arn };
        case "missing":
            return { status: "missing" };
        default:
            return { status: "unverifiable", detail: csc.reason };
    }
}

function layerSummary(graph: StackGraph, fn: FunctionNode, layer: LayerRef, trust: Trust): FunctionSummary["layers"][number] {
    if (layer.kind === "external") {
        return trust.layerGlobs.some((g) => globMatch(g, layer.arn))
            ? { ref: layer.arn, status: "trusted" }
            : { ref: layer.arn, status: "unsigned", detail: "given by ARN and not matched by trustedLayerArns" };
    }
    if (layer.kind === "unverifiable") {
        return { ref: "(unknown)", status: "unverifiable", detail: layer.reason };
    }
    const code = layer.layer.code;
    if (code.kind !== "signed") {
        const summary = codeSummary(graph, code);
        return { ref: layer.layer.name, status: code.kind === "unverifiable" ? "unverifiable" : "unsigned", detail: summary.detail ?? code.kind };
    }
    if (fn.csc.kind === "in-stack" && jobsNotAllowed(fn.csc.resource, code).length > 0) {
        return { ref: layer.layer.name, status: "unsigned", signingProfile: profileLabel(graph, code.profile), detail: "signed by a profile the function's CSC does not allow" };
    }
    return { ref: layer.layer.name, status: "signed", signingProfile: profileLabel(graph, code.profile) };
}

/** What each Lambda function runs and what guards it, from the same stack graph the policy pack walks. */
export function summarizeFunctions(run: RunResult, config: Record<string, ResolvedPolicyConfig>): FunctionSummary[] {
    const graph = buildStackGraph(run.resources.map((r) => ({
        type: r.type, urn: r.urn, name: r.name, props: r.outputs, propertyDependencies: r.propertyDependencies, parent: r.parent,
    })));
    const trust: Trust = {
        cscArns: strings(config["lambda-enforce-code-signing"]?.properties[TRUSTED_CODE_SIGNING_CONFIG_ARNS]),
        layerGlobs: strings(config["lambda-signed-layers"]?.properties[TRUSTED_LAYER_ARNS]),
    };
    return graph.functions.map((fn) => ({
        urn: fn.urn,
        name: fn.name,
        type: fn.type,
        code: codeSummary(graph, fn.code),
        csc: cscSummary(fn.csc, trust),
        layers: fn.layers.map((l) => layerSummary(graph, fn, l, trust)),
    }));
}
