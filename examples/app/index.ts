// An orders service where only signed code runs in Lambda.
// In your own program: import { CodeSigningGuard, SignedFunction, SignedLayer } from "lambda-code-signing";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../..";

// Datadog signs its Lambda layers; trusting its signing profile lets the Enforce CSC accept them.
const DATADOG_PROFILE_VERSION_ARN = "arn:aws:signer:us-east-1:464622532012:/signing-profiles/DatadogLambdaSigningProfile/9vMI9ZAGLc";
const DATADOG_NODE_LAYER_ARN = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115";

const guard = new CodeSigningGuard("orders-signing", {
    signatureValidityMonths: 24,
    trustedProfileVersionArns: [DATADOG_PROFILE_VERSION_ARN],
    enableAlerts: true,
    tags: { team: "orders" },
});

const shared = new SignedLayer("order-utils", {
    ...guard.signingArgs(),
    code: new pulumi.asset.FileArchive("./layers/shared"),
    compatibleRuntimes: ["nodejs20.x"],
    description: "Helpers shared by the orders functions",
});

const orders = new SignedFunction("orders-api", {
    ...guard.signingArgs(),
    code: new pulumi.asset.FileArchive("./functions/orders"),
    runtime: "nodejs20.x",
    handler: "index.handler",
    memorySize: 256,
    timeout: 10,
    architectures: ["arm64"],
    layers: [shared.layerArn, DATADOG_NODE_LAYER_ARN],
    environment: { ORDERS_TABLE: "orders", DD_SERVICE: "orders-api" },
    tags: { team: "orders" },
});

// Built by `pulumi up` with a local command; the archive it produces is what gets signed.
const payments = new SignedFunction("payments-worker", {
    ...guard.signingArgs(),
    build: { command: "mkdir -p dist && cp src/*.js dist/", directory: "./functions/payments", archivePaths: ["dist/**"] },
    runtime: "nodejs20.x",
    handler: "handler.handler",
    timeout: 30,
    layers: [shared.layerArn],
    tags: { team: "orders" },
});

export const codeSigningConfigArn = guard.codeSigningConfigArn;
export const signerPolicyArn = guard.signerPolicyArn;
export const deployerPolicyArn = guard.deployerPolicyArn;
export const ordersFunctionArn = orders.functionArn;
export const paymentsFunctionArn = payments.functionArn;
