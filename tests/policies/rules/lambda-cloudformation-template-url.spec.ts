import * as assert from "assert";
import { lambdaCloudformationTemplateUrl } from "../../../policies/rules/lambda-cloudformation-template-url";
import { T, UNKNOWN, analyzeResource, withConfig } from "../helpers";

describe("policies/rules/lambda-cloudformation-template-url", () => {
    it("reports a stack given only by templateUrl, at its own level (advisory by default)", async () => {
        assert.strictEqual(lambdaCloudformationTemplateUrl.enforcementLevel, "advisory");
        const d = await analyzeResource([lambdaCloudformationTemplateUrl], T.cfnStack, "remote", { templateUrl: "https://example.com/t.yaml" });
        assert.deepStrictEqual(d.map(x => [x.policy, x.level, x.message]), [["lambda-cloudformation-template-url", "advisory",
            `CloudFormation stacks given only by templateUrl can't be checked for unsigned Lambda code (level configurable; advisory by default).\n` +
            `CloudFormation stack "remote": its template is given only by templateUrl, which the policy pack can't read, so the Lambda functions, layers and code signing configs it declares are not checked. Pass the template inline as templateBody (e.g. fs.readFileSync("template.yaml", "utf8")), or review it separately and set this policy to "disabled".`]]);
        const native = await analyzeResource([lambdaCloudformationTemplateUrl], "aws-native:cloudformation:Stack", "n", { templateUrl: "https://x" });
        assert.strictEqual(native.length, 1);
    });

    it("says nothing about inline or unreadable bodies (lambda-enforce-code-signing owns those) or other resources", async () => {
        for (const props of [{ templateBody: "{}" }, { templateBody: UNKNOWN, templateUrl: "https://x" }, {}]) {
            assert.deepStrictEqual(await analyzeResource([lambdaCloudformationTemplateUrl], T.cfnStack, "s", props), [], JSON.stringify(props));
        }
        assert.deepStrictEqual(await analyzeResource([lambdaCloudformationTemplateUrl], T.fn, "f", { templateUrl: "https://x" }), []);
    });

    it("has no properties: any config property is reported on CloudFormation stacks, and other resources are not looked at", async () => {
        const policy = withConfig(lambdaCloudformationTemplateUrl, { level: "high" });
        const d = await analyzeResource([policy], T.cfnStack, "s", {});
        assert.deepStrictEqual(d.map(x => x.message.split("\n")[1]), [
            `Invalid configuration of policy "lambda-cloudformation-template-url": level is not a property of this policy. ` +
                `Remove it: this policy has no properties besides enforcementLevel. ` +
                `Until the configuration is fixed, "lambda-cloudformation-template-url" applies its most restrictive setting for level.`,
        ]);
        for (const type of [T.fn, T.csc, "aws:cloudformation/stackSet:StackSet"]) {
            assert.deepStrictEqual(await analyzeResource([policy], type, "s", { templateUrl: "https://x" }), [], type);
        }
    });
});
