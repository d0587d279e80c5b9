import * as pulumi from "@pulumi/pulumi";
import { validateRevocations } from "./revocation";
import type { CodeSigningGuardArgs } from "./codeSigningGuard";
import { AlertProtocol } from "./signatureAlerts";
import { fail, patterns, requireInteger, sanitize } from "./validation";

// Synchronous checks of CodeSigningGuardArgs: every misuse fails before any child exists.

export const maxPublishers = 20;
const functionNamePrefixPattern = /^[a-zA-Z0-9_-]{1,40}$/;
const kmsKeyArn = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
const protocols: readonly string[] = Object.values(AlertProtocol);

/** `payments.prod` → `payments-prod-signed-`: what the guard's functions are named with by default. */
export function defaultFunctionNamePrefix(name: string): string {
    const base = sanitize(name, /[a-zA-Z0-9_-]/, "-").slice(0, 32).replace(/-+$/, "");
    return `${base || "lambda"}-signed-`;
}

function validatePublishers(parent: pulumi.Resource, args: CodeSigningGuardArgs): void {
    const count = args.trustedProfileVersionArns?.length ?? 0;
    if (Array.isArray(args.trustedProfileVersionArns) && count + 1 > maxPublishers) {
        fail(parent, "trustedProfileVersionArns", `has ${count} entries; with the guard's own profile that is ` +
            `${count + 1} publishers, more than the ${maxPublishers} a code signing config allows`,
            `Trust at most ${maxPublishers - 1} other profile versions`);
    }
}

function validatePolicyAction(parent: pulumi.Resource, args: CodeSigningGuardArgs): string {
    const action = args.untrustedArtifactOnDeployment ?? "Enforce";
    if (action !== "Enforce" && action !== "Warn") {
        fail(parent, "untrustedArtifactOnDeployment", `${JSON.stringify(action)} is not a code signing policy`,
            "Use \"Enforce\" (recommended) or \"Warn\"");
    }
    if (action === "Warn" && args.acknowledgeWarnMode !== true) {
        fail(parent, "untrustedArtifactOnDeployment", "Warn lets unsigned, untrusted, expired and revoked code deploy " +
            "with only a warning", "Use Enforce, or set acknowledgeWarnMode: true to accept that");
    }
    return action;
}

function validateBucketArgs(parent: pulumi.Resource, args: CodeSigningGuardArgs): void {
    if (args.artifactBucketKmsKeyArn !== undefined && args.artifactBucketName === undefined) {
        fail(parent, "artifactBucketKmsKeyArn", "is set without artifactBucketName",
            "The guard encrypts its own bucket with its own key; pass the key only for an existing bucket");
    }
    if (typeof args.artifactBucketKmsKeyArn === "string" && !kmsKeyArn.test(args.artifactBucketKmsKeyArn)) {
        fail(parent, "artifactBucketKmsKeyArn", `${JSON.stringify(args.artifactBucketKmsKeyArn)} is not a KMS key ARN`,
            "Pass the key ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)");
    }
    const ownsBucket = args.artifactBucketName === undefined;
    for (const field of ["noncurrentVersionExpirationDays", "signedObjectExpirationDays"] as const) {
        if (args[field] !== undefined && !ownsBucket) {
            fail(parent, field, "is set with artifactBucketName", "Configure the lifecycle of an existing bucket where it is defined");
        }
        requireInteger(parent, field, args[field], 1, 3650, "days");
    }
}

function validateAlertArgs(parent: pulumi.Resource, args: CodeSigningGuardArgs): void {
    for (const field of ["alertTopicArn", "alertSubscriptions", "createAlertTrail"] as const) {
        if (args[field] !== undefined && args.enableAlerts !== true) {
            fail(parent, field, "is set but enableAlerts is not true", `Set enableAlerts: true, or drop ${field}`);
        }
    }
    (args.alertSubscriptions ?? []).forEach((s, i) => {
        if (!protocols.includes(s?.protocol)) {
            fail(parent, `alertSubscriptions[${i}].protocol`, `${JSON.stringify(s?.protocol)} is not supported`,
                `Use one of ${protocols.join(", ")}`);
        }
        if (s.endpoint === undefined || s.endpoint === "") {
            fail(parent, `alertSubscriptions[${i}].endpoint`, "is missing", "Pass the address, URL or ARN alerts go to");
        }
    });
}

/** Signer names allow no hyphens, so Pulumi auto-names fail: always pass an explicit name or namePrefix. */
export function signingProfileNaming(parent: pulumi.Resource, name: string, args: CodeSigningGuardArgs) {
    if (args.signingProfileName !== undefined && args.signingProfileNamePrefix !== undefined) {
        fail(parent, "signingProfileName", "and signingProfileNamePrefix are both set", "Pass at most one of them");
    }
    if (args.signingProfileName !== undefined) {
        if (typeof args.signingProfileName !== "string" || !patterns.signingProfileName.test(args.signingProfileName)) {
            fail(parent, "signingProfileName", `${JSON.stringify(args.signingProfileName)} can never be a valid ` +
                "signing profile name", "Use 2-64 letters, digits or _ (no hyphens)");
        }
        return { name: args.signingProfileName };
    }
    if (args.signingProfileNamePrefix !== undefined) {
        if (typeof args.signingProfileNamePrefix !== "string" ||
            !patterns.signingProfileNamePrefix.test(args.signingProfileNamePrefix)) {
            fail(parent, "signingProfileNamePrefix", `${JSON.stringify(args.signingProfileNamePrefix)} can never ` +
                "start a valid signing profile name", "Use 1-38 letters, digits or _ (no hyphens)");
        }
        return { namePrefix: args.signingProfileNamePrefix };
    }
    return { namePrefix: defaultProfileNamePrefix(name) };
}

/** `my-team.prod` → `my_team_prod_`: valid characters, ≤ 38 long, at least 2, ending in `_`. */
export function defaultProfileNamePrefix(name: string): string {
    const base = sanitize(name, /[0-9a-zA-Z_]/, "_").slice(0, 37).replace(/_+$/, "");
    return `${base || "lambda_signing"}_`;
}

/** All synchronous checks; returns the values the guard derives from its arguments. */
export function validateGuardArgs(parent: pulumi.Resource, name: string, args: CodeSigningGuardArgs) {
    requireInteger(parent, "signatureValidityMonths", args.signatureValidityMonths, 1, 135, "months");
    const profileNaming = signingProfileNaming(parent, name, args);
    validatePublishers(parent, args);
    const action = validatePolicyAction(parent, args);
    if (args.functionNamePrefix !== undefined &&
        (typeof args.functionNamePrefix !== "string" || !functionNamePrefixPattern.test(args.functionNamePrefix))) {
        fail(parent, "functionNamePrefix", `${JSON.stringify(args.functionNamePrefix)} cannot start a Lambda function name`,
            "Use 1-40 letters, digits, - or _");
    }
    validateBucketArgs(parent, args);
    validateAlertArgs(parent, args);
    const revocations = validateRevocations(parent, args.revokedProfileVersions);
    return {
        action, profileNaming, revocations,
        months: args.signatureValidityMonths ?? 135,
        functionNamePrefix: args.functionNamePrefix ?? defaultFunctionNamePrefix(name),
    };
}
