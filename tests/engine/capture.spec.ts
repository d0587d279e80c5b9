import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MockState, ProgramError, runProgram } from "../../engine/capture";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN } from "../../engine/wireValues";

class Wrapper extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    constructor(name: string, cscArn: pulumi.Input<string>, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Wrapper", name, {}, opts);
        const fn = new aws.lambda.Function(`${name}-fn`, {
            role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs20.x", handler: "index.handler",
            s3Bucket: "bucket", s3Key: "key", codeSigningConfigArn: cscArn,
            environment: { variables: { TOKEN: pulumi.secret("s3cret") } },
        }, { parent: this });
        this.arn = fn.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

function program() {
    const csc = new aws.lambda.CodeSigningConfig("csc", {
        allowedPublishers: { signingProfileVersionArns: ["arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/abcdefghij"] },
        policies: { untrustedArtifactOnDeployment: "Enforce" },
    });
    const wrapper = new Wrapper("svc", csc.arn);
    return { arn: wrapper.arn };
}

describe("engine/capture: programs under the mock monitor", () => {
    it("preview: same-stack ARNs are real unknowns, and propertyDependencies lead to the CSC", async () => {
        const run = await runProgram(program, { preview: true });
        const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function")!;
        const csc = run.resources.find((r) => r.type === "aws:lambda/codeSigningConfig:CodeSigningConfig")!;
        assert.strictEqual(fn.inputs.codeSigningConfigArn, UNKNOWN);
        assert.strictEqual(fn.outputs.arn, UNKNOWN);
        assert.deepStrictEqual(fn.propertyDependencies.codeSigningConfigArn, [csc.urn]);
        assert.deepStrictEqual(csc.outputs.policies, { untrustedArtifactOnDeployment: "Enforce" });
        assert.strictEqual(run.stackOutputs.arn, undefined, "a preview of a new stack knows no ARN");
        assert.ok(Object.values(run.operations).every((op) => op === "create"));
    });

    it("update: plausible known ARNs flow into dependants and stack outputs", async () => {
        const run = await runProgram(program, { preview: false });
        const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function")!;
        assert.match(String(fn.inputs.codeSigningConfigArn), /^arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-[0-9a-f]{17}$/);
        assert.match(String(run.stackOutputs.arn), /^arn:aws:lambda:us-east-1:123456789012:function:/);
    });

    it("records the tree like the engine: stack, default provider, components, parents and URNs", async () => {
        const run = await runProgram(program, { preview: true, project: "shop", stack: "prod" });
        const types = run.resources.map((r) => r.type);
        assert.strictEqual(types[0], "pulumi:pulumi:Stack");
        const providerIndex = types.indexOf("pulumi:providers:aws");
        assert.ok(providerIndex > 0 && providerIndex < types.findIndex((t) => t.startsWith("aws:")), "the default provider precedes its first user");
        const stack = run.resources[0];
        const wrapper = run.resources.find((r) => r.type === "test:index:Wrapper")!;
        const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function")!;
        assert.strictEqual(stack.urn, "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod");
        assert.strictEqual(wrapper.parent, stack.urn);
        assert.strictEqual(fn.parent, wrapper.urn);
        assert.strictEqual(fn.urn, "urn:pulumi:prod::shop::test:index:Wrapper$aws:lambda/function:Function::svc-fn");
        assert.match(fn.provider!, /^urn:pulumi:prod::shop::pulumi:providers:aws::default_7_48_0::/);
        assert.strictEqual(wrapper.custom, false);
    });

    it("keeps secrets wrapped as the engine sends them", async () => {
        const run = await runProgram(program, { preview: true });
        const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function")!;
        const token = (fn.inputs.environment as any).variables.TOKEN;
        assert.deepStrictEqual(token, { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "s3cret" });
    });

    it("a redeploy of an unchanged program changes nothing; changed archive contents do", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "capture-"));
        fs.writeFileSync(path.join(dir, "index.js"), "exports.handler = async () => 1;");
        const state = new MockState();
        const deploy = () => runProgram(() => {
            new aws.s3.BucketObjectv2("code", { bucket: "b", key: "unsigned/code.zip", source: new pulumi.asset.FileArchive(dir) });
        }, { preview: false, state });
        const objectOp = (run: Awaited<ReturnType<typeof deploy>>) => run.operations[run.resources.find((r) => r.name === "code")!.urn];
        assert.strictEqual(objectOp(await deploy()), "create");
        assert.strictEqual(objectOp(await deploy()), "same");
        fs.writeFileSync(path.join(dir, "index.js"), "exports.handler = async () => 2;");
        const changed = await deploy();
        assert.strictEqual(objectOp(changed), "update");
    });

    it("turns a throwing program, a rejected apply and logged errors into ProgramError", async () => {
        await assert.rejects(runProgram(() => { throw new Error("boom"); }, { preview: true }), (e: Error) => e instanceof ProgramError && e.message === "boom");
        await assert.rejects(runProgram(() => {
            pulumi.output("x").apply(() => { throw new Error("late boom"); });
        }, { preview: false }), (e: Error) => e instanceof ProgramError && /late boom/.test(e.message));
        await assert.rejects(runProgram(() => {
            new aws.lambda.Function("fn", { role: "r", runtime: "nodejs20.x", handler: "i.h", s3Bucket: "b", s3Key: "k" }, { parent: {} as any });
        }, { preview: true }), ProgramError);
    });

    it("answers the common AWS invokes and names an unsupported one", async () => {
        const run = await runProgram(() => ({ account: aws.getCallerIdentityOutput().accountId }), { preview: false, config: { "aws:region": "eu-west-1" } });
        assert.strictEqual(run.stackOutputs.account, "123456789012");
        await assert.rejects(runProgram(() => aws.ec2.getVpcOutput({ default: true }).id, { preview: false }), /cannot answer the provider function 'aws:ec2\/getVpc:getVpc'/);
    });

    it("applies transforms in process as the engine does: the stack's, and a component's to its children", async () => {
        const run = await runProgram(() => {
            pulumi.runtime.registerResourceTransform(async (args) => (args.type === "aws:lambda/function:Function"
                ? { props: { ...args.props, description: "stack transform" }, opts: args.opts } : undefined));
            const stripCsc: pulumi.ResourceTransform = (args) => {
                if (args.type !== "aws:lambda/function:Function") return undefined;
                const props = { ...args.props };
                delete props.codeSigningConfigArn;
                return { props, opts: args.opts };
            };
            program();
            new Wrapper("stripped", "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-00000000000000000", { transforms: [stripCsc] });
        }, { preview: true });
        const fns = run.resources.filter((r) => r.type === "aws:lambda/function:Function");
        assert.deepStrictEqual(fns.map((f) => [f.name, f.inputs.description, "codeSigningConfigArn" in f.inputs]), [
            ["svc-fn", "stack transform", true], ["stripped-fn", "stack transform", false],
        ]);
        // Only a resource's own transforms make the engine rebuild its dependencies; an inherited one keeps them.
        assert.deepStrictEqual(Object.keys(fns[1].propertyDependencies).sort(), Object.keys(fns[0].propertyDependencies).sort());
    });

    it("stack references: unknown outputs without answers (a gap), the answered outputs with secrets wrapped", async () => {
        const reference = () => {
            const ref = new pulumi.StackReference("acme/platform/prod");
            return { arn: ref.getOutput("cscArn"), token: ref.getOutput("token") };
        };
        const unanswered = await runProgram(reference, { preview: false });
        const res = unanswered.resources.find((r) => r.type === "pulumi:pulumi:StackReference")!;
        assert.strictEqual(res.outputs.outputs, UNKNOWN);
        assert.deepStrictEqual(unanswered.stackOutputs, {});
        const answers = { stackOutputs: new Map([["acme/platform/prod", { outputs: { cscArn: "arn:csc", token: "t0k3n" }, secretOutputNames: ["token"] }]]), invokes: new Map() };
        const answered = await runProgram(reference, { preview: true, answers });
        const state = answered.resources.find((r) => r.type === "pulumi:pulumi:StackReference")!.outputs;
        assert.deepStrictEqual(state.outputs, { cscArn: "arn:csc", token: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "t0k3n" } });
        assert.deepStrictEqual(answered.stackOutputs, { arn: "arn:csc", token: "t0k3n" });
    });

    it("an empty text asset reaches the analyzer as the engine sends it: hash only", async () => {
        const empty = () => {
            new aws.s3.BucketObjectv2("empty", { bucket: "b", key: "k", source: new pulumi.asset.StringAsset("") });
        };
        const run = await runProgram(empty, { preview: true });
        const source = run.resources.find((r) => r.name === "empty")!.inputs.source as Record<string, unknown>;
        assert.deepStrictEqual(source, { [SPECIAL_SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17", hash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" });
        // After an update the Node SDK itself reads the asset back from its inputs and cannot (rpc.deserializeProperty):
        // a failure of the program, never a hang.
        await assert.rejects(runProgram(empty, { preview: false }), (e: Error) => e instanceof ProgramError && /Invalid asset encountered/.test(e.message));
    });
});
