// Four ways Lambda code ends up unsigned. `lambda-code-signing check examples/unsigned` names each one.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const role = new aws.iam.Role("report-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
});
new aws.iam.RolePolicyAttachment("report-role-logs", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});

// 1. No code signing config at all: any code deploys.
new aws.lambda.Function("report-generator", {
    role: role.arn,
    runtime: "nodejs20.x",
    handler: "index.handler",
    code: new pulumi.asset.FileArchive("./functions/report"),
});

// 2. A CSC in Warn mode: unsigned or tampered code deploys with only a warning.
const profile = new aws.signer.SigningProfile("reports-profile", {
    platformId: "AWSLambda-SHA384-ECDSA",
    namePrefix: "reports_",
});
const warnOnly = new aws.lambda.CodeSigningConfig("warn-only", {
    allowedPublishers: { signingProfileVersionArns: [profile.versionArn] },
    policies: { untrustedArtifactOnDeployment: "Warn" },
});

// 3. A layer uploaded as a plain archive, never signed, used by a function behind the Warn CSC.
const helpers = new aws.lambda.LayerVersion("report-helpers", {
    layerName: "report-helpers",
    code: new pulumi.asset.AssetArchive({
        "nodejs/node_modules/report-helpers/index.js": new pulumi.asset.StringAsset("exports.format = (r) => JSON.stringify(r);"),
    }),
    compatibleRuntimes: ["nodejs20.x"],
});
new aws.lambda.Function("report-exporter", {
    role: role.arn,
    runtime: "nodejs20.x",
    handler: "index.handler",
    code: new pulumi.asset.FileArchive("./functions/report"),
    codeSigningConfigArn: warnOnly.arn,
    layers: [helpers.arn],
});

// 4. A function whose code is a serialized JavaScript closure: always an inline, unsigned archive.
new aws.lambda.CallbackFunction("legacy-webhook", {
    role: role,
    callback: async () => ({ statusCode: 200, body: "ok" }),
});
