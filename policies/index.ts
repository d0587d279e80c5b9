/**
 * The lambda-code-signing policy pack: the ONLY place that constructs the PolicyPack (constructing it starts the
 * analyzer's gRPC server; tests and the CLI import the rule modules instead).
 *
 * Runtime imports are kept tiny on purpose (cold start of every `pulumi preview --policy-pack`): @pulumi/policy,
 * which the pack needs anyway, plus our own small modules. @pulumi/aws is never loaded; rules compare type tokens.
 */
import { PolicyPack } from "@pulumi/policy";
import { installServerHooks } from "./lib/serverHooks";
import { installSharedDeserialization } from "./lib/sharedDeserialization";
import { coordinateStackPolicies, installConfigureCapture } from "./lib/stackCoordinator";
import { lambdaCloudformationTemplateUrl } from "./rules/lambda-cloudformation-template-url";
import { lambdaCscEnforceMode } from "./rules/lambda-csc-enforce-mode";
import { lambdaEnforceCodeSigning } from "./rules/lambda-enforce-code-signing";
import { lambdaImageFunctions } from "./rules/lambda-image-functions";
import { lambdaSignedCode } from "./rules/lambda-signed-code";
import { lambdaSignedLayers } from "./rules/lambda-signed-layers";
import { signerJobNoIgnoreFailure } from "./rules/signer-job-no-ignore-failure";
import { signerProfileHygiene } from "./rules/signer-profile-hygiene";

// Pack runtime only (see each module's comment): answer every request (serverHooks), deserialize each resource's
// properties once per request for all policies, accepting every value the engine sends (sharedDeserialization), and
// evaluate the three graph policies in one AnalyzeStack server pass, each under its own name, level and config.
installServerHooks();
installSharedDeserialization();
installConfigureCapture();
const [enforceCodeSigning, signedLayers, signedCode] = coordinateStackPolicies(
    [lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode],
    "mandatory",
);

new PolicyPack("lambda-code-signing", {
    description:
        "Every AWS Lambda function runs only code signed by AWS Signer, behind a code signing config that enforces.",
    enforcementLevel: "mandatory",
    policies: [
        enforceCodeSigning,
        signedLayers,
        signedCode,
        lambdaImageFunctions,
        signerProfileHygiene,
        signerJobNoIgnoreFailure,
        lambdaCscEnforceMode,
        lambdaCloudformationTemplateUrl,
    ],
});
