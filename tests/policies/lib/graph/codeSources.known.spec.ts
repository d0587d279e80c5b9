/**
 * Code provenance with known values (update mode, literal buckets, ObjectCopy sources): a known key, bucket or copy
 * source must be what the SigningJobs it derives from write, and a bucket counts as a literal only when nothing in
 * the stack computes it.
 */
import * as assert from "assert";
import { GraphContext } from "../../../../policies/lib/graph/context";
import { s3Origins } from "../../../../policies/lib/graph/codeSources";
import { StackIndex } from "../../../../policies/lib/graph/stackIndex";
import { CodeSource, Reference, buildStackGraph } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN } from "../../helpers";
import { job, profile, provider, res, showOrigin } from "./fixtures";

function show(code: CodeSource): string[] {
    return code.kind === "s3" ? code.origins.map(showOrigin) : [`${code.kind}`];
}

const p = profile("p");
const j = job("j", p);
const j2 = job("j2", p);
const jOther = job("o", p, { destination: { s3: { bucket: "other-artifacts", prefix: "signed/o/" } } });
const jNoBucket = job("nb", p, { destination: { s3: { bucket: UNKNOWN, prefix: "signed/nb/" } } });
const jNoPrefix = job("np", p, { destination: { s3: { bucket: "artifacts" } } });
const bucket = res(T.bucket, "deploy", {});
const stackRef = res("pulumi:pulumi:StackReference", "shared", {});
const base = [provider(), p, j, j2, jOther, jNoBucket, jNoPrefix, bucket, stackRef];

function codes(...extra: ReturnType<typeof res>[]): Record<string, string[]> {
    const g = buildStackGraph([...base, ...extra]);
    return Object.fromEntries(g.functions.map(f => [f.name, show(f.code)]));
}

const fn = (name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}) => res(T.fn, name, props, deps);

