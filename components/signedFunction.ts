import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LambdaArchitecture, validateArchitectures } from "./lambdaArchitecture";
import { createSignedArtifact, SignedCodeArgs, validateSignedCodeArgs } from "./signingPipeline";
import {
    checkArnList, checkWhenKnown, fail, patterns, requireInteger, requiredStringInput, reservedEnvironmentKeys, sanitize,
} from "./validation";

/** Arguments of a SignedFunction. */
export interface SignedFunctionArgs extends SignedCodeArgs {
    /**
     * ARN of the code signing config the function is attached to (CodeSigningGuard output `codeSigningConfigArn`).
     * Lambda checks every deployment of the function against it.
     */
    codeSigningConfigArn: pulumi.Input<string>;
    /**
     * Name prefix of the functions the guard governs (CodeSigningGuard output `functionNamePrefix`). The function is
     * named `<prefix><component name>-<hash of organization/project/stack/name>`, so the guard's deployer policy lets
     * the deploy identity create and update it. Defaults to a Pulumi auto-name, which that policy refuses.
     */
    functionNamePrefix?: pulumi.Input<string>;
    /** Lambda runtime identifier, e.g. `nodejs20.x` or `python3.12`. Required. */
    runtime: pulumi.Input<string>;
    /** Function entry point in your code, e.g. `index.handler`. Required. */
    handler: pulumi.Input<string>;
    /** Memory in MB, 128 to 10240. Defaults to Lambda's default (128). */
    memorySize?: pulumi.Input<number>;
    /** Timeout in seconds, 1 to 900. Defaults to Lambda's default (3). */
    timeout?: pulumi.Input<number>;
    /** Instruction set, at most one of `x86_64` and `arm64`. Defaults to `x86_64`. */
    architectures?: LambdaArchitecture[];
    /**
     * Environment variables of the function. Names must match `^[a-zA-Z][a-zA-Z0-9_]*$` and must not be variables
     * the Lambda runtime reserves (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, ...).
     */
    environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * Layer version ARNs (`arn:aws:lambda:<region>:<account>:layer:<name>:<version>`), at most 5. With code signing
     * every layer must be signed by a profile the code signing config trusts (e.g. a SignedLayer's `layerArn`).
     */
    layers?: pulumi.Input<string>[];
    /** Tags for the function and, when created, its role. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Description of the function. */
    description?: pulumi.Input<string>;
    /** Publish a new function version on each code change. Defaults to false. */
    publish?: pulumi.Input<boolean>;
    /**
     * Deployment package type. Only `Zip` (the default) is supported: Lambda code signing cannot sign container
     * images; sign those with Notation and AWS Signer instead.
     */
    packageType?: string;
    /**
     * ARN of an existing execution role. Defaults to a new role that trusts lambda.amazonaws.com and has only the
     * AWSLambdaBasicExecutionRole managed policy (CloudWatch Logs).
     */
    roleArn?: pulumi.Input<string>;
}

/** A Lambda function whose code is uploaded, signed with AWS Signer and deployed only from the signed object. */
export class SignedFunction extends pulumi.ComponentResource {
    /** ARN of the Lambda function. */
    public readonly functionArn: pulumi.Output<string>;
    /** Name of the Lambda function. */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the function's execution role (the created one, or `roleArn`). */
    public readonly roleArn: pulumi.Output<string>;
    /** ID of the AWS Signer job that signed the deployed code (unset for `signedCode` given by bucket and key). */
    public readonly signingJobId: pulumi.Output<string | undefined>;
    /** S3 key of the signed deployment package in the artifact bucket. */
    public readonly signedObjectKey: pulumi.Output<string>;
    /** Signing profile version ARN that Lambda recorded for the deployed code. */
    public readonly signingProfileVersionArn: pulumi.Output<string>;

