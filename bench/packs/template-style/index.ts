// Written the way Pulumi's aws-typescript policy template writes packs: TypeScript compiled by ts-node when the
// pack starts, and @pulumi/aws imported for validateResourceOfType. (skipLibCheck is added: @pulumi/policy
// 1.21.0's typings do not compile without it.)
import * as aws from "@pulumi/aws";
import { PolicyPack, validateResourceOfType } from "@pulumi/policy";

new PolicyPack("aws-typescript", {
    policies: [{
        name: "lambda-code-signing-config",
        description: "Lambda functions must reference a code signing config.",
        enforcementLevel: "mandatory",
        validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
            if (!fn.codeSigningConfigArn) {
                reportViolation("Lambda functions must reference a code signing config.");
            }
        }),
    }],
});
