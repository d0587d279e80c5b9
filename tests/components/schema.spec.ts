import * as assert from "assert";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../../index";

// Multi-language check: the schema the Pulumi CLI would generate for `pulumi package add`.
describe("component schema (multi-language)", () => {
    let schema: any;

    before(async () => {
        const provider = new ComponentProvider({
            components: [CodeSigningGuard, SignedFunction, SignedLayer],
            dirname: path.join(__dirname, "..", ".."),
            name: "lambda-code-signing",
        } as any);
        schema = JSON.parse(await provider.getSchema());
    });

    for (const component of ["CodeSigningGuard", "SignedFunction", "SignedLayer"]) {
        const token = `lambda-code-signing:index:${component}`;

        it(`${component} is a component resource with a description`, () => {
            const resource = schema.resources[token];
            assert.ok(resource, `missing ${token}`);
            assert.strictEqual(resource.isComponent, true);
            assert.ok(resource.description, `${token} has no description`);
        });

        it(`${component} documents every input and output`, () => {
            const resource = schema.resources[token];
            const inputs = Object.entries<any>(resource.inputProperties ?? {});
            const outputs = Object.entries<any>(resource.properties ?? {});
            assert.ok(inputs.length > 0 && outputs.length > 0);
            for (const [prop, spec] of [...inputs, ...outputs]) {
                assert.ok(spec.description && spec.description.length > 10, `${component}.${prop} has no description`);
            }
        });
    }

    it("documents every property of the nested types", () => {
        for (const typeName of ["CodeBuild", "ProfileVersionRevocation", "PresignedArtifact", "AlertSubscription"]) {
            const type = schema.types[`lambda-code-signing:index:${typeName}`];
            assert.ok(type, `missing type ${typeName}`);
            for (const [prop, spec] of Object.entries<any>(type.properties)) {
                assert.ok(spec.description, `${typeName}.${prop} has no description`);
            }
        }
    });

    it("exposes the intended inputs and outputs", () => {
        const fn = schema.resources["lambda-code-signing:index:SignedFunction"];
        assert.deepStrictEqual([...fn.requiredInputs].sort(),
            ["artifactBucket", "codeSigningConfigArn", "handler", "runtime", "signingProfileName"]);
        assert.ok(fn.inputProperties.signingRoleArn?.type === "string", "signingRoleArn is a plain string input");
        assert.strictEqual(fn.inputProperties.signedCode?.$ref, "#/types/lambda-code-signing:index:PresignedArtifact");
        assert.ok(!fn.required?.includes("signingJobId"), "signingJobId is optional (unset for a signed object)");
        const alertProtocols = schema.types["lambda-code-signing:index:AlertProtocol"];
        assert.deepStrictEqual(alertProtocols?.enum?.map((e: any) => e.value).sort(), ["email", "email-json", "https", "lambda", "sms", "sqs"]);
        const guard = schema.resources["lambda-code-signing:index:CodeSigningGuard"];
        assert.deepStrictEqual(Object.keys(guard.properties).sort(), ["alertTopicArn", "artifactBucketName",
            "codeSigningConfigArn", "deployerPolicyArn", "functionNamePrefix", "signerPolicyArn", "signingProfileName", "signingProfileVersionArn"]);
        assert.ok(!guard.required?.includes("alertTopicArn"), "alertTopicArn is optional");
        // The analyzer maps an aws.Provider argument to the dangling ref `#/resources/aws`, which breaks SDK
        // generation in other languages; only real resource tokens may be referenced.
        const refs = JSON.stringify(schema).match(/"\$ref":"\/[^"]+"/g) ?? [];
        for (const ref of refs) {
            assert.match(ref, /#\/resources\/[a-z0-9-]+:/, `dangling external reference ${ref}`);
        }
        const layer = schema.resources["lambda-code-signing:index:SignedLayer"];
        assert.ok(layer.properties.layerArn && layer.inputProperties.layerName);
    });
});
