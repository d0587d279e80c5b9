/**
 * The repository's components (CodeSigningGuard, SignedFunction, SignedLayer) produce stacks the pack accepts, in
 * preview and update; the same stacks with one unsigned addition are caught.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer, UntrustedArtifactAction } from "../../index";
import { expectViolations, withPack } from "./helpers";
import { DATADOG_LAYER_ARN, DATADOG_LAYER_GLOB, DATADOG_PROFILE_VERSION_ARN, ROLE_ARN, Wrapper, codeArchive } from "./programs";

function componentsProgram(extra?: (guard: CodeSigningGuard) => void) {
    return () => {
        const guard = new CodeSigningGuard("orders-signing", {
            signatureValidityMonths: 24,
            signingProfileName: "orders_signing",
            trustedProfileVersionArns: [DATADOG_PROFILE_VERSION_ARN],
        });
        const layer = new SignedLayer("order-utils", { ...guard.signingArgs(), code: codeArchive("exports.util = 1;"), compatibleRuntimes: ["nodejs20.x"] });
        new SignedFunction("orders-api", {
            ...guard.signingArgs(),
            code: codeArchive(),
            runtime: "nodejs20.x",
            handler: "index.handler",
            layers: [layer.layerArn, DATADOG_LAYER_ARN],
        });
        new Wrapper("team", o => {
            new SignedFunction("nested-worker", { ...guard.signingArgs(), code: codeArchive(), runtime: "nodejs20.x", handler: "index.handler", layers: [layer.layerArn] }, o);
        });
        extra?.(guard);
    };
}

const CONFIG = { "lambda-signed-layers": { trustedLayerArns: [DATADOG_LAYER_GLOB] } };

describe("policies: stacks built with CodeSigningGuard, SignedFunction and SignedLayer", () => {
    const pack = withPack();

    it("a compliant stack passes with zero diagnostics in preview and update", async () => {
        const { preview, update } = await pack.both(componentsProgram(), CONFIG);
        expectViolations(preview, []);
        expectViolations(update, []);
    });

    it("a guard in acknowledged Warn mode is reported on every function and on the CSC", async () => {
        const { preview, urn } = await pack.both(() => {
            const guard = new CodeSigningGuard("warn-guard", { signingProfileName: "warn_guard", untrustedArtifactOnDeployment: UntrustedArtifactAction.Warn, acknowledgeWarnMode: true });
            new SignedFunction("fn", { ...guard.signingArgs(), code: codeArchive(), runtime: "nodejs20.x", handler: "index.handler" });
        }, CONFIG);
        expectViolations(preview, [
            { policy: "lambda-enforce-code-signing", urn: urn("fn-function"), message: /Warn/ },
            { policy: "lambda-csc-enforce-mode", urn: urn("warn-guard-csc") },
        ]);
    });

    it("an unsigned function and an unsigned layer next to the components are caught", async () => {
        const { update, urn } = await pack.both(componentsProgram(guard => {
            const raw = new aws.lambda.LayerVersion("raw-layer", { layerName: "raw-layer", code: new pulumi.asset.AssetArchive({ "x.js": new pulumi.asset.StringAsset("1") }) });
            new aws.lambda.Function("raw-fn", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive(), codeSigningConfigArn: guard.codeSigningConfigArn, layers: [raw.arn] });
        }), CONFIG);
        expectViolations(update, [
            { policy: "lambda-signed-code", urn: urn("raw-fn"), message: /Deploy it with SignedFunction/ },
            { policy: "lambda-signed-layers", urn: urn("raw-fn"), message: /layer "raw-layer"/ },
        ]);
    });

    it("a deploy-only stack with signedCode passes once its location is a trustedSignedArtifacts pattern (two-job CI layout)", async () => {
        const csc = "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0";
        const program = () => {
            new SignedFunction("api", {
                signingProfileName: "team_0001", artifactBucket: "team-artifacts", codeSigningConfigArn: csc, functionNamePrefix: "team-",
                runtime: "nodejs20.x", handler: "index.handler", roleArn: ROLE_ARN,
                signedCode: { bucket: "team-artifacts", key: "signed/api/0f1e2d3c.zip", objectVersion: "v1" },
            });
        };
        const trustCsc = { "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: [csc] } };
        const without = await pack.both(program, trustCsc);
        expectViolations(without.preview, [{
            policy: "lambda-signed-code", urn: without.urn("api-function"),
            message: /its s3Key "signed\/api\/0f1e2d3c\.zip" is a literal object key, not a SigningJob's signed object/,
        }]);
        const trusted = await pack.both(program, { ...trustCsc, "lambda-signed-code": { trustedSignedArtifacts: ["s3://team-artifacts/signed/*"] } });
        expectViolations(trusted.preview, []);
        expectViolations(trusted.update, []);
    });
});

