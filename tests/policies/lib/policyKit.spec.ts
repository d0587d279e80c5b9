import * as assert from "assert";
import {
    configViolations,
    cscPoliciesPath,
    cscProperty,
    layerLabel,
    reportAll,
    signedArtifactHint,
    signedCodeFix,
    signedLayerFix,
} from "../../../policies/lib/policyKit";
import type { Flavor } from "../../../policies/lib/stackGraph";

const FLAVORS: Flavor[] = ["classic", "native", "cloudformation"];
const perFlavor = (f: (x: { flavor: Flavor }) => string) => Object.fromEntries(FLAVORS.map(flavor => [flavor, f({ flavor })]));

describe("policies/lib/policyKit", () => {
    it("reportAll reports each violation, with its URN unless it concerns the whole stack", () => {
        const calls: unknown[][] = [];
        reportAll((...args: unknown[]) => calls.push(args), [{ urn: "urn:a", message: "m1" }, { urn: "", message: "m2" }]);
        assert.deepStrictEqual(calls, [["m1", "urn:a"], ["m2"]]);
    });

    it("configViolations are stack-level violations with the full configuration message", () => {
        assert.deepStrictEqual(configViolations("p", [{ property: "x", problem: "is 1", fix: "Set it to 2." }]), [
            { urn: "", message: `Invalid configuration of policy "p": x is 1. Set it to 2. Until the configuration is fixed, "p" applies its most restrictive setting for x.` },
        ]);
    });

    it("layerLabel names a Pulumi layer by name and URN, a template layer by logical ID and stack", () => {
        assert.strictEqual(layerLabel({ name: "l", urn: "urn:l" }), `layer "l" (urn:l)`);
        assert.strictEqual(layerLabel({ name: "cfn/L", urn: "urn:s", template: { logicalId: "L", stackName: "cfn" } as never }), `layer "L" of CloudFormation stack "cfn"`);
    });

    it("names the CSC mode property and the function's CSC property in each flavor's spelling", () => {
        assert.deepStrictEqual(perFlavor(cscPoliciesPath), {
            classic: "policies.untrustedArtifactOnDeployment",
            native: "codeSigningPolicies.untrustedArtifactOnDeployment",
            cloudformation: "CodeSigningPolicies.UntrustedArtifactOnDeployment",
        });
        assert.deepStrictEqual(perFlavor(cscProperty), {
            classic: "codeSigningConfigArn",
            native: "codeSigningConfigArn",
            cloudformation: "CodeSigningConfigArn",
        });
    });

    it("the fixes for unsigned function and layer code name each flavor's properties", () => {
        assert.deepStrictEqual(perFlavor(signedCodeFix), {
            classic: `Deploy it with SignedFunction (lambda-code-signing) or point s3Bucket/s3Key at a SigningJob's signedObjects.`,
            native: `Deploy it with SignedFunction (lambda-code-signing) or point code.s3Bucket/code.s3Key at a SigningJob's signedObjects.`,
            cloudformation: `Point Code.S3Bucket/Code.S3Key (SAM: CodeUri) at a SigningJob's signed object, passed in through the stack's parameters, or deploy the function with SignedFunction.`,
        });
        assert.deepStrictEqual(perFlavor(signedLayerFix), {
            classic: `Deploy the layer with SignedLayer (lambda-code-signing) or point its s3Bucket/s3Key at a SigningJob's signedObjects.`,
            native: `Deploy the layer with SignedLayer (lambda-code-signing) or point its content.s3Bucket/content.s3Key at a SigningJob's signedObjects.`,
            cloudformation: `Point the layer's Content.S3Bucket/Content.S3Key (SAM: ContentUri) at a SigningJob's signed object, passed in through the stack's parameters, or deploy it with SignedLayer.`,
        });
    });

    it("the trustedSignedArtifacts hint is added only when artifacts signed outside the stack are trusted", () => {
        assert.strictEqual(signedArtifactHint(true), ` An artifact signed outside the stack is accepted only as literal bucket and key values that match trustedSignedArtifacts.`);
        assert.strictEqual(signedArtifactHint(false), "");
    });
});
