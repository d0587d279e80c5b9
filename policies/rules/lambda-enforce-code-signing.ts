/**
 * lambda-enforce-code-signing — every Zip-packaged Lambda function references a code signing config that ENFORCES.
 *
 * Stack policy: the CSC is found by following `propertyDependencies.codeSigningConfigArn` (works in preview, where a
 * same-stack CSC's ARN is unknown) or by matching a known ARN. Anything that cannot be verified is a violation.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { Violation, configStrings, cscLabel, cscPoliciesPath, functionLabel, reportAll, safeConfig } from "../lib/policyKit";
import { MAX_PUBLISHERS, MIN_PUBLISHERS, StackGraph, stackGraphFor } from "../lib/stackGraph";

export const LAMBDA_ENFORCE_CODE_SIGNING = "lambda-enforce-code-signing";
/** Config: ARNs of code signing configs outside the stack that are trusted to enforce (string[], default []). */
export const TRUSTED_CODE_SIGNING_CONFIG_ARNS = "trustedCodeSigningConfigArns";

export interface LambdaEnforceCodeSigningConfig {
    trustedCodeSigningConfigArns?: string[];
}

export function evaluateEnforceCodeSigning(graph: StackGraph, config: LambdaEnforceCodeSigningConfig = {}): Violation[] {
    const trusted = configStrings(config.trustedCodeSigningConfigArns, []);
    const out: Violation[] = [];
    for (const fn of graph.functions) {
        const who = functionLabel(fn);
        const report = (message: string) => out.push({ urn: fn.urn, message });
        if (fn.packageType === "Image") {
            continue; // lambda-image-functions owns container images.
        }
        if (fn.packageType === "unknown") {
            report(
                `${who}: packageType is not a literal (unknown during preview or not a string), so it can't be told ` +
                    `whether code signing applies. Set packageType as a literal ("Zip").`,
            );
            continue;
        }
        const csc = fn.csc;
        switch (csc.kind) {
            case "missing":
                report(
                    `${who} has no code signing config, so Lambda accepts unsigned code for it. Set codeSigningConfigArn ` +
                        `to the arn of a CodeSigningConfig whose policies.untrustedArtifactOnDeployment is "Enforce" ` +
                        `(deploy it with SignedFunction, or use CodeSigningGuard's code signing config).`,
                );
                break;
            case "external":
                if (!trusted.includes(csc.arn)) {
                    report(
                        `${who} uses code signing config ${csc.arn}, which is not created in this stack and not listed ` +
                            `in ${TRUSTED_CODE_SIGNING_CONFIG_ARNS}, so its Enforce mode and publishers can't be verified. ` +
                            `Add the ARN to the ${LAMBDA_ENFORCE_CODE_SIGNING} policy's ${TRUSTED_CODE_SIGNING_CONFIG_ARNS} ` +
                            `config (after checking it enforces trusted publishers), or create the CodeSigningConfig in this stack.`,
                    );
                }
                break;
            case "unverifiable":
                report(
                    `${who}: can't verify its code signing config: ${csc.reason}. Set codeSigningConfigArn to the arn of a ` +
                        `CodeSigningConfig in this stack, or to a literal ARN listed in ${TRUSTED_CODE_SIGNING_CONFIG_ARNS}.`,
                );
                break;
            case "in-stack": {
                const c = csc.resource;
                const path = cscPoliciesPath(c);
                if (csc.mode === "Warn") {
                    const why =
                        c.modeSource === "default-no-policies"
                            ? `has no ${path.split(".")[0]} (AWS then defaults to Warn)`
                            : c.modeSource === "default-no-field"
                              ? `does not set untrustedArtifactOnDeployment (AWS then defaults to Warn)`
                              : `sets untrustedArtifactOnDeployment to Warn`;
                    report(
                        `${who} uses ${cscLabel(c)}, which ${why}: unsigned or untrusted code would deploy with only a ` +
                            `warning. Set ${path} to "Enforce" on "${c.name}".`,
                    );
                } else if (csc.mode === "unknown") {
                    report(
                        `${who} uses ${cscLabel(c)}, whose untrustedArtifactOnDeployment can't be determined (unknown during ` +
                            `preview or not a string). Set ${path} to the literal "Enforce" on "${c.name}".`,
                    );
                }
                const n = csc.publisherCount;
                if (n === "unknown") {
                    report(
                        `${who} uses ${cscLabel(c)}, whose allowedPublishers.signingProfileVersionArns list is unknown ` +
                            `during preview or malformed, so its publishers can't be verified. Pass a list literal of ` +
                            `${MIN_PUBLISHERS}..${MAX_PUBLISHERS} signing profile version ARNs (elements may be outputs, e.g. profile.versionArn).`,
                    );
                } else if (n < MIN_PUBLISHERS || n > MAX_PUBLISHERS) {
                    report(
                        `${who} uses ${cscLabel(c)}, which lists ${n} allowed publishers; a code signing config needs ` +
                            `${MIN_PUBLISHERS}..${MAX_PUBLISHERS} signing profile version ARNs in allowedPublishers.signingProfileVersionArns. ` +
                            (n === 0 ? `Add your SigningProfile's versionArn.` : `Remove publishers you don't need.`),
                    );
                }
                break;
            }
        }
    }
    return out;
}

export const lambdaEnforceCodeSigning: StackValidationPolicy = {
    name: LAMBDA_ENFORCE_CODE_SIGNING,
    description:
        "Every Zip-packaged Lambda function must reference a code signing config that enforces (untrustedArtifactOnDeployment: Enforce) and allows 1..20 publishers.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            [TRUSTED_CODE_SIGNING_CONFIG_ARNS]: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "ARNs of code signing configs created outside this stack that are known to enforce trusted publishers.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = safeConfig<LambdaEnforceCodeSigningConfig>(() => args.getConfig<LambdaEnforceCodeSigningConfig>());
        reportAll(reportViolation, evaluateEnforceCodeSigning(stackGraphFor(args.resources), config));
    },
};
