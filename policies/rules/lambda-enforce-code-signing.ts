/**
 * lambda-enforce-code-signing — every Zip-packaged Lambda function references a code signing config that ENFORCES.
 *
 * Stack policy: the CSC is found by following `propertyDependencies.codeSigningConfigArn` (works in preview, where a
 * same-stack CSC's ARN is unknown) or by matching a known ARN; functions declared in an inline CloudFormation template
 * are judged the same way. A reference that may name several CSCs is compliant only if every one of them is. Anything
 * that cannot be verified is a violation, including a CloudFormation template that can't be read.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, parseCscArn, safeConfig } from "../lib/config";
import { Violation, configViolations, cscLabel, cscPoliciesPath, cscProperty, functionLabel, reportAll } from "../lib/policyKit";
import { CodeSigningConfigNode, FunctionNode, MAX_PUBLISHERS, MIN_PUBLISHERS, StackGraph, stackGraphFor } from "../lib/stackGraph";

export const LAMBDA_ENFORCE_CODE_SIGNING = "lambda-enforce-code-signing";
/** Config: ARNs of code signing configs outside the stack that are trusted to enforce (string[], default []). */
export const TRUSTED_CODE_SIGNING_CONFIG_ARNS = "trustedCodeSigningConfigArns";

export interface LambdaEnforceCodeSigningConfig {
    trustedCodeSigningConfigArns?: string[];
}

export function readEnforceCodeSigningConfig(raw: unknown) {
    const reader = new PolicyConfigReader(raw, [TRUSTED_CODE_SIGNING_CONFIG_ARNS]);
    const trusted = reader.strings(TRUSTED_CODE_SIGNING_CONFIG_ARNS, [], parseCscArn,
        `List exact code signing config ARNs, e.g. "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0".`);
    return { trusted, issues: reader.issues };
}

function inStackCscMessages(who: string, c: CodeSigningConfigNode): string[] {
    const out: string[] = [];
    const path = cscPoliciesPath(c);
    if (c.mode === "Warn") {
        const why = c.modeSource === "default-no-policies"
            ? `has no ${path.split(".")[0]} (AWS then defaults to Warn)`
            : c.modeSource === "default-no-field" ? `does not set ${path.split(".")[1]} (AWS then defaults to Warn)` : `sets ${path.split(".")[1]} to Warn`;
        out.push(`${who} uses ${cscLabel(c)}, which ${why}: unsigned or untrusted code would deploy with only a warning. Set ${path} to "Enforce" on "${c.name}".`);
    } else if (c.mode === "unknown") {
        out.push(`${who} uses ${cscLabel(c)}, whose ${path.split(".")[1]} can't be determined (unknown during preview or not a string). Set ${path} to the literal "Enforce" on "${c.name}".`);
    }
    const n = c.publisherCount;
    if (n === "unknown") {
        out.push(
            `${who} uses ${cscLabel(c)}, whose allowed publishers list is unknown during preview or malformed, so its publishers ` +
                `can't be verified. Pass a list literal of ${MIN_PUBLISHERS}..${MAX_PUBLISHERS} signing profile version ARNs (elements may be outputs, e.g. profile.versionArn).`,
        );
    } else if (n < MIN_PUBLISHERS || n > MAX_PUBLISHERS) {
        out.push(
            `${who} uses ${cscLabel(c)}, which lists ${n} allowed publishers; a code signing config needs ${MIN_PUBLISHERS}..${MAX_PUBLISHERS} ` +
                `signing profile version ARNs in its allowed publishers. ${n === 0 ? `Add your SigningProfile's versionArn.` : `Remove publishers you don't need.`}`,
        );
    }
    return out;
}

function functionMessages(fn: FunctionNode, trusted: string[]): string[] {
    const who = functionLabel(fn);
    const prop = cscProperty(fn);
    if (fn.packageType === "unknown") {
        return [`${who}: packageType is not a literal (unknown during preview or not a string), so it can't be told whether code signing applies. Set packageType as a literal ("Zip").`];
    }
    if (fn.csc.kind === "missing") {
        return [
            `${who} has no code signing config, so Lambda accepts unsigned code for it. Set ${prop} to the arn of a CodeSigningConfig whose ` +
                `policies.untrustedArtifactOnDeployment is "Enforce" (deploy it with SignedFunction, or use CodeSigningGuard's code signing config).`,
        ];
    }
    const several = fn.csc.candidates.length > 1 ? ` (its ${prop} may name any of ${fn.csc.candidates.length} code signing configs; each must pass)` : "";
    return fn.csc.candidates.flatMap(c => {
        switch (c.kind) {
            case "external":
                return trusted.includes(c.arn) ? [] : [
                    `${who} uses code signing config ${c.arn}${several}, which is not created in this stack and not listed in ${TRUSTED_CODE_SIGNING_CONFIG_ARNS}, ` +
                        `so its Enforce mode and publishers can't be verified. Add the ARN to the ${LAMBDA_ENFORCE_CODE_SIGNING} policy's ` +
                        `${TRUSTED_CODE_SIGNING_CONFIG_ARNS} config (after checking it enforces trusted publishers), or create the CodeSigningConfig in this stack.`,
                ];
            case "unverifiable":
                return [
                    `${who}: can't verify its code signing config: ${c.reason}. Set ${prop} to the arn of a CodeSigningConfig in this stack, ` +
                        `or to a literal ARN listed in ${TRUSTED_CODE_SIGNING_CONFIG_ARNS}.`,
                ];
            default:
                return inStackCscMessages(who + several, c.csc);
        }
    });
}

export function evaluateEnforceCodeSigning(graph: StackGraph, config: unknown = {}): Violation[] {
    const { trusted, issues } = readEnforceCodeSigningConfig(config);
    const out: Violation[] = configViolations(LAMBDA_ENFORCE_CODE_SIGNING, issues);
    for (const fn of graph.functions) {
        if (fn.packageType !== "Image") {
            out.push(...functionMessages(fn, trusted).map(message => ({ urn: fn.urn, message })));
        }
    }
    for (const t of graph.templates) {
        if (t.status === "unreadable") {
            out.push({
                urn: t.urn,
                message: `CloudFormation stack "${t.name}": ${t.detail}, so the Lambda functions, layers and code signing configs it declares can't be checked. ` +
                    `Pass the template as a literal string (JSON or YAML) and feed Pulumi outputs in through the stack's parameters.`,
            });
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
        reportAll(reportViolation, evaluateEnforceCodeSigning(stackGraphFor(args.resources), safeConfig(() => args.getConfig())));
    },
};