    constructor(name: string, args: SignedFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lambda-code-signing:index:SignedFunction", name, {}, opts);

        const checked = validateFunctionArgs(this, args);

        const artifact = createSignedArtifact(name, this, checked);
        const role = args.roleArn === undefined ? createExecutionRole(name, this, args.tags) : undefined;

        const fn = new aws.lambda.Function(`${name}-function`, {
            name: checked.functionNamePrefix === undefined ? undefined
                : pulumi.output(checked.functionNamePrefix).apply(p => governedFunctionName(p, name)),
            packageType: "Zip",
            s3Bucket: artifact.bucket,
            s3Key: artifact.key,
            s3ObjectVersion: artifact.objectVersion,
            codeSigningConfigArn: checked.codeSigningConfigArn,
            runtime: checked.runtime,
            handler: checked.handler,
            role: role ? role.arn : checked.roleArn!,
            memorySize: checked.memorySize,
            timeout: checked.timeout,
            architectures: args.architectures,
            environment: checked.environment === undefined ? undefined : { variables: checked.environment },
            layers: checked.layers,
            tags: args.tags,
            description: args.description,
            publish: args.publish,
        }, { parent: this, dependsOn: role ? [role.attachment] : [] });

        this.functionArn = fn.arn;
        this.functionName = fn.name;
        this.roleArn = fn.role;
        this.signingJobId = artifact.jobId;
        this.signedObjectKey = artifact.key;
        this.signingProfileVersionArn = fn.signingProfileVersionArn;
        this.registerOutputs({
            functionArn: this.functionArn,
            functionName: this.functionName,
            roleArn: this.roleArn,
            signingJobId: this.signingJobId,
            signedObjectKey: this.signedObjectKey,
            signingProfileVersionArn: this.signingProfileVersionArn,
        });
    }
}

function validateEnvironmentKeys(parent: pulumi.Resource, variables: Record<string, unknown>): void {
    for (const key of Object.keys(variables ?? {})) {
        if (!patterns.environmentKey.test(key)) {
            fail(parent, "environment", `${JSON.stringify(key)} is not a valid variable name`,
                "Use names matching ^[a-zA-Z][a-zA-Z0-9_]*$");
        }
        if (reservedEnvironmentKeys.has(key)) {
            fail(parent, "environment", `${key} is reserved by the Lambda runtime`,
                "Rename the variable; Lambda sets reserved variables itself");
        }
    }
}

/** All synchronous checks, in argument order; returns the inputs with the deferred (when-known) checks attached. */
function validateFunctionArgs(parent: pulumi.Resource, args: SignedFunctionArgs) {
    if (args.packageType !== undefined && args.packageType !== "Zip") {
        const fix = args.packageType === "Image"
            ? "Lambda code signing cannot sign container images; deploy images with aws.lambda.Function and sign " +
              "them with Notation and AWS Signer (platform Notation-OCI-SHA384-ECDSA) instead"
            : "Omit packageType or pass \"Zip\"";
        fail(parent, "packageType", `${JSON.stringify(args.packageType)} is not supported`, fix);
    }
    const code = validateSignedCodeArgs(parent, args);
    const codeSigningConfigArn = requiredStringInput(parent, "codeSigningConfigArn", args.codeSigningConfigArn,
        "Pass the CodeSigningGuard output codeSigningConfigArn", patterns.codeSigningConfigArn);
    const runtime = requiredStringInput(parent, "runtime", args.runtime,
        "Pass a Lambda runtime such as \"nodejs20.x\" or \"python3.12\"");
    const handler = requiredStringInput(parent, "handler", args.handler,
        "Pass the entry point in your code, e.g. \"index.handler\"");
    const memorySize = args.memorySize === undefined ? undefined : checkWhenKnown(args.memorySize,
        v => requireInteger(parent, "memorySize", v, 128, 10240, "MB"));
    const timeout = args.timeout === undefined ? undefined : checkWhenKnown(args.timeout,
        v => requireInteger(parent, "timeout", v, 1, 900, "seconds"));
    validateArchitectures(parent, "architectures", args.architectures, 1);
    const environment = args.environment === undefined ? undefined
        : checkWhenKnown(args.environment, v => validateEnvironmentKeys(parent, v));
    const layers = checkArnList(parent, "layers", args.layers, patterns.layerVersionArn, 5,
        "Pass layer version ARNs like arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3 (a SignedLayer's layerArn)");
    const functionNamePrefix = args.functionNamePrefix === undefined ? undefined : requiredStringInput(parent,
        "functionNamePrefix", args.functionNamePrefix, "Pass the CodeSigningGuard output functionNamePrefix",
        /^[a-zA-Z0-9_-]{1,40}$/);
    const roleArn = args.roleArn === undefined ? undefined : requiredStringInput(parent, "roleArn", args.roleArn,
        "Pass an ARN like arn:aws:iam::123456789012:role/my-role, or omit roleArn to create a role", patterns.roleArn);
    return { ...code, codeSigningConfigArn, functionNamePrefix, runtime, handler, memorySize, timeout, environment, layers, roleArn };
}

/**
 * `<prefix><name>-<7 hex>` within Lambda's 64 characters. The hash of organization, project, stack and component name
 * keeps two stacks deploying the same program from colliding, and stays the same across deployments.
 */
export function governedFunctionName(prefix: string, name: string): string {
    const unique = crypto.createHash("sha256")
        .update(`${organization()}/${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, 7);
    const base = sanitize(name, /[a-zA-Z0-9_-]/, "-").slice(0, Math.max(0, 64 - prefix.length - 8));
    return `${prefix}${base}-${unique}`;
}

/** The Pulumi organization; unit tests with Pulumi's standard mocks may not set one. */
function organization(): string {
    try {
        return pulumi.getOrganization();
    } catch {
        return "";
    }
}

/** Execution role with CloudWatch Logs access only. */
function createExecutionRole(name: string, parent: pulumi.Resource,
    tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined) {
    const partition = aws.getPartitionOutput({}, { parent });
    const role = new aws.iam.Role(`${name}-role`, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
    }, { parent });
    const attachment = new aws.iam.RolePolicyAttachment(`${name}-basic-execution`, {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
    }, { parent });
    return { arn: role.arn, attachment };
}
