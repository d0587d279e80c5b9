/**
 * lambda-signed-code — a Lambda function's own code comes from a Signer SigningJob whose profile its code signing
 * config allows.
 *
 * Inline archives (`code`, including aws.lambda.CallbackFunction closures; native `code.zipFile`) and plain S3 objects
 * are unsigned: an Enforce CSC rejects them at deploy, so the preview says so now. With a CSC outside the stack, code
 * from a signing job is enough (AWS checks the publisher); without a CSC only the signature is checked here
 * (lambda-enforce-code-signing reports the missing CSC).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { Violation, cscLabel, functionLabel, jobLabel, reportAll, signedCodeFix } from "../lib/policyKit";
import { StackGraph, describeAllowed, jobsNotAllowed, stackGraphFor } from "../lib/stackGraph";

export const LAMBDA_SIGNED_CODE = "lambda-signed-code";

export function evaluateSignedCode(graph: StackGraph): Violation[] {
    const out: Violation[] = [];
    for (const fn of graph.functions) {
        const code = fn.code;
        if (fn.packageType === "Image" || code.kind === "image") {
            continue; // lambda-image-functions owns container images.
        }
        const who = functionLabel(fn);
        const report = (message: string) => out.push({ urn: fn.urn, message });
        if (code.kind === "inline" || code.kind === "plain-s3") {
            report(
                `${who}: ${code.detail}; a code signing config that enforces rejects unsigned code at deploy. ${signedCodeFix(fn)}`,
            );
        } else if (code.kind === "unverifiable") {
            report(`${who}: can't verify that its code is signed: ${code.reason}. ${signedCodeFix(fn)}`);
        } else if (fn.csc.kind === "in-stack") {
            const csc = fn.csc.resource;
            for (const job of jobsNotAllowed(csc, code)) {
                report(
                    `${who}: its code is signed by ${jobLabel(job)}, which its ${cscLabel(csc)} does not allow ` +
                        `(allowed: ${describeAllowed(csc, graph)}). Sign it with a profile the code signing config allows ` +
                        `(set the SigningJob's profileName from that SigningProfile), or add the profile's versionArn to the config's allowedPublishers.`,
                );
            }
        }
    }
    return out;
}

export const lambdaSignedCode: StackValidationPolicy = {
    name: LAMBDA_SIGNED_CODE,
    description:
        "Every Zip-packaged Lambda function's code must come from an AWS Signer signing job whose profile its code signing config allows.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        reportAll(reportViolation, evaluateSignedCode(stackGraphFor(args.resources)));
    },
};
