import * as local from "@pulumi/command/local";
import * as pulumi from "@pulumi/pulumi";
import { fail, patterns } from "./validation";

/** A signing profile version to revoke with AWS Signer RevokeSigningProfile. Revocation is irreversible. */
export interface ProfileVersionRevocation {
    /**
     * The full signing profile version ARN to revoke, e.g.
     * `arn:aws:signer:us-east-1:123456789012:/signing-profiles/team_prod_2025/AbCdEf1234` (the guard's
     * `signingProfileVersionArn` output at the time). It names the profile, the version and the Region, so the entry
     * keeps revoking that version even after the guard's profile is replaced.
     */
    profileVersionArn: string;
    /** Why the version is revoked, 1 to 500 characters; recorded by AWS Signer. */
    reason: string;
    /**
     * ISO 8601 time with an offset (e.g. `2025-01-31T00:00:00Z`), in the past: signatures made with this version
     * after it are no longer trusted.
     */
    effectiveTime: string;
}

/** A revocation entry with the profile name, version and Region read from its ARN. */
export interface ParsedRevocation extends ProfileVersionRevocation {
    profileName: string;
    profileVersion: string;
    region: string;
}

// The values reach the AWS CLI as environment variables, never interpolated into the shell string. The CLI runs with
// the credentials of the machine running Pulumi (not the Pulumi AWS provider's) in the profile version's own Region.
export const revokeCommand = "aws signer revoke-signing-profile --profile-name \"$PROFILE_NAME\" " +
    "--profile-version \"$PROFILE_VERSION\" --reason \"$REASON\" --effective-time \"$EFFECTIVE_TIME\" " +
    "--region \"$AWS_REGION\"";

// `local.Command` runs `update` (or `create` again when there is none) whenever an input changes. A revocation must
// never run twice, so a changed entry only prints this note.
export const revokeUpdateCommand = "echo \"$PROFILE_VERSION_ARN was revoked when this entry was first deployed; " +
    "edits to an entry are not applied. Run aws signer revoke-signing-profile yourself to move the effective time earlier.\"";

const versionArn = /^arn:(aws[a-z-]*):signer:([a-z0-9-]+):(\d{12}):\/signing-profiles\/([0-9a-zA-Z_]{2,64})\/([0-9a-zA-Z]{10})$/;

/** Checks every entry synchronously (the list is plain) and returns them with their parts. */
export function validateRevocations(parent: pulumi.Resource, revocations: ProfileVersionRevocation[] | undefined,
    now: number = Date.now()): ParsedRevocation[] {
    const seen = new Set<string>();
    return (revocations ?? []).map((r, i) => {
        const arg = `revokedProfileVersions[${i}]`;
        const match = typeof r?.profileVersionArn === "string" ? versionArn.exec(r.profileVersionArn) : null;
        if (!match) {
            const problem = r?.profileVersionArn === undefined ? "is missing" : `${JSON.stringify(r.profileVersionArn)} is not a signing profile version ARN`;
            fail(parent, `${arg}.profileVersionArn`, problem, "Pass the full version ARN, e.g. " +
                "arn:aws:signer:us-east-1:123456789012:/signing-profiles/team_prod/AbCdEf1234 (the guard's " +
                "signingProfileVersionArn output); a bare version cannot say which profile it belongs to");
        }
        if (seen.has(r.profileVersionArn)) {
            fail(parent, `${arg}.profileVersionArn`, `${r.profileVersionArn} is listed twice`, "List each version once");
        }
        seen.add(r.profileVersionArn);
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
        return { ...r, region: match[2], profileName: match[4], profileVersion: match[5] };
    });
}

/**
 * One command per revoked version, keyed by profile name and version. Every input is a plain value of the entry, so
 * nothing outside the entry (such as the guard's profile being replaced) can make the command run again. There is
 * deliberately no `delete`: a revocation cannot be undone, so removing an entry later does nothing in AWS.
 */
export function createRevocations(name: string, parent: pulumi.Resource, revocations: ParsedRevocation[]): void {
    for (const r of revocations) {
        new local.Command(`${name}-revoke-${r.profileName}-${r.profileVersion}`, {
            create: revokeCommand,
            update: revokeUpdateCommand,
            environment: {
                PROFILE_VERSION_ARN: r.profileVersionArn,
                PROFILE_NAME: r.profileName,
                PROFILE_VERSION: r.profileVersion,
                REASON: r.reason,
                EFFECTIVE_TIME: r.effectiveTime,
                AWS_REGION: r.region,
            },
        }, { parent });
    }
}
