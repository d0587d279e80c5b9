/**
 * lambda-csc-enforce-mode — code signing configs must enforce; at enforcement level "remediate" the pack rewrites
 * them to Enforce.
 *
 * Resource policy on `aws:lambda/codeSigningConfig:CodeSigningConfig` (`policies`) and
 * `aws-native:lambda:CodeSigningConfig` (`codeSigningPolicies`). A CSC without the policies block is Warn in AWS.
 * Validation and remediation share one classification (`cscModeOf`).
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CSC_TYPES } from "../lib/stackGraph";
import { UNKNOWN, field, isRecord, plain, rawProps, readString } from "../lib/values";

export const LAMBDA_CSC_ENFORCE_MODE = "lambda-csc-enforce-mode";

type CscFlavor = "classic" | "native";

function flavorOf(type: string): CscFlavor | undefined {
    return type === CSC_TYPES.classic ? "classic" : type === CSC_TYPES.native ? "native" : undefined;
}

function policiesKey(flavor: CscFlavor): "policies" | "codeSigningPolicies" {
    return flavor === "classic" ? "policies" : "codeSigningPolicies";
}

/** Mode of a CSC's raw or proxied props: what it enforces, and why. */
export function cscModeOf(
    flavor: CscFlavor,
    props: unknown,
): { mode: "Enforce" | "Warn" | "unknown"; why: string } {
    const key = policiesKey(flavor);
    const pol = field(rawProps(props), key);
    if (pol === undefined || pol === null) {
        return { mode: "Warn", why: `has no ${key} (AWS then defaults untrustedArtifactOnDeployment to Warn)` };
    }
    if (!isRecord(pol)) {
        return { mode: "unknown", why: `has ${key} that is unknown during preview or not an object` };
    }
    const u = readString(pol, "untrustedArtifactOnDeployment");
    if (u === "Enforce") {
        return { mode: "Enforce", why: "enforces" };
    }
    if (u === undefined) {
        return { mode: "Warn", why: `does not set ${key}.untrustedArtifactOnDeployment (AWS then defaults to Warn)` };
    }
    if (u === UNKNOWN || u === null) {
        return { mode: "unknown", why: `has ${key}.untrustedArtifactOnDeployment unknown during preview or not a string` };
    }
    return { mode: "Warn", why: `sets ${key}.untrustedArtifactOnDeployment to ${JSON.stringify(u)}` };
}

/** Violation message for one CSC, or undefined when it enforces / is not a CSC. */
export function checkCodeSigningConfig(type: string, name: string, props: unknown): string | undefined {
    const flavor = flavorOf(type);
    if (!flavor) {
        return undefined;
    }
    const { mode, why } = cscModeOf(flavor, props);
    if (mode === "Enforce") {
        return undefined;
    }
    return (
        `CodeSigningConfig "${name}" ${why}, so Lambda would deploy unsigned or untrusted code with only a warning. ` +
        `Set ${policiesKey(flavor)}.untrustedArtifactOnDeployment to the literal "Enforce" ` +
        `(or run this policy at enforcement level "remediate" to have it rewritten).`
    );
}

/** Remediated props (a new object; other values, including secrets, are carried over), or undefined. */
export function remediateCodeSigningConfig(type: string, props: unknown): Record<string, unknown> | undefined {
    const flavor = flavorOf(type);
    if (!flavor || cscModeOf(flavor, props).mode === "Enforce") {
        return undefined;
    }
    // The raw target keeps secrets as `Secret` instances (Remediate deserializes with proxySecrets=true), which the
    // server serializes back as secrets. Only the policies block is replaced.
    const raw = rawProps(props);
    const key = policiesKey(flavor);
    const existing = plain(raw[key]);
    return {
        ...raw,
        [key]: { ...(isRecord(existing) ? existing : {}), untrustedArtifactOnDeployment: "Enforce" },
    };
}

function validateOrRemediate(args: ResourceValidationArgs, report?: (message: string, urn?: string) => void) {
    if (!flavorOf(args.type)) {
        return undefined;
    }
    if (report) {
        const message = checkCodeSigningConfig(args.type, args.name, args.props);
        if (message) {
            report(message, args.urn);
        }
        return undefined;
    }
    return remediateCodeSigningConfig(args.type, args.props);
}

export const lambdaCscEnforceMode: ResourceValidationPolicy = {
    name: LAMBDA_CSC_ENFORCE_MODE,
    description:
        "Lambda code signing configs must set untrustedArtifactOnDeployment to Enforce (a missing policies block means Warn). Remediable.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        validateOrRemediate(args, reportViolation);
    },
    remediateResource: args => validateOrRemediate(args),
};
