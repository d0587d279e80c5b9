import * as assert from "assert";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { PolicyPackError, PolicyPackSession, startPolicyPack } from "../../engine/analyzer";
import { runProgram } from "../../engine/capture";
import { PolicyConfigError } from "../../engine/policyConfig";

const PROBE_PACK = path.join(__dirname, "fixtures", "probe-pack");

function program() {
    const profile = new aws.signer.SigningProfile("profile", { platformId: "AWSLambda-SHA384-ECDSA", namePrefix: "p_" });
    const csc = new aws.lambda.CodeSigningConfig("csc", {
        allowedPublishers: { signingProfileVersionArns: [profile.versionArn] },
        policies: { untrustedArtifactOnDeployment: "Warn" },
    });
    new aws.lambda.Function("fn", { role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs20.x", handler: "index.handler", s3Bucket: "b", s3Key: "k", codeSigningConfigArn: csc.arn });
}

describe("engine/analyzer: the analyzer protocol against a real @pulumi/policy server", () => {
    let pack: PolicyPackSession;
    before(async () => {
        pack = await startPolicyPack(PROBE_PACK);
    });
    after(async () => pack?.close());

    it("reads GetAnalyzerInfo: name, version from package.json, policies, levels and schemas", () => {
        assert.strictEqual(pack.info.name, "probe");
        assert.strictEqual(pack.info.version, "1.2.3");
        assert.deepStrictEqual(pack.info.policies.map((p) => [p.name, p.enforcementLevel]), [
            ["probe-resource", "mandatory"], ["probe-remediate", "advisory"], ["probe-stack", "mandatory"],
        ]);
        assert.deepStrictEqual(pack.info.policies[0].configSchema?.properties.tag, { type: "string", default: "none" });
    });

    for (const preview of [true, false]) {
        describe(preview ? "preview" : "update", () => {
            it("applies schema defaults and file config through Configure, and reports Analyze with the resource URN", async () => {
                const stack = await runProgram(program, { preview });
                const withDefaults = await pack.analyze(stack);
                const analyze = withDefaults.filter((d) => d.phase === "analyze");
                assert.strictEqual(analyze.length, 1);
                assert.match(analyze[0].message, /handler=index.handler tag=none/);
                assert.strictEqual(analyze[0].urn, stack.resources.find((r) => r.name === "fn")!.urn);

                const configured = await pack.analyze(stack, { all: "advisory", "probe-resource": { tag: "ci" } });
                const resourceDiag = configured.find((d) => d.policy === "probe-resource")!;
                assert.match(resourceDiag.message, /tag=ci/);
                assert.strictEqual(resourceDiag.level, "advisory");
            });

            it("follows propertyDependencies in AnalyzeStack and sees remediated inputs (remediate reported as mandatory)", async () => {
                const stack = await runProgram(program, { preview });
                const plain = (await pack.analyze(stack)).find((d) => d.policy === "probe-stack")!;
                assert.match(plain.message, /csc=csc mode=Warn parent=pulumi:pulumi:Stack/);
                assert.strictEqual(plain.level, "mandatory");

                const remediated = (await pack.analyze(stack, { "probe-remediate": "remediate" })).find((d) => d.policy === "probe-stack")!;
                assert.match(remediated.message, /mode=Enforce/);
            });

            it("disabled policies report nothing", async () => {
                const stack = await runProgram(program, { preview });
                const diagnostics = await pack.analyze(stack, { all: "disabled" });
                assert.deepStrictEqual(diagnostics, []);
            });
        });
    }

    it("refuses unknown policies, unknown properties and wrong types like a strict CLI", async () => {
        const stack = await runProgram(program, { preview: true });
        await assert.rejects(pack.analyze(stack, { "probe-typo": "advisory" } as any), (e: Error) => e instanceof PolicyConfigError && /unknown policy 'probe-typo'/.test(e.message));
        await assert.rejects(pack.analyze(stack, { "probe-resource": { colour: "x" } } as any), /unknown property for policy 'probe-resource' \(it accepts tag\)/);
        await assert.rejects(pack.analyze(stack, { "probe-resource": { tag: 3 } } as any), /probe-resource.tag must be of type string/);
        await assert.rejects(pack.analyze(stack, { "probe-resource": "sometimes" } as any), /expected an enforcement level/);
    });
});

describe("engine/analyzer: start-up failures", () => {
    it("names the pack directory when it cannot start", async () => {
        const dir = path.join(__dirname, "fixtures");
        await assert.rejects(startPolicyPack(dir), (e: Error) => {
            assert.ok(e instanceof PolicyPackError, String(e));
            assert.ok(e.message.startsWith(`the policy pack in ${dir} exited with code `), e.message);
            return true;
        });
    });
});
