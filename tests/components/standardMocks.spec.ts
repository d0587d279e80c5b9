/**
 * The components under the mocks of Pulumi's unit-testing guide (`newResource` echoes the inputs, `call` echoes the
 * arguments), in preview and update: the program completes, every output settles, nothing rejects, and no message
 * blames the user for a value another resource produced.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../../index";
import { tempDir } from "./harness";

const guideMocks: pulumi.runtime.Mocks = {
    newResource: (args: pulumi.runtime.MockResourceArgs) => ({ id: `${args.name}_id`, state: args.inputs }),
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
};

/** Resolves once the output's resource registrations are done: its value, or undefined while unknown. */
function settled(output: pulumi.Output<unknown>): Promise<unknown> {
    return (output as unknown as { promise(): Promise<unknown> }).promise();
}

for (const preview of [true, false]) {
    describe(`components under the standard guide mocks (${preview ? "preview" : "update"})`, () => {
        const rejections: unknown[] = [];
        const onRejection = (reason: unknown) => rejections.push(reason);
        let appDir: string;
        let buildDir: string;
        before(async () => {
            await pulumi.runtime.setMocks(guideMocks, "project", "stack", preview);
            appDir = tempDir({ "index.js": "exports.handler = async () => 1;" });
            buildDir = tempDir({ "src/index.ts": "export const handler = async () => 1;", "package.json": "{}" });
            process.on("unhandledRejection", onRejection);
        });
        after(() => {
            process.off("unhandledRejection", onRejection);
        });

        it("a guard, a layer and functions from code and from a build register and settle with no error", async () => {
            const guard = new CodeSigningGuard("team", {
                enableAlerts: true,
                revokedProfileVersions: [{ profileVersionArn: "arn:aws:signer:us-east-1:123456789012:/signing-profiles/old_profile/AbCdEf1234", reason: "leaked", effectiveTime: "2024-01-01T00:00:00Z" }],
            });
            const layer = new SignedLayer("libs", { ...guard.signingArgs(), code: new pulumi.asset.FileArchive(appDir) });
            const api = new SignedFunction("api", {
                ...guard.signingArgs(), code: new pulumi.asset.FileArchive(appDir), runtime: "nodejs20.x",
                handler: "index.handler", layers: [layer.layerArn], memorySize: 256,
            });
            const worker = new SignedFunction("worker", {
                ...guard.signingArgs(), runtime: "nodejs20.x", handler: "index.handler",
                build: { command: "npm run build", directory: buildDir, archivePaths: ["dist/**"] },
                signingRoleArn: "arn:aws:iam::123456789012:role/ci-signer",
            });
            const outputs = [
                guard.codeSigningConfigArn, guard.signingProfileName, guard.artifactBucketName, guard.signerPolicyArn,
                guard.deployerPolicyArn, guard.alertTopicArn, guard.signingProfileVersionArn,
                layer.layerArn, layer.signedObjectKey, layer.signingJobId,
                api.functionArn, api.functionName, api.roleArn, api.signedObjectKey, api.signingJobId,
                worker.functionArn, worker.signedObjectKey,
            ];
            const results = await Promise.allSettled(outputs.map(settled));
            await new Promise(resolve => setTimeout(resolve, 50));
            const failures = [...results.filter(r => r.status === "rejected").map(r => (r as PromiseRejectedResult).reason), ...rejections];
            assert.deepStrictEqual(failures.map(f => String((f as Error)?.message ?? f)), []);
        });
    });
}

describe("a build whose archivePaths match nothing once the command ran", () => {
    before(async () => {
        // What the command provider returns after running a command whose globs matched no file: an empty archive.
        await pulumi.runtime.setMocks({
            newResource: (args: pulumi.runtime.MockResourceArgs) => ({
                id: `${args.name}_id`,
                state: args.type === "command:local:Command" ? { ...args.inputs, archive: new pulumi.asset.AssetArchive({}) } : args.inputs,
            }),
            call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
        }, "project", "stack", false);
    });

    it("fails naming build.archivePaths (the user's globs), not a value another resource produced", async () => {
        const dir = tempDir({ "package.json": "{}" });
        const fn = new SignedFunction("empty-build", {
            signingProfileName: "team_0001", artifactBucket: "team-artifacts",
            codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0",
            runtime: "nodejs20.x", handler: "index.handler",
            build: { command: "true", directory: dir, archivePaths: ["dist/**"] },
        });
        await assert.rejects(settled(fn.functionArn), /build\.archivePaths: matched no files after the build ran/);
    });
});
