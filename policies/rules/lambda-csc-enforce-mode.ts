/**
 * lambda-csc-enforce-mode — code signing configs must enforce; at enforcement level "remediate" the pack rewrites
 * them to Enforce.
 *
 * Resource policy on `aws:lambda/codeSigningConfig:CodeSigningConfig` (`policies`) and
 * `aws-native:lambda:CodeSigningConfig` (`codeSigningPolicies`), and on the `AWS::Lambda::CodeSigningConfig`
 * resources of an inline CloudFormation template (validation only: a template is the user's text). A CSC without the
 * policies block is Warn in AWS. Remediation replaces only the policies block and is refused (the validation then
 * reports the CSC) when the inputs hold anything the policy server can't write back faithfully.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, configViolationMessage, safeConfig } from "../lib/config";
import { CLOUDFORMATION_STACK_TYPES, CSC_TYPES, cscMode, templateOfResource } from "../lib/stackGraph";
import { PROXY_MARKER_KEYS, UNKNOWN, field, isRecord, plain, rawProps, readString } from "../lib/values";

export const LAMBDA_CSC_ENFORCE_MODE = "lambda-csc-enforce-mode";

type CscFlavor = "classic" | "native";

function flavorOf(type: string): CscFlavor | undefined {
    return type === CSC_TYPES.classic ? "classic" : type === CSC_TYPES.native ? "native" : undefined;
}

function policiesKey(flavor: CscFlavor): "policies" | "codeSigningPolicies" {
    return flavor === "classic" ? "policies" : "codeSigningPolicies";
}

/** Mode of a CSC's raw or proxied props: what it enforces, and why. */
export function cscModeOf(flavor: CscFlavor, props: unknown): { mode: "Enforce" | "Warn" | "unknown"; why: string } {
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

/**
 * Why the props can't be handed back to the policy server as a remediation, or undefined when they can. The server
 * re-serializes the result with @pulumi/policy's serializer, which treats any object carrying the proxy marker keys as
 * a proxy (dropping or replacing it) and mangles asset archives; only plain data and secrets round-trip.
 */
export function unremediableReason(props: unknown): string | undefined {
    const stack: unknown[] = [rawProps(props)];
    for (let visited = 0; stack.length > 0; visited++) {
        if (visited > 100_000) {
            return "its inputs are too large to rewrite";
        }
        const v = stack.pop();
        if (v === null || typeof v !== "object") {
            continue;
        }
        const unwrapped = plain(v);
        if (unwrapped !== v) {
            stack.push(unwrapped);
            continue;
        }
        const proto = Object.getPrototypeOf(v);
        if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
            return "its inputs hold an asset, archive or other value the policy server can't write back";
        }
        const reserved = PROXY_MARKER_KEYS.find(k => Object.prototype.hasOwnProperty.call(v, k));
        if (reserved !== undefined) {
            return `its inputs hold a property named "${reserved}", which @pulumi/policy reserves for its proxies`;
        }
        stack.push(...(Array.isArray(v) ? v : Object.values(v)));
    }
    return undefined;
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
    const refused = unremediableReason(props);
    return (
        `CodeSigningConfig "${name}" ${why}, so Lambda would deploy unsigned or untrusted code with only a warning. ` +
        `Set ${policiesKey(flavor)}.untrustedArtifactOnDeployment to the literal "Enforce" ` +
        (refused
            ? `(it can't be rewritten automatically: ${refused}).`
            : `(or run this policy at enforcement level "remediate" to have it rewritten).`)
    );
}

/** Violations for the code signing configs an inline CloudFormation template declares. */
export function checkTemplateCodeSigningConfigs(args: Pick<ResourceValidationArgs, "type" | "urn" | "name" | "props"> & { provider?: unknown }): string[] {
    const specs = templateOfResource({ type: args.type, urn: args.urn, name: args.name, props: args.props, provider: args.provider as never });
    const out: string[] = [];
    for (const spec of specs?.cscs ?? []) {
        const { mode, modeSource } = cscMode(spec);
        if (mode !== "Enforce") {
            const why = modeSource === "default-no-policies" ? "has no CodeSigningPolicies (AWS then defaults to Warn)"
                : modeSource === "default-no-field" ? "does not set CodeSigningPolicies.UntrustedArtifactOnDeployment (AWS then defaults to Warn)"
                : modeSource === "unknown" ? "has an UntrustedArtifactOnDeployment that is not a literal" : "sets UntrustedArtifactOnDeployment to Warn";
            out.push(
                `CodeSigningConfig "${spec.template!.logicalId}" of CloudFormation stack "${args.name}" ${why}, so Lambda would deploy unsigned ` +
                    `or untrusted code with only a warning. Set CodeSigningPolicies.UntrustedArtifactOnDeployment to the literal "Enforce" in the template.`,
            );
        }
    }
    return out;
}

/** Remediated props (a new object; other values, including secrets, are carried over), or undefined. */
export function remediateCodeSigningConfig(type: string, props: unknown): Record<string, unknown> | undefined {
    const flavor = flavorOf(type);
    if (!flavor || cscModeOf(flavor, props).mode === "Enforce" || unremediableReason(props) !== undefined) {
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

function validate(args: ResourceValidationArgs): string[] {
    const reader = new PolicyConfigReader(safeConfig(() => args.getConfig()), []);
    const applies = flavorOf(args.type) !== undefined || Object.values(CLOUDFORMATION_STACK_TYPES).includes(args.type as never);
    const out = applies ? reader.issues.map(i => configViolationMessage(LAMBDA_CSC_ENFORCE_MODE, i)) : [];
    const message = checkCodeSigningConfig(args.type, args.name, args.props);
    return [...out, ...(message ? [message] : []), ...checkTemplateCodeSigningConfigs(args)];
}

export const lambdaCscEnforceMode: ResourceValidationPolicy = {
    name: LAMBDA_CSC_ENFORCE_MODE,
    description:
        "Lambda code signing configs must set untrustedArtifactOnDeployment to Enforce (a missing policies block means Warn). Remediable.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const message of validate(args)) {
            reportViolation(message, args.urn);
        }
    },
    remediateResource: args => remediateCodeSigningConfig(args.type, args.props),
};
