/**
 * lambda-signed-layers — every layer of a Lambda function is signed by a publisher its code signing config allows.
 *
 * Stack policy: in-stack layers (`propertyDependencies.layers`, or known layer ARNs; layers declared in an inline
 * CloudFormation template) must come from a SigningJob whose profile the CSC allows, or be an artifact signed outside
 * the stack listed in trustedSignedArtifacts; layer ARNs from outside the stack must match a trustedLayerArns glob
 * (each with a literal account). A layer list computed as a whole can't be accounted for element by element and
 * fails closed.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
    LayerTrust,
    PolicyConfigReader,
    TRUSTED_SIGNED_ARTIFACTS,
    TRUSTED_SIGNED_ARTIFACTS_SCHEMA,
    layerTrusted,
    parseLayerPattern,
    readSignedArtifacts,
    safeConfig,
} from "../lib/config";
import { Violation, configViolations, functionLabel, layerLabel, reportAll, signedArtifactHint, signedLayerFix } from "../lib/policyKit";
import { FunctionNode, LayerRef, StackGraph, codeFindings, inStackCscs, stackGraphFor } from "../lib/stackGraph";
import type { ArtifactTrust } from "../lib/config";

export const LAMBDA_SIGNED_LAYERS = "lambda-signed-layers";
/** Config: globs of layer version ARNs from outside the stack that are trusted (string[], default []). */
export const TRUSTED_LAYER_ARNS = "trustedLayerArns";

export interface LambdaSignedLayersConfig {
    trustedLayerArns?: string[];
    trustedSignedArtifacts?: string[];
}

export function readSignedLayersConfig(raw: unknown) {
    const reader = new PolicyConfigReader(raw, [TRUSTED_LAYER_ARNS, TRUSTED_SIGNED_ARTIFACTS]);
    const layers = reader.strings(TRUSTED_LAYER_ARNS, [], parseLayerPattern,
        `List layer ARN patterns that name the publishing account literally, e.g. "arn:aws:lambda:*:464622532012:layer:Datadog-*".`);
    const artifacts = readSignedArtifacts(reader);
    return { layers, artifacts, issues: reader.issues };
}

function layerMessages(fn: FunctionNode, ref: LayerRef, layers: LayerTrust[], artifacts: ArtifactTrust[]): string[] {
    const who = functionLabel(fn);
    switch (ref.kind) {
        case "external":
            return layerTrusted(layers, ref.arn) ? [] : [
                `${who} uses layer ${ref.arn}, which is not created in this stack and matches no pattern in ${TRUSTED_LAYER_ARNS}, so its ` +
                    `publisher can't be verified. If its vendor signs it with a profile your code signing config allows, add the publisher to ` +
                    `${TRUSTED_LAYER_ARNS} (e.g. "arn:aws:lambda:*:<account>:layer:<name>*"); otherwise deploy the layer with SignedLayer (lambda-code-signing).`,
            ];
        case "unverifiable":
            return [
                `${who}: can't verify its layers: ${ref.reason}. Pass the arn of LayerVersions created in this stack (e.g. with SignedLayer) ` +
                    `or literal ARNs matching ${TRUSTED_LAYER_ARNS}.`,
            ];
    }
    const layer = ref.layer;
    const subject = `${who} uses ${layerLabel(layer)}`;
    return codeFindings(layer.code, inStackCscs(fn.csc), artifacts).map(f =>
        f.kind === "unsigned"
            ? `${subject}: ${f.text}; a code signing config that enforces rejects unsigned layers at deploy. ${signedLayerFix(layer)}`
            : f.kind === "unverifiable"
              ? `${subject}: ${f.text}. ${signedLayerFix(layer)}${signedArtifactHint(artifacts.length > 0)}`
              : `${subject}: ${f.text.replace("its code is signed", "it is signed")}. Sign the layer with a profile the code signing config allows, ` +
                `or add that profile's versionArn to the config's allowedPublishers.`,
    );
}

export function evaluateSignedLayers(graph: StackGraph, config: unknown = {}): Violation[] {
    const { layers, artifacts, issues } = readSignedLayersConfig(config);
    const out: Violation[] = configViolations(LAMBDA_SIGNED_LAYERS, issues);
    for (const fn of graph.functions) {
        if (fn.code.kind === "image") { // packageType "Image", or a non-literal packageType with an imageUri
            continue;
        }
        for (const ref of fn.layers) {
            out.push(...layerMessages(fn, ref, layers, artifacts).map(message => ({ urn: fn.urn, message })));
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
                    "Globs of layer version ARNs from outside the stack whose publisher is trusted, e.g. \"arn:aws:lambda:*:464622532012:layer:Datadog-*\" (`*` matches any run of characters; the account must be literal).",
            },
            [TRUSTED_SIGNED_ARTIFACTS]: TRUSTED_SIGNED_ARTIFACTS_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        reportAll(reportViolation, evaluateSignedLayers(stackGraphFor(args.resources), safeConfig(() => args.getConfig())));
    },
};
