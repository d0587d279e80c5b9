import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, CodeSigningGuardArgs, SignedFunction } from "../../../index";
import { tempDir } from "../harness";
import { runProgram, RunResult } from "../../../engine/capture";

// Runs a CodeSigningGuard under the mock engine in update mode (known ARNs, as after `pulumi up`) and returns the
// policy documents its resources registered, exactly as they would reach AWS.

export interface DeployedGuard {
    run: RunResult;
    codeSigningConfigArn: string;
    signingProfileArn: string;
    signingProfileVersionArn: string;
    bucket: string;
    functionNamePrefix: string;
    alertTopicArn?: string;
    signer: any;
    deployer: any;
    bucketPolicy?: any;
    artifactKeyArn?: string;
    artifactKeyPolicy?: any;
    alertKeyArn?: string;
    alertKeyPolicy?: any;
    topicPolicy?: any;
    trailBucketPolicy?: any;
    trailArn?: string;
    /** ARN of the SignedFunction "api" deployed with `guard.signingArgs()` (when asked for). */
    functionArn?: string;
}

function policyOf(run: RunResult, type: string, name: string): any {
    const found = run.resources.filter(r => r.type === type && r.name === name);
    if (found.length > 1) {
        throw new Error(`two ${type} named ${name}`);
    }
    return found[0] === undefined ? undefined : JSON.parse(found[0].inputs.policy as string);
}

function outputOf(run: RunResult, type: string, name: string, key: string): string | undefined {
    return run.resources.find(r => r.type === type && r.name === name)?.outputs[key] as string | undefined;
}

export async function deployGuard(args: CodeSigningGuardArgs = {}, name = "team", withFunction = false): Promise<DeployedGuard> {
    const code = withFunction ? new pulumi.asset.FileArchive(tempDir({ "index.js": "exports.handler = async () => 1;" })) : undefined;
    const run = await runProgram(() => {
        const guard = new CodeSigningGuard(name, args);
        if (code) {
            new SignedFunction("api", { ...guard.signingArgs(), code, runtime: "nodejs20.x", handler: "index.handler" });
        }
        return {
            codeSigningConfigArn: guard.codeSigningConfigArn,
            signingProfileVersionArn: guard.signingProfileVersionArn,
            bucket: guard.artifactBucketName,
            functionNamePrefix: guard.functionNamePrefix,
            alertTopicArn: guard.alertTopicArn,
        };
    }, { preview: false });
    const out = run.stackOutputs as Record<string, string>;
    const trailName = run.resources.find(r => r.type === "aws:cloudtrail/trail:Trail")?.inputs.name as string | undefined;
    return {
        run,
        codeSigningConfigArn: out.codeSigningConfigArn,
        signingProfileVersionArn: out.signingProfileVersionArn,
        signingProfileArn: out.signingProfileVersionArn.replace(/\/[^/]+$/, ""),
        bucket: out.bucket,
        functionNamePrefix: out.functionNamePrefix,
        alertTopicArn: out.alertTopicArn,
        signer: policyOf(run, "aws:iam/policy:Policy", `${name}-signer`),
        deployer: policyOf(run, "aws:iam/policy:Policy", `${name}-deployer`),
        bucketPolicy: policyOf(run, "aws:s3/bucketPolicy:BucketPolicy", `${name}-artifacts-tls-only`),
        artifactKeyArn: outputOf(run, "aws:kms/key:Key", `${name}-key`, "arn"),
        artifactKeyPolicy: policyOf(run, "aws:kms/key:Key", `${name}-key`),
        alertKeyArn: outputOf(run, "aws:kms/key:Key", `${name}-alerts-key`, "arn"),
        alertKeyPolicy: policyOf(run, "aws:kms/key:Key", `${name}-alerts-key`),
        topicPolicy: policyOf(run, "aws:sns/topicPolicy:TopicPolicy", `${name}-alerts-policy`),
        trailBucketPolicy: policyOf(run, "aws:s3/bucketPolicy:BucketPolicy", `${name}-trail-logs-policy`),
        trailArn: trailName && `arn:aws:cloudtrail:us-east-1:123456789012:trail/${trailName}`,
        functionArn: outputOf(run, "aws:lambda/function:Function", "api-function", "arn"),
    };
}
