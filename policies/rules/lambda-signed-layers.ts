/**
 * lambda-signed-layers — every layer of a Lambda function is signed by a publisher its code signing config allows.
 *
 * In-stack layers must take their code from a Signer SigningJob (traced through propertyDependencies) whose profile
 * the function's in-stack CSC allows; layers given as literal ARNs must match a `trustedLayerArns` glob. When the
 * function's CSC is outside the stack, a layer from a signing job is enough (lambda-enforce-code-signing judges the
 * CSC's trust). Unknown layer ARNs must trace to in-stack LayerVersions.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
    Violation,
    configStrings,
    cscLabel,
    functionLabel,
    jobLabel,
    layerLabel,
    reportAll,
    safeConfig,
    signedLayerFix,
} from "../lib/policyKit";
import { StackGraph, describeAllowed, jobsNotAllowed, stackGraphFor } from "../lib/stackGraph";
import { globMatch } from "../lib/values";

export const LAMBDA_SIGNED_LAYERS = "lambda-signed-layers";
/** Config: globs of layer version ARNs from outside the stack that are trusted (string[], default []). */
export const TRUSTED_LAYER_ARNS = "trustedLayerArns";

export interface LambdaSignedLayersConfig {
    trustedLayerArns?: string[];
}

export function evaluateSignedLayers(graph: StackGraph, config: LambdaSignedLayersConfig = {}): Violation[] {
    const trusted = configStrings(config.trustedLayerArns, []);
    const out: Violation[] = [];
    for (const fn of graph.functions) {
        if (fn.packageType === "Image" || fn.code.kind === "image") {
            continue;
        }
        const who = functionLabel(fn);
        const report = (message: string) => out.push({ urn: fn.urn, message });
        const csc = fn.csc.kind === "in-stack" ? fn.csc.resource : undefined;
        for (const ref of fn.layers) {
            switch (ref.kind) {
                case "external":
                    if (!trusted.some(g => globMatch(g, ref.arn))) {
                        report(
                            `${who} uses layer ${ref.arn}, which is not created in this stack and matches no pattern in ` +
                                `${TRUSTED_LAYER_ARNS}, so its publisher can't be verified. If its vendor signs it with a ` +
                                `profile your code signing config allows, add the publisher to ${TRUSTED_LAYER_ARNS} ` +
                                `(e.g. "arn:aws:lambda:*:<account>:layer:<name>*"); otherwise deploy the layer with SignedLayer (lambda-code-signing).`,
                        );
                    }
                    break;
                case "unverifiable":
                    report(
                        `${who}: can't verify its layers: ${ref.reason}. Pass the arn of LayerVersions created in this ` +
                            `stack (e.g. with SignedLayer) or literal ARNs matching ${TRUSTED_LAYER_ARNS}.`,
                    );
                    break;
                case "in-stack": {
                    const layer = ref.layer;
                    const code = layer.code;
                    if (code.kind === "inline" || code.kind === "plain-s3") {
                        report(
                            `${who} uses ${layerLabel(layer)}: ${code.detail}; a code signing config that enforces rejects ` +
                                `unsigned layers at deploy. ${signedLayerFix(layer)}`,
                        );
                    } else if (code.kind === "unverifiable" || code.kind === "image") {
                        report(
                            `${who} uses ${layerLabel(layer)}: can't verify that its code is signed: ` +
                                `${code.kind === "image" ? "it has no zip code source" : code.reason}. ${signedLayerFix(layer)}`,
                        );
                    } else if (csc) {
                        for (const job of jobsNotAllowed(csc, code)) {
                            report(
                                `${who} uses ${layerLabel(layer)}, signed by ${jobLabel(job)}, which its ${cscLabel(csc)} ` +
                                    `does not allow (allowed: ${describeAllowed(csc, graph)}). Sign the layer with a profile ` +
                                    `the code signing config allows, or add that profile's versionArn to the config's allowedPublishers.`,
                            );
                        }
                    }
                    break;
                }
            }
        }
    }
    return out;
}

export const lambdaSignedLayers: StackValidationPolicy = {
    name: LAMBDA_SIGNED_LAYERS,
    description: "Every layer of a Lambda function must be signed by a publisher its code signing config allows.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            [TRUSTED_LAYER_ARNS]: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "Globs of layer version ARNs from outside the stack whose publisher is trusted, e.g. \"arn:aws:lambda:*:464622532012:layer:Datadog-*\" (`*` matches any run of characters).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = safeConfig<LambdaSignedLayersConfig>(() => args.getConfig<LambdaSignedLayersConfig>());
        reportAll(reportViolation, evaluateSignedLayers(stackGraphFor(args.resources), config));
    },
};
