/**
 * lambda-image-functions — container-image Lambda functions cannot use Lambda code signing.
 *
 * Resource policy (runs on the inputs in Analyze, before the function is created): a function with
 * `packageType: "Image"` — also one declared in an inline CloudFormation template — is a violation unless the config
 * says `imageFunctions: "allow"`; images must be signed and verified another way (Notation, AWS Signer platform
 * Notation-OCI-SHA384-ECDSA). An invalid `imageFunctions` value is reported and treated as "deny".
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, configViolationMessage, safeConfig } from "../lib/config";
import { functionLabel } from "../lib/policyKit";
import { CLOUDFORMATION_STACK_TYPES, FUNCTION_TYPES, FunctionNode, templateOfResource } from "../lib/stackGraph";
import { rawProps, readString } from "../lib/values";

export const LAMBDA_IMAGE_FUNCTIONS = "lambda-image-functions";
/** Config: "deny" (default) or "allow" container-image functions. */
export const IMAGE_FUNCTIONS = "imageFunctions";

export interface LambdaImageFunctionsConfig {
    imageFunctions?: "deny" | "allow";
}

export function readImageFunctionsConfig(raw: unknown) {
    const reader = new PolicyConfigReader(raw, [IMAGE_FUNCTIONS]);
    const mode = reader.oneOf(IMAGE_FUNCTIONS, ["deny", "allow"] as const, "deny",
        // Stryker disable next-line StringLiteral: the strictest value is only compared with "allow" below, so any other string denies alike
        "deny");
    return { allowed: mode === "allow", issues: reader.issues };
}

function imageMessage(fn: Pick<FunctionNode, "name" | "flavor" | "template">): string {
    return (
        `${functionLabel(fn)} is a container image (packageType "Image"): Lambda code signing does not support ` +
        `container images, so no code signing config can verify its code. Sign the image with Notation (AWS Signer ` +
        `platform Notation-OCI-SHA384-ECDSA) and verify the signature before deployment, then set ${IMAGE_FUNCTIONS} to ` +
        `"allow" in the ${LAMBDA_IMAGE_FUNCTIONS} policy config; or package the function as a Zip and deploy it with SignedFunction.`
    );
}

/** Verdicts for one resource's (raw or proxied) props: a function, or a CloudFormation stack's template. */
export function checkImageFunction(type: string, name: string, props: unknown, config: unknown, urn: string): string[] {
    const flavor = type === FUNCTION_TYPES.classic ? "classic" : type === FUNCTION_TYPES.native ? "native" : undefined;
    const stack = Object.values(CLOUDFORMATION_STACK_TYPES).includes(type as never);
    if (!flavor && !stack) {
        return [];
    }
    const { allowed, issues } = readImageFunctionsConfig(config);
    const out = issues.map(i => configViolationMessage(LAMBDA_IMAGE_FUNCTIONS, i));
    if (allowed) {
        return out;
    }
    if (flavor) {
        return readString(rawProps(props), "packageType") === "Image" ? [...out, imageMessage({ name, flavor })] : out;
    }
    const specs = templateOfResource({ type, urn, name, props })?.functions ?? [];
    return [...out, ...specs.filter(s => s.packageType === "Image").map(s => imageMessage(s))];
}

export const lambdaImageFunctions: ResourceValidationPolicy = {
    name: LAMBDA_IMAGE_FUNCTIONS,
    description:
        "Container-image Lambda functions can't use Lambda code signing; they are denied unless imageFunctions is \"allow\".",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            [IMAGE_FUNCTIONS]: {
                type: "string",
                enum: ["deny", "allow"],
                default: "deny",
                description: "\"allow\" permits container-image functions (sign and verify them with Notation instead).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        for (const message of checkImageFunction(args.type, args.name, args.props, safeConfig(() => args.getConfig()), args.urn)) {
            reportViolation(message, args.urn);
        }
    },
};