describe("policies/lib/graph/codeSources: known values", () => {
    it("update mode: a known key and a known bucket are each checked on their own, against every job the key derives from", () => {
        assert.deepStrictEqual(codes(
            fn("key-known", { s3Bucket: UNKNOWN, s3Key: "unsigned/1.zip" }, { s3Key: [j.urn] }),
            fn("bucket-known", { s3Bucket: "other", s3Key: UNKNOWN }, { s3Key: [j.urn] }),
            fn("key-wrong-type", { s3Bucket: "other", s3Key: 42 }, { s3Key: [j.urn] }),
            fn("key-of-second-job", { s3Bucket: "artifacts", s3Key: "signed/j2/1.zip" }, { s3Key: [j.urn, j2.urn] }),
            fn("key-of-neither", { s3Key: "x/1.zip" }, { s3Key: [j.urn, j2.urn] }),
            fn("bucket-of-second-job", { s3Bucket: "other-artifacts", s3Key: UNKNOWN }, { s3Key: [j.urn, jOther.urn] }),
            fn("job-bucket-unknown", { s3Bucket: "anything", s3Key: "x/1.zip" }, { s3Key: [jNoBucket.urn] }),
            fn("job-prefix-unset", { s3Bucket: "other", s3Key: "anything.zip" }, { s3Key: [jNoPrefix.urn] }),
        ), {
            "key-known": ["job j", `unsigned: its s3Key "unsigned/1.zip" is not under the destination prefix of SigningJob "j" (s3://artifacts/signed/j/), so it is not a signed object of that job`],
            "bucket-known": ["job j", `unsigned: its s3Bucket "other" is not the destination bucket of SigningJob "j" (s3://artifacts/signed/j/)`],
            "key-wrong-type": ["job j", `unsigned: its s3Bucket "other" is not the destination bucket of SigningJob "j" (s3://artifacts/signed/j/)`],
            "key-of-second-job": ["job j", "job j2"],
            "key-of-neither": ["job j", "job j2",
                `unsigned: its s3Key "x/1.zip" is not under the destination prefix of SigningJob "j" (s3://artifacts/signed/j/) or SigningJob "j2" (s3://artifacts/signed/j2/), so it is not a signed object of that job`],
            "bucket-of-second-job": ["job j", "job o"],
            // the job's bucket is unknown: any bucket may be it, and the label shows the prefix only
            "job-bucket-unknown": ["job nb", `unsigned: its s3Key "x/1.zip" is not under the destination prefix of SigningJob "nb" (signed/nb/), so it is not a signed object of that job`],
            // the job sets no prefix: any key may be its object, and the label names the job only
            "job-prefix-unset": ["job np", `unsigned: its s3Bucket "other" is not the destination bucket of SigningJob "np"`],
        });
    });

    it("a known ObjectCopy source must be a signed object of a SigningJob it derives from directly (bucket and key)", () => {
        const fits = res(T.copy, "fits", { bucket: "deploy", key: "d/app.zip", source: "artifacts/signed/j/app.zip" }, { source: [j.urn] });
        const otherBucket = res(T.copy, "other-bucket", { source: "elsewhere/signed/j/app.zip" }, { source: [j.urn] });
        const anyBucket = res(T.copy, "any-bucket", { source: "anywhere/signed/nb/app.zip" }, { source: [jNoBucket.urn] });
        const secondJob = res(T.copy, "second-job", { source: "artifacts/signed/j2/app.zip" }, { source: [j.urn, j2.urn] });
        // the outer copy's source is the inner copy's output: it is checked against no job (j is two copies away)
        const outer = res(T.copy, "outer", { source: "deploy/d/app.zip" }, { source: [fits.urn] });
        const g = codes(fits, otherBucket, anyBucket, secondJob, outer,
            fn("fits", { s3Key: UNKNOWN }, { s3Key: [fits.urn] }),
            fn("other-bucket", { s3Key: UNKNOWN }, { s3Key: [otherBucket.urn] }),
            fn("any-bucket", { s3Key: UNKNOWN }, { s3Key: [anyBucket.urn] }),
            fn("second-job", { s3Key: UNKNOWN }, { s3Key: [secondJob.urn] }),
            fn("outer", { s3Key: UNKNOWN }, { s3Key: [outer.urn] }),
        );
        assert.deepStrictEqual(g, {
            fits: [`job j via ObjectCopy "fits"`],
            "other-bucket": [`job j via ObjectCopy "other-bucket"`,
                `unsigned: ObjectCopy "other-bucket" copies "elsewhere/signed/j/app.zip", which is not the signed object of SigningJob "j" (s3://artifacts/signed/j/)`],
            "any-bucket": [`job nb via ObjectCopy "any-bucket"`],
            "second-job": [`job j via ObjectCopy "second-job"`, `job j2 via ObjectCopy "second-job"`],
            outer: [`job j via ObjectCopy "outer" > ObjectCopy "fits"`],
        });
    });

    it("a known bucket is a literal only when nothing in the stack computes it (a stack reference output is a literal)", () => {
        const fromBucket = res(T.copy, "from-bucket", { source: "vendor/app.zip" }, { source: [bucket.urn] });
        const fromRef = res(T.copy, "from-ref", { source: "vendor/app.zip" }, { source: [stackRef.urn] });
        const notBucketKey = res(T.copy, "not-bucket-key", { source: "app.zip" });
        assert.deepStrictEqual(codes(fromBucket, fromRef, notBucketKey,
            fn("computed-bucket", { s3Bucket: "deploy", s3Key: "app.zip" }, { s3Bucket: [bucket.urn] }),
            fn("stack-ref-bucket", { s3Bucket: "deploy", s3Key: "app.zip" }, { s3Bucket: [stackRef.urn] }),
            fn("copy-from-bucket", { s3Key: UNKNOWN }, { s3Key: [fromBucket.urn] }),
            fn("copy-from-ref", { s3Key: UNKNOWN }, { s3Key: [fromRef.urn] }),
            fn("copy-not-bucket-key", { s3Key: UNKNOWN }, { s3Key: [notBucketKey.urn] }),
        ), {
            "computed-bucket": ["location s3://?/app.zip (s3Key)"],
            "stack-ref-bucket": ["location s3://deploy/app.zip (s3Key)"],
            "copy-from-bucket": [`location s3://?/app.zip (source of ObjectCopy "from-bucket") via ObjectCopy "from-bucket"`],
            "copy-from-ref": [`location s3://vendor/app.zip (source of ObjectCopy "from-ref") via ObjectCopy "from-ref"`],
            "copy-not-bucket-key": [`unverifiable: ObjectCopy "not-bucket-key"'s source is "app.zip", not bucket/key`],
        });
    });

    it("alternatives (template Fn::If) that resolve to the same origin are reported once", () => {
        const ctx = new GraphContext(new StackIndex([]));
        const none = (path: string): Reference => ({ value: undefined, sources: [], path });
        const lit = (value: string): Reference => ({ value, sources: [], path: "Code.S3Key" });
        const key = (...alternatives: Reference[]): Reference => ({ value: UNKNOWN, sources: [], path: "Code.S3Key", alternatives });
        const origins = (k: Reference) => s3Origins(ctx, { key: k, bucket: none("Code.S3Bucket"), version: none("Code.S3ObjectVersion") }).map(showOrigin);
        assert.deepStrictEqual(origins(key(lit("app.zip"), lit("app.zip"))), ["location s3://?/app.zip (Code.S3Key)"]);
        assert.deepStrictEqual(origins(key(lit("app.zip"), lit("app.zip"), lit("app.zip"))), ["location s3://?/app.zip (Code.S3Key)"]);
        assert.deepStrictEqual(origins(key(lit("a.zip"), lit("b.zip"))), ["location s3://?/a.zip (Code.S3Key)", "location s3://?/b.zip (Code.S3Key)"]);
        for (const name of ["j1", "j2"]) {
            const urn = `urn:pulumi:dev::proj::${T.job}::${name}`;
            ctx.jobs.set(urn, { urn, name, type: T.job, flavor: "classic", profiles: [], destination: {}, signedKeys: [] });
        }
        const fromJob = (name: string): Reference => ({ value: UNKNOWN, sources: [{ urn: `urn:pulumi:dev::proj::${T.job}::${name}`, type: T.job, name }], path: "Code.S3Key" });
        assert.deepStrictEqual(origins(key(fromJob("j1"), fromJob("j1"))), ["job j1"]);
        assert.deepStrictEqual(origins(key(fromJob("j1"), fromJob("j2"))), ["job j1", "job j2"]);
    });
});
