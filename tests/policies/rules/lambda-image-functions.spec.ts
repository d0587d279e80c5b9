import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { lambdaImageFunctions } from "../../../policies/rules/lambda-image-functions";
import { Diag, T, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, withConfig, withPack } from "../helpers";
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
    
        it("an invalid imageFunctions value is reported and denies, never allows", async () => {
            for (const value of ["ALLOW", "Allow", true, 1]) {
                const d = await analyzeResource([withConfig(lambdaImageFunctions, { imageFunctions: value })], T.fn, "img", { packageType: "Image" });
                const lines = d.map(x => x.message.split("\n")[1]);
                assert.strictEqual(lines.length, 2);
                assert.strictEqual(lines[0], `Invalid configuration of policy "lambda-image-functions": imageFunctions is ${typeof value === "string" ? `the string "${value}"` : value}. Set it to one of "deny", "allow" (exact spelling). Until the configuration is fixed, "lambda-image-functions" applies its most restrictive setting for imageFunctions.`);
                assert.ok(lines[1].startsWith(`Lambda function "img" is a container image (packageType "Image"): Lambda code signing does not support container images`));
            }
        });

        it("covers image functions declared in a CloudFormation template", async () => {
            const body = JSON.stringify({ Resources: { Img: { Type: "AWS::Lambda::Function", Properties: { PackageType: "Image", Code: { ImageUri: "r/i:1" } } }, Zip: { Type: "AWS::Lambda::Function", Properties: {} } } });
            const d = await analyzeResource([lambdaImageFunctions], T.cfnStack, "cfn", { templateBody: body });
            assert.deepStrictEqual(d.map(x => x.message.split("\n")[1].split(":")[0]), [`Lambda function "Img" of CloudFormation stack "cfn" is a container image (packageType "Image")`]);
            assert.deepStrictEqual(await analyzeResource([withConfig(lambdaImageFunctions, { imageFunctions: "allow" })], T.cfnStack, "cfn", { templateBody: body }), []);
        });

        it("the violation names the function and both ways out (Notation-signed images, or a Zip with SignedFunction)", async () => {
            const message = (label: string) => `${label} is a container image (packageType "Image"): Lambda code signing does not support ` +
                `container images, so no code signing config can verify its code. Sign the image with Notation (AWS Signer ` +
                `platform Notation-OCI-SHA384-ECDSA) and verify the signature before deployment, then set imageFunctions to ` +
                `"allow" in the lambda-image-functions policy config; or package the function as a Zip and deploy it with SignedFunction.`;
            const lines = (d: Diag[]) => d.map(x => x.message.split("\n")[1]);
            assert.deepStrictEqual(lines(await run(T.fn, { packageType: "Image", imageUri: IMAGE })), [message(`Lambda function "f"`)]);
            assert.deepStrictEqual(lines(await run(T.nativeFn, { packageType: "Image", code: { imageUri: IMAGE } })), [message(`Lambda function "f" (aws-native)`)]);
            const body = JSON.stringify({ Resources: { Img: { Type: "AWS::Lambda::Function", Properties: { PackageType: "Image", Code: { ImageUri: "r/i:1" } } } } });
            assert.deepStrictEqual(lines(await run(T.cfnStack, { templateBody: body })), [message(`Lambda function "Img" of CloudFormation stack "f"`)]);
        });

        it("reports an invalid configuration only on Lambda functions and CloudFormation stacks, not on every resource", async () => {
            assert.deepStrictEqual(await run(T.csc, { packageType: "Image" }, { imageFunctions: "ALLOW" }), []);
            assert.deepStrictEqual(await run(T.bucket, {}, { imageFunctions: "ALLOW" }), []);
            assert.deepStrictEqual((await run(T.cfnStack, { templateBody: "{}" }, { imageFunctions: "ALLOW" })).map(x => x.message.split("\n")[1]), [
                `Invalid configuration of policy "lambda-image-functions": imageFunctions is the string "ALLOW". Set it to one of "deny", "allow" (exact spelling). ` +
                    `Until the configuration is fixed, "lambda-image-functions" applies its most restrictive setting for imageFunctions.`,
            ]);
        });
});
});
