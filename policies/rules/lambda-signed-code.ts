/**
 * lambda-signed-code — a Lambda function's own code comes from a Signer SigningJob whose profile its code signing
 * config allows, or is an artifact signed outside the stack that the config trusts (trustedSignedArtifacts).
 *
 * Inline archives (`code`, including aws.lambda.CallbackFunction closures; native `code.zipFile`; CloudFormation
 * `Code.ZipFile`/`InlineCode`) and plain S3 objects are unsigned: an Enforce CSC rejects them at deploy, so the preview
 * says so now. Code copied from a signed object (aws.s3.ObjectCopy) is still signed. With a CSC outside the stack, code
 * from a signing job is enough (AWS checks the publisher); without a CSC only the signature is checked here
 * (lambda-enforce-code-signing reports the missing CSC).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, TRUSTED_SIGNED_ARTIFACTS, TRUSTED_SIGNED_ARTIFACTS_SCHEMA, readSignedArtifacts, safeConfig } from "../lib/config";
import { Violation, configViolations, functionLabel, reportAll, signedArtifactHint, signedCodeFix } from "../lib/policyKit";
import { StackGraph, codeFindings, inStackCscs, stackGraphFor } from "../lib/stackGraph";

export const LAMBDA_SIGNED_CODE = "lambda-signed-code";

export interface LambdaSignedCodeConfig {
    trustedSignedArtifacts?: string[];
}

export const NOT_ALLOWED_FIX =
    `Sign it with a profile the code signing config allows (set the SigningJob's profileName from that SigningProfile), ` +
    `or add the profile's versionArn to the config's allowedPublishers.`;

export function readSignedCodeConfig(raw: unknown) {
    const reader = new PolicyConfigReader(raw, [TRUSTED_SIGNED_ARTIFACTS]);
    return { artifacts: readSignedArtifacts(reader), issues: reader.issues };
}

export function evaluateSignedCode(graph: StackGraph, config: unknown = {}): Violation[] {
    const { artifacts, issues } = readSignedCodeConfig(config);
    const out: Violation[] = configViolations(LAMBDA_SIGNED_CODE, issues);
    for (const fn of graph.functions) {
        // No findings for container images (packageType "Image" makes the code kind "image"): lambda-image-functions owns them.
        const who = functionLabel(fn);
        for (const f of codeFindings(fn.code, inStackCscs(fn.csc), artifacts)) {
            const message = f.kind === "unsigned"
                ? `${who}: ${f.text}; a code signing config that enforces rejects unsigned code at deploy. ${signedCodeFix(fn)}`
                : f.kind === "unverifiable"
                  ? `${who}: ${f.text}. ${signedCodeFix(fn)}${signedArtifactHint(artifacts.length > 0)}`
                  : `${who}: ${f.text}. ${NOT_ALLOWED_FIX}`;
            out.push({ urn: fn.urn, message });
        }
    }
    return out;
}

export const lambdaSignedCode: StackValidationPolicy = {
    name: LAMBDA_SIGNED_CODE,
    description:
        "Every Zip-packaged Lambda function's code must come from an AWS Signer signing job whose profile its code signing config allows.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            [TRUSTED_SIGNED_ARTIFACTS]: TRUSTED_SIGNED_ARTIFACTS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        reportAll(reportViolation, evaluateSignedCode(stackGraphFor(args.resources), safeConfig(() => args.getConfig())));
    },
};
