import * as assert from "assert";
import { parseArtifactPattern, ArtifactTrust } from "../../../../policies/lib/config";
import { buildStackGraph, codeFindings, codeJobs, cscLabel, functionLabel, inStackCscs, jobsNotAllowed } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN, stringArchive, urnOf } from "../../helpers";
import { csc, fn, job, profile, provider, res } from "./fixtures";

const allowedP = profile("allowed");
const rogue = profile("rogue");
const jOk = job("j-ok", allowedP);
const jRogue = job("j-rogue", rogue);
const c = csc("c", [allowedP]);
const trust = [parseArtifactPattern("s3://signed/releases/*") as ArtifactTrust];

function graph(...extra: ReturnType<typeof res>[]) {
    return buildStackGraph([provider(), allowedP, rogue, jOk, jRogue, c, ...extra]);
}

describe("policies/lib/graph/verdicts", () => {
    it("every job behind a key, and every profile of each job, is checked against every in-stack CSC", () => {
        const g = graph(
            fn("first-ok", jOk, c, {}, { s3Key: [jOk.urn, jRogue.urn] }),
            fn("first-rogue", jRogue, c, {}, { s3Key: [jRogue.urn, jOk.urn] }),
        );
        const [firstOk, firstRogue] = g.functions;
        assert.deepStrictEqual(jobsNotAllowed(g.codeSigningConfigs[0], firstOk.code).map(j => j.name), ["j-rogue"]);
        assert.deepStrictEqual(jobsNotAllowed(g.codeSigningConfigs[0], firstRogue.code).map(j => j.name), ["j-rogue"]);
        assert.deepStrictEqual(codeJobs(firstOk.code).map(j => j.name), ["j-ok", "j-rogue"]);
        assert.deepStrictEqual(codeFindings(firstOk.code, inStackCscs(firstOk.csc), []), [{
            kind: "not-allowed",
            job: g.signingJobs[1],
            csc: g.codeSigningConfigs[0],
            text: `its code is signed by SigningJob "j-rogue" with SigningProfile "rogue" (us-east-1), which CodeSigningConfig "c" does not provably allow (allowed: SigningProfile "allowed" (us-east-1))`,
        }]);
    });

    it("findings name the failing candidate for each kind of origin; trusted locations pass", () => {
        const copy = res(T.copy, "cp", { source: UNKNOWN, key: "k" }, { source: [jRogue.urn] });
        const g = graph(copy,
            fn("inline", undefined, c, { code: stringArchive({ a: "1" }) }),
            fn("trusted", undefined, c, { s3Bucket: "signed", s3Key: "releases/app.zip" }),
            fn("untrusted", undefined, c, { s3Bucket: "signed", s3Key: "other/app.zip" }),
            fn("no-bucket", undefined, c, { s3Bucket: UNKNOWN, s3Key: "releases/app.zip" }, { s3Bucket: [jOk.urn] }),
            fn("unknown", undefined, c, { s3Key: UNKNOWN }),
            fn("copied", undefined, c, { s3Key: UNKNOWN }, { s3Key: [copy.urn] }),
            fn("image", undefined, c, { packageType: "Image" }),
            fn("empty", undefined, c, {}),
        );
        const f = (name: string, artifacts: ArtifactTrust[] = trust) => {
            const x = g.functions.find(y => y.name === name)!;
            return codeFindings(x.code, inStackCscs(x.csc), artifacts).map(y => `${y.kind}: ${y.text}`);
        };
        assert.deepStrictEqual(f("inline"), ["unsigned: its code is an inline `code` archive uploaded as-is, which is not signed"]);
        assert.deepStrictEqual(f("trusted"), []);
        assert.deepStrictEqual(f("trusted", []), [`unsigned: its s3Key "releases/app.zip" is a literal object key, not a SigningJob's signed object`]);
        assert.deepStrictEqual(f("untrusted"), [`unsigned: its s3Key "other/app.zip" is a literal object key, not a SigningJob's signed object and s3://signed/other/app.zip matches no trustedSignedArtifacts pattern`]);
        assert.deepStrictEqual(f("no-bucket"), [`unverifiable: its s3Key "releases/app.zip" is a literal key, but its bucket is not a literal, so it can't be matched against trustedSignedArtifacts; pass the bucket name as a literal string`]);
        assert.deepStrictEqual(f("no-bucket", []), [`unsigned: its s3Key "releases/app.zip" is a literal object key, not a SigningJob's signed object`]);
        assert.deepStrictEqual(f("unknown"), [`unverifiable: can't verify that its code is signed: its s3Key is unknown during preview and does not trace to a SigningJob in this stack`]);
        assert.deepStrictEqual(f("copied"), [`not-allowed: its code is signed by SigningJob "j-rogue" (copied by ObjectCopy "cp") with SigningProfile "rogue" (us-east-1), which CodeSigningConfig "c" does not provably allow (allowed: SigningProfile "allowed" (us-east-1))`]);
        assert.deepStrictEqual(f("image"), []);
        assert.deepStrictEqual(f("empty"), [`unverifiable: can't verify that its code is signed: the function has no code source (neither s3Bucket/s3Key nor code is set)`]);
    });

    it("a job with several candidate profiles is not allowed when any one of them is not", () => {
        const either = job("j-either", allowedP.urn, { profileName: UNKNOWN }, { propertyDependencies: { profileName: [allowedP.urn, rogue.urn] } });
        const g = graph(either, fn("f", either, c));
        assert.deepStrictEqual(jobsNotAllowed(g.codeSigningConfigs[0], g.functions[0].code).map(j => j.name), ["j-either"]);
        assert.deepStrictEqual(jobsNotAllowed(g.codeSigningConfigs[0], graph(fn("ok", jOk, c)).functions[0].code), []);
    });

    it("unsigned origins, copy chains and repeated findings: each finding once, with the whole chain", () => {
        const obj = res(T.object, "upload", { key: "u.zip" });
        const inner = res(T.copy, "inner", { source: UNKNOWN }, { source: [jRogue.urn] });
        const outer = res(T.copy, "outer", { source: UNKNOWN }, { source: [inner.urn] });
        // two jobs named alike (children of different components) sign with the same profile: one finding
        const twin = (parent: string) => job("sign", rogue, {}, { urn: urnOf(T.job, "sign", [T.stack, parent]) });
        const [twinA, twinB] = [twin("acme:index:A"), twin("acme:index:B")];
        const g = graph(obj, inner, outer, twinA, twinB,
            fn("upload", undefined, c, { s3Key: UNKNOWN }, { s3Key: [obj.urn] }),
            fn("chain", undefined, c, { s3Key: UNKNOWN }, { s3Key: [outer.urn] }),
            fn("twins", undefined, c, { s3Key: UNKNOWN }, { s3Key: [twinA.urn, twinB.urn] }),
        );
        const f = (name: string) => {
            const x = g.functions.find(y => y.name === name)!;
            return codeFindings(x.code, inStackCscs(x.csc), []).map(y => `${y.kind}: ${y.text}`);
        };
        assert.deepStrictEqual(f("upload"), [`unsigned: its s3Key comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", not from a SigningJob's signed object`]);
        assert.deepStrictEqual(f("chain"), [`not-allowed: its code is signed by SigningJob "j-rogue" (copied by ObjectCopy "outer" from ObjectCopy "inner") with SigningProfile "rogue" (us-east-1), which CodeSigningConfig "c" does not provably allow (allowed: SigningProfile "allowed" (us-east-1))`]);
        assert.deepStrictEqual(codeJobs(g.functions.find(y => y.name === "twins")!.code).map(j => j.urn), [twinA.urn, twinB.urn]);
        assert.deepStrictEqual(f("twins"), [`not-allowed: its code is signed by SigningJob "sign" with SigningProfile "rogue" (us-east-1), which CodeSigningConfig "c" does not provably allow (allowed: SigningProfile "allowed" (us-east-1))`]);
    });

    it("without an in-stack CSC only the signature counts; candidates outside the stack are not in-stack CSCs", () => {
        const g = graph(fn("ext", jRogue, undefined, { codeSigningConfigArn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-x" }));
        const x = g.functions[0];
        assert.deepStrictEqual(inStackCscs(x.csc), []);
        assert.deepStrictEqual(codeFindings(x.code, inStackCscs(x.csc), []), []);
        assert.deepStrictEqual(inStackCscs({ kind: "missing" }), []);
    });

    it("labels functions and CSCs by flavor and template", () => {
        assert.strictEqual(functionLabel({ name: "f", flavor: "classic" }), `Lambda function "f"`);
        assert.strictEqual(functionLabel({ name: "f", flavor: "native" }), `Lambda function "f" (aws-native)`);
        assert.strictEqual(functionLabel({ name: "s/F", flavor: "cloudformation", template: { stackUrn: "u", stackName: "s", logicalId: "F" } }), `Lambda function "F" of CloudFormation stack "s"`);
        assert.strictEqual(cscLabel({ name: "c", flavor: "classic" }), `CodeSigningConfig "c"`);
        assert.strictEqual(cscLabel({ name: "s/C", flavor: "cloudformation" }), `CodeSigningConfig "s/C" (CloudFormation)`);
    });
});
