import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaImageFunctions } from "../../../policies/rules/lambda-image-functions";
import { T, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, withConfig, withPack } from "../helpers";
import { ROLE_ARN, Wrapper, compliantProgram } from "../programs";

const P = "lambda-image-functions";
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1";

describe("policies/rules/lambda-image-functions", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();
        const program = () => {
            compliantProgram();
            new Wrapper("svc", o => {
                new aws.lambda.Function("image-fn", { role: ROLE_ARN, packageType: "Image", imageUri: IMAGE }, o);
            });
        };

        it("denies container-image functions by default, pointing to Notation", async () => {
            const { preview, urn } = await pack.both(program);
            expectViolations(preview, [{
                policy: P,
                urn: urn("image-fn"),
                message: [/Lambda function "image-fn" is a container image/, /Notation-OCI-SHA384-ECDSA/, /imageFunctions to "allow"/],
            }]);
        });

        it("allows them with imageFunctions: allow", async () => {
            const { preview, update } = await pack.both(program, { [P]: { imageFunctions: "allow" } });
            expectViolations(preview, []);
            expectViolations(update, []);
        });

        it("imageFunctions: deny is the same as the default", async () => {
            const { update, urn } = await pack.both(program, { [P]: { imageFunctions: "deny" } });
            expectViolations(update, [{ policy: P, urn: urn("image-fn") }]);
        });
    });

    describe("in process", () => {
        const run = async (type: string, props: Record<string, unknown>, config?: object) => {
            const d = await analyzeResource([withConfig(lambdaImageFunctions, config)], type, "f", props);
            assertNoCantRun(d);
            return d;
        };
        it("covers aws-native functions and ignores Zip, unknown and other types", async () => {
            assert.strictEqual((await run(T.nativeFn, { packageType: "Image", code: { imageUri: IMAGE } })).length, 1);
            assert.strictEqual((await run(T.nativeFn, { packageType: "Image" }, { imageFunctions: "allow" })).length, 0);
            assert.strictEqual((await run(T.fn, { packageType: "Zip" })).length, 0);
            assert.strictEqual((await run(T.fn, { packageType: UNKNOWN })).length, 0); // lambda-enforce-code-signing reports it
            assert.strictEqual((await run(T.csc, { packageType: "Image" })).length, 0);
        });
    });
});
