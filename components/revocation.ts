import * as local from "@pulumi/command/local";
import * as pulumi from "@pulumi/pulumi";
import { fail, patterns } from "./validation";

/** A signing profile version to revoke with AWS Signer RevokeSigningProfile. Revocation is irreversible. */
export interface ProfileVersionRevocation {
    /** The 10-character profile version to revoke (the last segment of a signing profile version ARN). */
    profileVersion: string;
    /** Why the version is revoked, 1 to 500 characters; recorded by AWS Signer. */
    reason: string;
    /**
     * ISO 8601 time with an offset (e.g. `2025-01-31T00:00:00Z`), in the past: signatures made with this version
     * after it are no longer trusted.
     */
    effectiveTime: string;
}

// The values reach the AWS CLI as environment variables, never interpolated into the shell string.
const revokeCommand = "aws signer revoke-signing-profile --profile-name \"$PROFILE_NAME\" " +
    "--profile-version \"$PROFILE_VERSION\" --reason \"$REASON\" --effective-time \"$EFFECTIVE_TIME\" " +
    "--region \"$AWS_REGION\"";

export function validateRevocations(parent: pulumi.Resource, revocations: ProfileVersionRevocation[] | undefined,
    now: number = Date.now()): void {
    const seen = new Set<string>();
    (revocations ?? []).forEach((r, i) => {
        const arg = `revokedProfileVersions[${i}]`;
        if (typeof r?.profileVersion !== "string" || !patterns.signingProfileVersion.test(r.profileVersion)) {
            fail(parent, `${arg}.profileVersion`, `${JSON.stringify(r?.profileVersion)} is not a profile version`,
                "Pass the 10 letters/digits that end the signing profile version ARN");
        }
        if (seen.has(r.profileVersion)) {
            fail(parent, `${arg}.profileVersion`, `${r.profileVersion} is listed twice`, "List each version once");
        }
        seen.add(r.profileVersion);
        if (typeof r.reason !== "string" || r.reason.trim().length === 0 || r.reason.length > 500) {
            fail(parent, `${arg}.reason`, "must be 1 to 500 characters", "Say briefly why the version is revoked");
        }
        const time = typeof r.effectiveTime === "string" && patterns.isoDateTime.test(r.effectiveTime)
            ? Date.parse(r.effectiveTime) : NaN;
        if (Number.isNaN(time)) {
            fail(parent, `${arg}.effectiveTime`, `${JSON.stringify(r.effectiveTime)} is not an ISO 8601 time`,
                "Use a time with an offset, e.g. 2025-01-31T00:00:00Z");
        }
        if (time > now) {
            fail(parent, `${arg}.effectiveTime`, `${r.effectiveTime} is in the future`,
                "AWS Signer only accepts a past effective time; use the time the key or pipeline was compromised");
        }
    });
}

/**
 * One create-only command per revoked version. There is deliberately no `delete`: a revocation cannot be undone,
 * so removing an entry later does nothing in AWS.
 */
export function createRevocations(name: string, parent: pulumi.Resource, profileName: pulumi.Output<string>,
    region: pulumi.Output<string>, revocations: ProfileVersionRevocation[] | undefined): void {
    for (const r of revocations ?? []) {
        new local.Command(`${name}-revoke-${r.profileVersion}`, {
            create: revokeCommand,
            environment: {
                PROFILE_NAME: profileName,
                PROFILE_VERSION: r.profileVersion,
                REASON: r.reason,
                EFFECTIVE_TIME: r.effectiveTime,
                AWS_REGION: region,
            },
        }, { parent });
    }
}
