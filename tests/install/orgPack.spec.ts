/**
 * An organisation's own pack (TypeScript, type-checked at start like the CLI does) composes the installed
 * `lambda-code-signing/policies` with one policy of its own. Over the real analyzer protocol, on the same stacks, it
 * gives the verdicts of the shipped pack started from the installed location.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../../index";
import { PolicyPackSession, startPolicyPack } from "../../engine/analyzer";
import { runProgram } from "../../engine/capture";
import { PolicyDiagnostic, PolicyPackConfigFile } from "../../engine/types";
import {
    DATADOG_LAYER_ARN, DATADOG_LAYER_GLOB, DATADOG_PROFILE_VERSION_ARN, EXTERNAL_CSC_ARN, ROLE_ARN, Wrapper, codeArchive,
    compliantProgram, enforceCsc, signedFunction, signedLayer, signedObject, signingProfile, signingSetup,
} from "../policies/programs";
import { installedConsumer, run } from "./consumer";

const ORG_POLICY = "acme-lambda-description";

/** The org pack's settings in code; the shipped pack gets the same as a --policy-pack-config file. */
const SETTINGS: PolicyPackConfigFile = {
    "lambda-enforce-code-signing": { trustedCodeSigningConfigArns: [EXTERNAL_CSC_ARN] },
    "lambda-signed-layers": { trustedLayerArns: [DATADOG_LAYER_GLOB] },
    "lambda-image-functions": "advisory",
    "signer-profile-hygiene": { enforcementLevel: "mandatory", maxSignatureValidityMonths: 120 },
};

