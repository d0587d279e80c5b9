/**
 * lambda-image-functions — container-image Lambda functions cannot use Lambda code signing.
 *
 * Resource policy (runs on the inputs in Analyze, before the function is created): a function with
 * `packageType: "Image"` is a violation unless the config says `imageFunctions: "allow"` — images must be signed and
 * verified another way (Notation, AWS Signer platform Notation-OCI-SHA384-ECDSA).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { Violation, functionLabel, safeConfig } from "../lib/policyKit";
import { FUNCTION_TYPES, StackGraph } from "../lib/stackGraph";
import { rawProps, readString } from "../lib/values";

export const LAMBDA_IMAGE_FUNCTIONS = "lambda-image-functions";
/** Config: "deny" (default) or "allow" container-image functions. */
export const IMAGE_FUNCTIONS = "imageFunctions";

export interface LambdaImageFunctionsConfig {
    imageFunctions?: "deny" | "allow";
}

function allowed(config: LambdaImageFunctionsConfig): boolean {
    return config.imageFunctions === "allow";
}

function imageMessage(fn: { name: string; flavor: "classic" | "native" }): string {
    return (
        `${functionLabel(fn)} is a container image (packageType "Image"): Lambda code signing does not support ` +
        `container images, so no code signing config can verify its code. Sign the image with Notation (AWS Signer ` +
        `platform Notation-OCI-SHA384-ECDSA) and verify the signature before deployment, then set ${IMAGE_FUNCTIONS} to ` +
        `"allow" in the ${LAMBDA_IMAGE_FUNCTIONS} policy config; or package the function as a Zip and deploy it with SignedFunction.`
    );
}

/** Same verdicts from a stack graph (used by the CLI). */
export function evaluateImageFunctions(graph: StackGraph, config: LambdaImageFunctionsConfig = {}): Violation[] {
    if (allowed(config)) {
        return [];
    }
    return graph.functions.filter(fn => fn.packageType === "Image").map(fn => ({ urn: fn.urn, message: imageMessage(fn) }));
}

/** Verdict for one function resource's (raw or proxied) props; undefined when compliant or not a function. */
export function checkImageFunction(
    type: string,
    name: string,
    props: unknown,
    config: LambdaImageFunctionsConfig = {},
): string | undefined {
    const flavor = type === FUNCTION_TYPES.classic ? "classic" : type === FUNCTION_TYPES.native ? "native" : undefined;
    if (!flavor || allowed(config)) {
        return undefined;
    }
    return readString(rawProps(props), "packageType") === "Image" ? imageMessage({ name, flavor }) : undefined;
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
        if (args.type !== FUNCTION_TYPES.classic && args.type !== FUNCTION_TYPES.native) {
            return;
        }
        const config = safeConfig<LambdaImageFunctionsConfig>(() => args.getConfig<LambdaImageFunctionsConfig>());
        const message = checkImageFunction(args.type, args.name, args.props, config);
        if (message) {
            reportViolation(message, args.urn);
        }
    },
};
