/**
 * signer-profile-hygiene — AWS Signer profiles use an allowed platform and a bounded signature validity.
 *
 * Resource policy on `aws:signer/signingProfile:SigningProfile` and `aws-native:signer:SigningProfile`. Unknown
 * values are violations (fail closed): set them as literals.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, configViolationMessage, safeConfig } from "../lib/config";
import { SIGNING_PROFILE_TYPES } from "../lib/stackGraph";
import { UNKNOWN, describe, field, isRecord, isUnknownSentinel, rawProps, readString } from "../lib/values";

export const SIGNER_PROFILE_HYGIENE = "signer-profile-hygiene";
/** Config: allowed Signer platform IDs (string[], default ["AWSLambda-SHA384-ECDSA"]). */
export const ALLOWED_PLATFORM_IDS = "allowedPlatformIds";
/** Config: maximum signature validity in months (integer 1..135, default 135 = the AWS default and maximum). */
export const MAX_SIGNATURE_VALIDITY_MONTHS = "maxSignatureValidityMonths";

export const DEFAULT_ALLOWED_PLATFORM_IDS = ["AWSLambda-SHA384-ECDSA"];
/** AWS default and maximum signature validity: 135 months. */
export const AWS_MAX_VALIDITY_MONTHS = 135;

export interface SignerProfileHygieneConfig {
    allowedPlatformIds?: string[];
    maxSignatureValidityMonths?: number;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** The policy's config, strictly: invalid values are reported and replaced by the strictest setting. */
export function readSignerProfileHygieneConfig(raw: unknown) {
    const reader = new PolicyConfigReader(raw, [ALLOWED_PLATFORM_IDS, MAX_SIGNATURE_VALIDITY_MONTHS]);
    const platforms = reader.strings(ALLOWED_PLATFORM_IDS, DEFAULT_ALLOWED_PLATFORM_IDS, s => s,
        `List Signer platform IDs, e.g. ["AWSLambda-SHA384-ECDSA"].`);
    const maxMonths = reader.integer(MAX_SIGNATURE_VALIDITY_MONTHS, 1, AWS_MAX_VALIDITY_MONTHS, AWS_MAX_VALIDITY_MONTHS, 1);
    return { platforms, maxMonths, issues: reader.issues };
}

/** Violations (messages) for one signing profile's raw or proxied props. */
export function checkSigningProfile(name: string, props: unknown, config: unknown = {}): string[] {
    const p = rawProps(props);
    const { platforms, maxMonths, issues } = readSignerProfileHygieneConfig(config);
    const who = `SigningProfile "${name}"`;
    const out: string[] = issues.map(i => configViolationMessage(SIGNER_PROFILE_HYGIENE, i));

    const platform = readString(p, "platformId");
    if (typeof platform === "string") {
        if (!platforms.includes(platform)) {
            out.push(
                `${who} uses platformId ${describe(platform)}, which is not in ${ALLOWED_PLATFORM_IDS} ` +
                    `(${platforms.map(x => JSON.stringify(x)).join(", ") || "empty"}). Use "AWSLambda-SHA384-ECDSA" for ` +
                    `Lambda code, or add the platform to the ${SIGNER_PROFILE_HYGIENE} policy's ${ALLOWED_PLATFORM_IDS} config.`,
            );
        }
    } else {
        out.push(
            `${who}: platformId is ${platform === UNKNOWN ? "unknown during preview" : platform === undefined ? "not set" : "not a string"}, ` +
                `so the signing platform can't be verified. Set platformId as a literal (e.g. "AWSLambda-SHA384-ECDSA").`,
        );
    }

    const svp = field(p, "signatureValidityPeriod");
    if (svp === undefined || svp === null) {
        if (AWS_MAX_VALIDITY_MONTHS > maxMonths) {
            out.push(
                `${who} does not set signatureValidityPeriod, so AWS signs with its default of ${AWS_MAX_VALIDITY_MONTHS} ` +
                    `months, more than ${MAX_SIGNATURE_VALIDITY_MONTHS} (${maxMonths}). Set signatureValidityPeriod ` +
                    `to { type: "MONTHS", value: ${maxMonths} } or less.`,
            );
        }
        return out;
    }
    const type = isRecord(svp) ? readString(svp, "type") : UNKNOWN;
    const valueRaw = isRecord(svp) ? field(svp, "value") : undefined;
    const value = typeof valueRaw === "number" ? valueRaw : undefined;
    const months =
        type === "MONTHS" ? value : type === "YEARS" && value !== undefined ? value * 12 : type === "DAYS" && value !== undefined ? value / DAYS_PER_MONTH : undefined;
    if (!isRecord(svp) || typeof type !== "string" || value === undefined || months === undefined || !(value > 0)) {
        const what = !isRecord(svp)
            ? isUnknownSentinel(svp)
                ? "unknown during preview"
                : `${describe(svp)}`
            : `{ type: ${describe(type)}, value: ${describe(valueRaw)} }`;
        out.push(
            `${who}: signatureValidityPeriod is ${what}, so the signature validity can't be verified. Set it as a literal ` +
                `{ type: "DAYS" | "MONTHS" | "YEARS", value: <positive number> } of at most ${maxMonths} months.`,
        );
        return out;
    }
    if (months > maxMonths + 1e-9) {
        out.push(
            `${who} signs with a validity of ${value} ${type} (${Math.round(months * 10) / 10} months), more than ` +
                `${MAX_SIGNATURE_VALIDITY_MONTHS} (${maxMonths}). Set signatureValidityPeriod to { type: "MONTHS", value: ${maxMonths} } or less.`,
        );
    }
    return out;
}

export const signerProfileHygiene: ResourceValidationPolicy = {
    name: SIGNER_PROFILE_HYGIENE,
    description:
        "AWS Signer signing profiles must use an allowed platform (default AWSLambda-SHA384-ECDSA) and a signature validity of at most maxSignatureValidityMonths.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            [ALLOWED_PLATFORM_IDS]: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_ALLOWED_PLATFORM_IDS,
                description: "Signer platform IDs signing profiles may use.",
            },
            [MAX_SIGNATURE_VALIDITY_MONTHS]: {
                type: "integer",
                minimum: 1,
                maximum: AWS_MAX_VALIDITY_MONTHS,
                default: AWS_MAX_VALIDITY_MONTHS,
                description: "Maximum signature validity in months (AWS default and maximum: 135).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== SIGNING_PROFILE_TYPES.classic && args.type !== SIGNING_PROFILE_TYPES.native) {
            return;
        }
        for (const message of checkSigningProfile(args.name, args.props, safeConfig(() => args.getConfig()))) {
            reportViolation(message, args.urn);
        }
    },
};
