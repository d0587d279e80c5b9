import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CodeSigningGuard, SignedFunction, SignedLayer } from "../index";
import { MockState, runProgram, signingJobsStarted } from "../engine/capture";
import { medianMs, RUNS } from "./timing";

const SIGNING = {
    signingProfileName: "bench_profile",
    codeSigningConfigArn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0",
    artifactBucket: "bench-artifacts",
};
const ROLE = "arn:aws:iam::123456789012:role/bench";

function codeDir(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-code-"));
    fs.writeFileSync(path.join(dir, "index.js"), text);
    return dir;
}

/** 200 SignedFunctions vs. the same object → signing job → function chain registered by hand. */
export async function componentOverhead(count = 200, runs = RUNS) {
    const dir = codeDir("exports.handler = async () => 'ok';");
    const withComponents = () => {
        for (let i = 0; i < count; i++) {
            new SignedFunction(`fn${i}`, { ...SIGNING, code: new pulumi.asset.FileArchive(dir), runtime: "nodejs20.x", handler: "index.handler", roleArn: ROLE });
        }
    };
    const byHand = () => {
        for (let i = 0; i < count; i++) {
            const object = new aws.s3.BucketObjectv2(`fn${i}-unsigned`, { bucket: SIGNING.artifactBucket, key: `unsigned/fn${i}/code.zip`, source: new pulumi.asset.FileArchive(dir) });
            const job = new aws.signer.SigningJob(`fn${i}-signing`, {
                profileName: SIGNING.signingProfileName,
                source: { s3: { bucket: object.bucket, key: object.key, version: object.versionId } },
                destination: { s3: { bucket: SIGNING.artifactBucket, prefix: `signed/fn${i}/` } },
            });
            new aws.lambda.Function(`fn${i}-function`, {
                role: ROLE, runtime: "nodejs20.x", handler: "index.handler", codeSigningConfigArn: SIGNING.codeSigningConfigArn,
                s3Bucket: job.signedObjects.apply((o) => o[0].s3s![0].bucket!), s3Key: job.signedObjects.apply((o) => o[0].s3s![0].key!),
            });
        }
    };
    const run = (program: () => void) => runProgram(program, { preview: false });
    const components = await medianMs(() => run(withComponents), runs);
    const hand = await medianMs(() => run(byHand), runs);
    const sample = await run(withComponents);
    const perFunction = sample.resources.filter((r) => !r.type.startsWith("pulumi:")).length / count;
    return { count, components, hand, perFunction };
}

/** Signing jobs started by redeploying an unchanged service, and after changing one function's code. */
export async function idempotence() {
    const dirs = { api: codeDir("exports.handler = async () => 'api';"), worker: codeDir("exports.handler = async () => 'worker';"), layer: codeDir("module.exports = {};") };
    const program = () => {
        const guard = new CodeSigningGuard("bench-signing", {});
        const layer = new SignedLayer("bench-layer", { ...guard.signingArgs(), code: new pulumi.asset.FileArchive(dirs.layer) });
        for (const name of ["api", "worker"] as const) {
            new SignedFunction(name, { ...guard.signingArgs(), code: new pulumi.asset.FileArchive(dirs[name]), runtime: "nodejs20.x", handler: "index.handler", layers: [layer.layerArn] });
        }
    };
    const state = new MockState();
    const deploy = () => runProgram(program, { preview: false, state });
    const first = signingJobsStarted(await deploy());
    const unchanged = signingJobsStarted(await deploy());
    fs.writeFileSync(path.join(dirs.worker, "index.js"), "exports.handler = async () => 'worker v2';");
    const oneChanged = signingJobsStarted(await deploy());
    return { first, unchanged, oneChanged };
}
