/**
 * Small helpers shared by the rules: violation shape, labels, config sanitising. No graph logic here (stackGraph.ts).
 */
import type { ReportViolation } from "@pulumi/policy";
import type { CodeSigningConfigNode, FunctionNode, LayerVersionNode, SigningJobNode } from "./stackGraph";
import { stringList } from "./values";

/** A verdict of a rule: the message and the URN of the resource it concerns. */
export interface Violation {
    urn: string;
    message: string;
}

export function reportAll(report: ReportViolation, violations: Violation[]): void {
    for (const v of violations) {
        report(v.message, v.urn);
    }
}

export function functionLabel(fn: Pick<FunctionNode, "name" | "flavor">): string {
    return `Lambda function "${fn.name}"${fn.flavor === "native" ? " (aws-native)" : ""}`;
}

export function layerLabel(l: LayerVersionNode): string {
    return `layer "${l.name}" (${l.urn})`;
}

export function cscLabel(c: CodeSigningConfigNode): string {
    return `CodeSigningConfig "${c.name}"`;
}

export function jobLabel(j: SigningJobNode): string {
    return `SigningJob "${j.name}" (${j.profileLabel})`;
}

/** The CSC property holding the policies, per flavor. */
export function cscPoliciesPath(c: Pick<CodeSigningConfigNode, "flavor">): string {
    return c.flavor === "native"
        ? "codeSigningPolicies.untrustedArtifactOnDeployment"
        : "policies.untrustedArtifactOnDeployment";
}

/** Fix for unsigned/unverifiable function code, per flavor. */
export function signedCodeFix(fn: Pick<FunctionNode, "flavor">): string {
    return fn.flavor === "native"
        ? `Deploy it with SignedFunction (lambda-code-signing) or point code.s3Bucket/code.s3Key at a SigningJob's signedObjects.`
        : `Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`;
}

export function signedLayerFix(l: Pick<LayerVersionNode, "flavor">): string {
    return l.flavor === "native"
        ? `Deploy the layer with SignedLayer (lambda-code-signing) or point its content.s3Bucket/content.s3Key at a SigningJob's signedObjects.`
        : `Deploy the layer with SignedLayer (lambda-code-signing) or point its s3Bucket/s3Key at a SigningJob's signedObjects.`;
}

/** Config list with a default when absent or malformed (the CLI validates the schema, a direct call does not). */
export function configStrings(v: unknown, dflt: string[]): string[] {
    return Array.isArray(v) ? stringList(v) : dflt;
}

/** Safe `getConfig()`: never throws, always an object. */
export function safeConfig<T extends object>(getConfig: (() => T) | undefined): Partial<T> {
    try {
        const c = getConfig ? getConfig() : undefined;
        return c && typeof c === "object" ? c : {};
    } catch {
        return {};
    }
}
