import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LambdaArchitecture, validateArchitectures } from "./lambdaArchitecture";
import { createSignedArtifact, SignedCodeArgs, validateSignedCodeArgs } from "./signingPipeline";
import { fail, isPlain, patterns, sanitize } from "./validation";

/** Arguments of a SignedLayer. */
export interface SignedLayerArgs extends SignedCodeArgs {
    /**
     * Name of the layer (letters, digits, `-` and `_`, at most 64 characters). Defaults to the component name with
     * other characters replaced by `-`.
     */
    layerName?: string;
    /** Runtimes the layer is compatible with, e.g. `["nodejs20.x"]`; at most 15. */
    compatibleRuntimes?: pulumi.Input<string>[];
    /** Architectures the layer is compatible with: `x86_64`, `arm64` or both. */
    compatibleArchitectures?: LambdaArchitecture[];
    /** Description of the layer version. */
    description?: pulumi.Input<string>;
    /** License of the layer, an SPDX identifier, a URL or the license text (at most 512 characters). */
    licenseInfo?: pulumi.Input<string>;
}

/** A Lambda layer version published only from code signed with AWS Signer, usable by code-signed functions. */
export class SignedLayer extends pulumi.ComponentResource {
    /** ARN of the layer version (ends in `:<version>`): list it in a function's `layers`. */
    public readonly layerArn: pulumi.Output<string>;
    /** Name of the layer. */
    public readonly layerName: pulumi.Output<string>;
    /** Version number of the layer version. */
    public readonly layerVersion: pulumi.Output<string>;
    /** ID of the AWS Signer job that signed the layer code (unset for `signedCode` given by bucket and key). */
    public readonly signingJobId: pulumi.Output<string | undefined>;
    /** S3 key of the signed layer package in the artifact bucket. */
    public readonly signedObjectKey: pulumi.Output<string>;
    /** Signing profile version ARN that Lambda recorded for the layer version. */
    public readonly signingProfileVersionArn: pulumi.Output<string>;

    constructor(name: string, args: SignedLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lambda-code-signing:index:SignedLayer", name, {}, opts);

        const checked = validateSignedCodeArgs(this, args);
        const layerName = validateLayerArgs(this, name, args);

        const artifact = createSignedArtifact(name, this, checked);
        const layer = new aws.lambda.LayerVersion(`${name}-layer`, {
            layerName,
            s3Bucket: artifact.bucket,
            s3Key: artifact.key,
            s3ObjectVersion: artifact.objectVersion,
            compatibleRuntimes: args.compatibleRuntimes,
            compatibleArchitectures: args.compatibleArchitectures,
            description: args.description,
            licenseInfo: args.licenseInfo,
        }, { parent: this });

        this.layerArn = layer.arn;
        this.layerName = layer.layerName;
        this.layerVersion = layer.version;
        this.signingJobId = artifact.jobId;
        this.signedObjectKey = artifact.key;
        this.signingProfileVersionArn = layer.signingProfileVersionArn;
        this.registerOutputs({
            layerArn: this.layerArn,
            layerName: this.layerName,
            layerVersion: this.layerVersion,
            signingJobId: this.signingJobId,
            signedObjectKey: this.signedObjectKey,
            signingProfileVersionArn: this.signingProfileVersionArn,
        });
    }
}

/** Synchronous checks of the layer-specific arguments; returns the layer name to use. */
function validateLayerArgs(parent: pulumi.Resource, name: string, args: SignedLayerArgs): string {
    if (args.layerName !== undefined && (typeof args.layerName !== "string" || !patterns.layerName.test(args.layerName))) {
        fail(parent, "layerName", `${JSON.stringify(args.layerName)} is not a valid layer name`,
            "Use 1-64 letters, digits, - or _");
    }
    if (args.compatibleRuntimes !== undefined && args.compatibleRuntimes.length > 15) {
        fail(parent, "compatibleRuntimes", `has ${args.compatibleRuntimes.length} entries, more than the 15 AWS allows`,
            "List at most 15 runtimes");
    }
    validateArchitectures(parent, "compatibleArchitectures", args.compatibleArchitectures, 2);
    if (isPlain(args.licenseInfo) && typeof args.licenseInfo === "string" && args.licenseInfo.length > 512) {
        fail(parent, "licenseInfo", "is longer than 512 characters", "Pass an SPDX identifier or a URL instead");
    }
    return args.layerName ?? sanitize(name, /[a-zA-Z0-9_-]/, "-").slice(0, 64);
}
