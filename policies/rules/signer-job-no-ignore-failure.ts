/**
 * signer-job-no-ignore-failure — a Signer signing job must not ignore its own failure.
 *
 * With `ignoreSigningJobFailure: true` a failed job still "succeeds" in Pulumi and whatever sits at the destination
 * (or nothing) gets deployed. Unknown values are violations (fail closed).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, configViolationMessage, safeConfig } from "../lib/config";
import { SIGNING_JOB_TYPE } from "../lib/stackGraph";
import { field, isUnknownSentinel, rawProps } from "../lib/values";

export const SIGNER_JOB_NO_IGNORE_FAILURE = "signer-job-no-ignore-failure";

/** Violation message for one signing job's raw or proxied props, or undefined. */
export function checkSigningJob(name: string, props: unknown): string | undefined {
    const v = field(rawProps(props), "ignoreSigningJobFailure");
    if (v === undefined || v === null || v === false || v === "false") {
        return undefined;
    }
    const fix = `Remove ignoreSigningJobFailure (or set it to false) so a failed signing job fails the deployment instead of shipping unsigned code.`;
    if (v === true || v === "true") {
        return `SigningJob "${name}" sets ignoreSigningJobFailure to true. ${fix}`;
    }
    return (
        `SigningJob "${name}": ignoreSigningJobFailure is ${isUnknownSentinel(v) ? "unknown during preview" : "not a boolean"}, ` +
        `so it can't be verified that signing failures stop the deployment. ${fix}`
    );
}

export const signerJobNoIgnoreFailure: ResourceValidationPolicy = {
    name: SIGNER_JOB_NO_IGNORE_FAILURE,
    description: "AWS Signer signing jobs must not set ignoreSigningJobFailure: a failed signing must fail the deployment.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== SIGNING_JOB_TYPE) {
            return;
        }
        const issues = new PolicyConfigReader(safeConfig(() => args.getConfig()), []).issues;
        for (const issue of issues) {
            reportViolation(configViolationMessage(SIGNER_JOB_NO_IGNORE_FAILURE, issue), args.urn);
        }
        const message = checkSigningJob(args.name, args.props);
        if (message) {
            reportViolation(message, args.urn);
        }
    },
};