/** The test stacks: every policy passes on some and fails on others. */
const PROGRAMS: Record<string, () => void> = {
    "compliant raw resources": () => {
        compliantProgram();
    },
    "a vendor layer, trusted by config and allowed by the CSC": () => {
        const s = signingSetup("vendor");
        const csc = enforceCsc("vendor-csc", [s.profile.versionArn, DATADOG_PROFILE_VERSION_ARN]);
        signedFunction("vendor-fn", signedObject("vendor-fn", s), csc.arn, { layers: [DATADOG_LAYER_ARN], description: "uses Datadog" });
    },
    "no code signing config and inline code": () => {
        new aws.lambda.Function("bare", { role: ROLE_ARN, runtime: "nodejs20.x", handler: "index.handler", code: codeArchive() });
    },
    "a Warn CSC and an unsigned layer": () => {
        const s = signingSetup("warn");
        const csc = enforceCsc("warn-csc", [s.profile.versionArn], { untrustedArtifactOnDeployment: "Warn" });
        const layer = new aws.lambda.LayerVersion("inline-layer", { layerName: "inline-layer", code: codeArchive() });
        signedFunction("warn-fn", signedObject("warn-fn", s), csc.arn, { layers: [layer.arn] });
    },
    "a container image function": () => {
        new aws.lambda.Function("image", { role: ROLE_ARN, packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1" });
    },
    "signer hygiene: platform, validity, ignored job failures": () => {
        const profile = signingProfile("weak-profile", { platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 130 } });
        const s = { profile, bucket: new aws.s3.BucketV2("weak-artifacts", {}) };
        const csc = enforceCsc("weak-csc", [profile.versionArn]);
        signedFunction("weak-fn", signedObject("weak-fn", s, undefined, { ignoreSigningJobFailure: true }), csc.arn);
    },
    "external code signing configs, trusted and not": () => {
        const s = signingSetup("ext");
        signedFunction("trusted-ext", signedObject("trusted-ext", s), EXTERNAL_CSC_ARN);
        signedFunction("untrusted-ext", signedObject("untrusted-ext", s),
            "arn:aws:lambda:us-east-1:444455556666:code-signing-config:csc-0123456789abcdef1");
    },
    "the components, nested in a component": () => {
        const guard = new CodeSigningGuard("orders", { signingProfileName: "orders_signing", trustedProfileVersionArns: [DATADOG_PROFILE_VERSION_ARN] });
        const layer = new SignedLayer("order-utils", { ...guard.signingArgs(), code: codeArchive("exports.util = 1;") });
        new Wrapper("team", opts => {
            new SignedFunction("orders-api", { ...guard.signingArgs(), code: codeArchive(), runtime: "nodejs20.x",
                handler: "index.handler", layers: [layer.layerArn, DATADOG_LAYER_ARN] }, opts);
        });
        const raw = signedLayer("raw-layer", { s3Bucket: guard.artifactBucketName, s3Key: pulumi.output("plain/raw.zip") });
        signedFunction("raw-fn", { s3Bucket: guard.artifactBucketName, s3Key: pulumi.output("plain/fn.zip") }, guard.codeSigningConfigArn, { layers: [raw.arn] });
    },
};

function verdicts(diagnostics: PolicyDiagnostic[]): string[] {
    return diagnostics.map(d => `${d.policy} | ${d.level} | ${d.urn} | ${d.message}`).sort();
}

describe("installed: an organisation's pack composing lambda-code-signing/policies", function () {
    this.timeout(300_000);
    let orgPackDir: string;
    let shipped: PolicyPackSession;
    let composed: PolicyPackSession;

    before(async () => {
        const consumer = installedConsumer();
        orgPackDir = path.join(consumer.dir, "org-pack");
        fs.writeFileSync(path.join(orgPackDir, "config.json"), JSON.stringify(SETTINGS, null, 2));
        [shipped, composed] = await Promise.all([
            startPolicyPack(path.join(consumer.packageDir, "policies")),
            startPolicyPack(orgPackDir),
        ]);
    });
    after(async () => {
        await Promise.all([shipped?.close(), composed?.close()]);
    });

    it("serves every lambda-code-signing policy at its level next to the organisation's own", () => {
        const levels = (s: PolicyPackSession) => s.info.policies.map(p => `${p.name}:${p.enforcementLevel}`);
        assert.strictEqual(composed.info.name, "acme");
        assert.deepStrictEqual(levels(composed), [
            ...levels(shipped).map(l => l.replace(/^lambda-image-functions:mandatory$/, "lambda-image-functions:advisory")),
            `${ORG_POLICY}:advisory`,
        ]);
    });

    it("enables the single AnalyzeStack pass there: one @pulumi/policy 1.21, shared with the organisation's pack", () => {
        const probe = run(process.execPath, ["-e", "require('@pulumi/policy'); " +
            "console.log(require('lambda-code-signing/policies').singlePassAvailable())"], orgPackDir);
        assert.strictEqual(probe.stdout.trim(), "true", probe.stderr);
    });

    const judged = new Set<string>();
    for (const [name, program] of Object.entries(PROGRAMS)) {
        it(`same verdicts as the shipped pack: ${name} (preview and update)`, async () => {
            for (const preview of [true, false]) {
                const stack = await runProgram(program, { preview });
                const expected = await shipped.analyze(stack, SETTINGS);
                expected.forEach(d => judged.add(`${d.policy}:${d.level}`));
                const actual = await composed.analyze(stack);
                const own = actual.filter(d => d.policy === ORG_POLICY);
                assert.deepStrictEqual(verdicts(actual.filter(d => d.policy !== ORG_POLICY)), verdicts(expected),
                    `${name} (${preview ? "preview" : "update"})`);
                const functions = stack.resources.filter(r => r.type === "aws:lambda/function:Function" && !("description" in r.inputs));
                assert.deepStrictEqual(own.map(d => d.urn).sort(), functions.map(f => f.urn).sort(), "the organisation's own policy ran");
            }
        });
    }

    it("the stacks exercise every policy, at the configured levels", () => {
        assert.deepStrictEqual([...judged].sort(), [
            "lambda-csc-enforce-mode:mandatory", "lambda-enforce-code-signing:mandatory", "lambda-image-functions:advisory",
            "lambda-signed-code:mandatory", "lambda-signed-layers:mandatory", "signer-job-no-ignore-failure:mandatory",
            "signer-profile-hygiene:mandatory",
        ]);
    });

    it("a --policy-pack-config still overrides the settings given in code", async () => {
        const stack = await runProgram(PROGRAMS["a vendor layer, trusted by config and allowed by the CSC"], { preview: true });
        const override: PolicyPackConfigFile = { "lambda-signed-layers": { trustedLayerArns: [] }, "lambda-image-functions": "mandatory" };
        const expected = await shipped.analyze(stack, { ...SETTINGS, ...override });
        const actual = (await composed.analyze(stack, override)).filter(d => d.policy !== ORG_POLICY);
        assert.deepStrictEqual(verdicts(actual), verdicts(expected));
        assert.ok(actual.some(d => d.policy === "lambda-signed-layers" && /Datadog/.test(d.message)), "the override took effect");
    });
});
