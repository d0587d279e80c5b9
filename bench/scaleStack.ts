import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../engine/capture";
import { CapturedResource, CapturedStack } from "../engine/types";

/** One signed function as a careful user wires it: its object, signing job and a signed layer (6 resources). */
function signedFunction(i: number, profile: aws.signer.SigningProfile, csc: aws.lambda.CodeSigningConfig, bucket: aws.s3.Bucket) {
    const signed = (role: string, text: string) => {
        const object = new aws.s3.BucketObjectv2(`f${i}-${role}-unsigned`, {
            bucket: bucket.bucket, key: `unsigned/f${i}-${role}.zip`,
            source: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(text) }),
        });
        return new aws.signer.SigningJob(`f${i}-${role}-signing`, {
            profileName: profile.name,
            source: { s3: { bucket: object.bucket, key: object.key, version: object.versionId } },
            destination: { s3: { bucket: bucket.bucket, prefix: `signed/f${i}-${role}/` } },
            ignoreSigningJobFailure: false,
        });
    };
    const location = (job: aws.signer.SigningJob) => ({
        s3Bucket: job.signedObjects.apply((o) => o[0].s3s![0].bucket!),
        s3Key: job.signedObjects.apply((o) => o[0].s3s![0].key!),
    });
    const layer = new aws.lambda.LayerVersion(`f${i}-layer`, { layerName: `f${i}-layer`, ...location(signed("layer", `layer ${i}`)) });
    new aws.lambda.Function(`f${i}-function`, {
        role: "arn:aws:iam::123456789012:role/bench", runtime: "nodejs20.x", handler: "index.handler",
        codeSigningConfigArn: csc.arn, layers: [layer.arn], ...location(signed("code", `code ${i}`)),
    });
}

function program() {
    const profile = new aws.signer.SigningProfile("profile", { platformId: "AWSLambda-SHA384-ECDSA", namePrefix: "bench_" });
    const csc = new aws.lambda.CodeSigningConfig("csc", {
        allowedPublishers: { signingProfileVersionArns: [profile.versionArn] },
        policies: { untrustedArtifactOnDeployment: "Enforce" },
    });
    const bucket = new aws.s3.Bucket("artifacts", {});
    new aws.s3.BucketVersioning("artifacts-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    signedFunction(0, profile, csc, bucket);
}

function renamed(res: CapturedResource, i: number): CapturedResource {
    return JSON.parse(JSON.stringify(res).replace(/\bf0-/g, `f${i}-`));
}

/**
 * A preview-mode stack of `count` signed functions: captured once from a real program under the mock monitor, then
 * the per-function resources are repeated under new names (same shape, unknowns and dependencies as captured).
 */
export async function scaleStack(count: number): Promise<CapturedStack> {
    const template = await runProgram(program, { preview: true, project: "bench", stack: "scale" });
    const perFunction = template.resources.filter((r) => /\bf0-/.test(r.name));
    const shared = template.resources.filter((r) => !perFunction.includes(r));
    const resources = [...shared];
    for (let i = 0; i < count; i++) {
        resources.push(...perFunction.map((r) => renamed(r, i)));
    }
    return { ...template, resources };
}
