/**
 * Small helpers shared by the rules: violation shape, labels, fixes per flavor, config violations. No graph logic
 * here (stackGraph.ts).
 */
import type { ReportViolation } from "@pulumi/policy";
import { ConfigIssue, configViolationMessage } from "./config";
import type { Flavor, LayerVersionNode } from "./stackGraph";

export { cscLabel, functionLabel } from "./stackGraph";

/** A verdict of a rule: the message and the URN of the resource it concerns ("" = the stack as a whole). */
export interface Violation {
    urn: string;
    message: string;
}

export function reportAll(report: ReportViolation, violations: Violation[]): void {
    for (const v of violations) {
        v.urn ? report(v.message, v.urn) : report(v.message);
    }
}

/** Stack-level violations for a policy's invalid configuration. */
export function configViolations(policy: string, issues: ConfigIssue[]): Violation[] {
    return issues.map(issue => ({ urn: "", message: configViolationMessage(policy, issue) }));
}

export function layerLabel(l: Pick<LayerVersionNode, "name" | "urn" | "template">): string {
    return l.template ? `layer "${l.template.logicalId}" of CloudFormation stack "${l.template.stackName}"` : `layer "${l.name}" (${l.urn})`;
}

/** The CSC property holding the mode, per flavor. */
export function cscPoliciesPath(c: { flavor: Flavor }): string {
    return c.flavor === "native"
        ? "codeSigningPolicies.untrustedArtifactOnDeployment"
        : c.flavor === "cloudformation"
          ? "CodeSigningPolicies.UntrustedArtifactOnDeployment"
          : "policies.untrustedArtifactOnDeployment";
}

/** The function property naming its CSC, per flavor. */
export function cscProperty(fn: { flavor: Flavor }): string {
    return fn.flavor === "cloudformation" ? "CodeSigningConfigArn" : "codeSigningConfigArn";
}

/** Fix for unsigned/unverifiable function code, per flavor. */
export function signedCodeFix(fn: { flavor: Flavor }): string {
    switch (fn.flavor) {
        case "native":
            return `Deploy it with SignedFunction (lambda-code-signing) or point code.s3Bucket/code.s3Key at a SigningJob's signedObjects.`;
        case "cloudformation":
            return `Point Code.S3Bucket/Code.S3Key (SAM: CodeUri) at a SigningJob's signed object, passed in through the stack's parameters, or deploy the function with SignedFunction.`;
        default:
            return `Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`;
    }
}

export function signedLayerFix(l: { flavor: Flavor }): string {
    switch (l.flavor) {
        case "native":
            return `Deploy the layer with SignedLayer (lambda-code-signing) or point its content.s3Bucket/content.s3Key at a SigningJob's signedObjects.`;
        case "cloudformation":
            return `Point the layer's Content.S3Bucket/Content.S3Key (SAM: ContentUri) at a SigningJob's signed object, passed in through the stack's parameters, or deploy it with SignedLayer.`;
        default:
            return `Deploy the layer with SignedLayer (lambda-code-signing) or point its s3Bucket/s3Key at a SigningJob's signedObjects.`;
    }
}

/** Appended to unverifiable-code messages when artifacts signed outside the stack are trusted. */
export function signedArtifactHint(configured: boolean): string {
    return configured
        ? ` An artifact signed outside the stack is accepted only as literal bucket and key values that match trustedSignedArtifacts.`
        : "";
}
