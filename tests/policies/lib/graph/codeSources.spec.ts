import * as assert from "assert";
import { CodeSource, buildStackGraph, parseCopySource } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN, secret, stringArchive } from "../../helpers";
import { job, profile, provider, res, showOrigin } from "./fixtures";

/** A compact, exact rendering of a code source: kind, then each origin. */
function show(code: CodeSource): string[] {
    switch (code.kind) {
        case "image":
            return ["image"];
        case "inline":
            return [`inline${code.callbackFunction ? " (callback)" : ""}: ${code.detail}`];
        case "unverifiable":
            return [`unverifiable: ${code.reason}`];
    }
    return code.origins.map(showOrigin);
}

const p = profile("p");
const j = job("j", p);
const j2 = job("j2", p);
const obj = res(T.object, "upload", { key: "unsigned/a.zip", bucket: "artifacts" });
const bucket = res(T.bucket, "artifacts", {});
const other = res("random:index/randomPet:RandomPet", "pet", {});

function codes(...fns: Array<[string, Record<string, unknown>, Record<string, string[]>?, string?]>): Record<string, string[]> {
    const g = buildStackGraph([provider(), p, j, j2, obj, bucket, other, ...fns.map(([n, props, deps, type]) => res(type ?? T.fn, n, props, deps ?? {}))]);
    return Object.fromEntries(g.functions.map(f => [f.name, show(f.code)]));
}

describe("policies/lib/graph/codeSources", () => {
    it("classifies inline, image, missing and wrong-typed code", () => {
        assert.deepStrictEqual(codes(
            ["inline", { code: stringArchive({ "a.js": "1" }) }],
            ["callback", { code: stringArchive({ "__index.js": "1" }), handler: "__index.handler" }],
            ["image", { packageType: "Image", imageUri: "x" }],
            ["image-unknown-type", { packageType: UNKNOWN, imageUri: "x" }],
            ["unknown-type-no-image", { packageType: UNKNOWN }],
            ["zip-with-image-uri", { packageType: "Zip", imageUri: "x" }],
            ["empty", {}],
            ["nzip", { code: { zipFile: "x" } }, {}, T.nativeFn],
            ["nnone", {}, {}, T.nativeFn],
            ["nwrong", { code: 5 }, {}, T.nativeFn],
            ["nnokey", { code: { s3Bucket: "b" } }, {}, T.nativeFn],
        ), {
            inline: ["inline: its code is an inline `code` archive uploaded as-is, which is not signed"],
            callback: ["inline (callback): its code is an inline archive of a serialized closure (aws.lambda.CallbackFunction), which is never signed"],
            image: ["image"],
            "image-unknown-type": ["image"],
            "unknown-type-no-image": ["unverifiable: the function has no code source (neither s3Bucket/s3Key nor code is set)"],
            "zip-with-image-uri": ["unverifiable: the function has no code source (neither s3Bucket/s3Key nor code is set)"],
            empty: ["unverifiable: the function has no code source (neither s3Bucket/s3Key nor code is set)"],
            nzip: ["inline: its code is inline source (`code.zipFile`), which is not signed"],
            nnone: ["unverifiable: the function has no `code`"],
            nwrong: ["unverifiable: its `code` is not an object and does not trace to a SigningJob in this stack"],
            nnokey: ["unverifiable: the function has no code source (code.s3Key is not set)"],
        });
    });

    it("the key must derive from a SigningJob and from nothing else; the bucket from no unsigned object", () => {
        assert.deepStrictEqual(codes(
            ["signed", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [j.urn], s3Bucket: [j.urn] }],
            ["bucket-res", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [j.urn], s3Bucket: [bucket.urn] }],
            ["bucket-only", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Bucket: [j.urn] }],
            ["next-to-upload", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [j.urn, obj.urn], s3Bucket: [j.urn] }],
            ["upload-bucket", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [j.urn], s3Bucket: [obj.urn] }],
            ["other-bucket", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [j.urn], s3Bucket: [other.urn] }],
            ["upload-version", { s3Bucket: UNKNOWN, s3Key: UNKNOWN, s3ObjectVersion: UNKNOWN }, { s3Key: [j.urn], s3ObjectVersion: [obj.urn] }],
            ["bucket-key", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [bucket.urn] }],
            ["two-jobs", { s3Bucket: UNKNOWN, s3Key: secret(UNKNOWN) }, { s3Key: [j.urn, j2.urn] }],
        ), {
            signed: ["job j"],
            "bucket-res": ["job j"],
            "bucket-only": ["unverifiable: its s3Key is unknown during preview and does not trace to a SigningJob in this stack"],
            "next-to-upload": ["job j", `unsigned: its s3Key comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", not from a SigningJob's signed object`],
            "upload-bucket": ["job j", `unsigned: its s3Bucket comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", an object this stack writes itself, not a SigningJob's signed object`],
            "other-bucket": ["job j", `unverifiable: its s3Bucket comes from random:index/randomPet:RandomPet "pet", which is neither a SigningJob, an ObjectCopy nor a bucket`],
            "upload-version": ["job j", `unsigned: its s3ObjectVersion comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", an object this stack writes itself, not a SigningJob's signed object`],
            "bucket-key": [`unsigned: its s3Key comes from aws:s3/bucketV2:BucketV2 "artifacts", not from a SigningJob's signed object`],
            "two-jobs": ["job j", "job j2"],
        });
    });

    it("literal locations, unknown and wrong-typed keys", () => {
        assert.deepStrictEqual(codes(
            ["literal", { s3Bucket: "deploy", s3Key: "app.zip" }],
            ["literal-key-bucket-res", { s3Bucket: UNKNOWN, s3Key: "app.zip" }, { s3Bucket: [bucket.urn] }],
            ["unknown", { s3Key: UNKNOWN }],
            ["wrong", { s3Key: 42 }],
        ), {
            literal: ["location s3://deploy/app.zip (s3Key)"],
            "literal-key-bucket-res": ["location s3://?/app.zip (s3Key)"],
            unknown: ["unverifiable: its s3Key is unknown during preview and does not trace to a SigningJob in this stack"],
            wrong: ["unverifiable: its s3Key is 42, not an object key"],
        });
    });

    it("aws-native code: one dependency list for the whole object, buckets neutral", () => {
        assert.deepStrictEqual(codes(
            ["njob", { code: UNKNOWN }, { code: [j.urn, bucket.urn] }, T.nativeFn],
            ["nupload", { code: { s3Bucket: UNKNOWN, s3Key: UNKNOWN } }, { code: [j.urn, obj.urn] }, T.nativeFn],
            ["nliteral", { code: { s3Bucket: "b", s3Key: "k.zip" } }, {}, T.nativeFn],
        ), {
            njob: ["job j"],
            nupload: ["job j", `unsigned: its code.s3Key comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", not from a SigningJob's signed object`],
            nliteral: ["location s3://b/k.zip (code.s3Key)"],
        });
    });

    it("update mode: a known key must lie under the job's destination prefix, a known bucket must be its bucket", () => {
        const known = job("known", p, { signedObjects: [{ s3s: [{ bucket: "artifacts", key: "elsewhere/x.zip" }] }] });
        const g = buildStackGraph([provider(), p, j, known,
            res(T.fn, "ok", { s3Bucket: "artifacts", s3Key: "signed/j/1.zip" }, { s3Key: [j.urn], s3Bucket: [j.urn] }),
            res(T.fn, "bad-key", { s3Bucket: "artifacts", s3Key: "unsigned/1.zip" }, { s3Key: [j.urn] }),
            res(T.fn, "bad-bucket", { s3Bucket: "other", s3Key: "signed/j/1.zip" }, { s3Key: [j.urn] }),
            res(T.fn, "signed-key", { s3Bucket: "artifacts", s3Key: "elsewhere/x.zip" }, { s3Key: [known.urn] }),
        ]);
        const c = Object.fromEntries(g.functions.map(f => [f.name, show(f.code)]));
        assert.deepStrictEqual(c, {
            ok: ["job j"],
            "bad-key": ["job j", `unsigned: its s3Key "unsigned/1.zip" is not under the destination prefix of SigningJob "j" (s3://artifacts/signed/j/), so it is not a signed object of that job`],
            "bad-bucket": ["job j", `unsigned: its s3Bucket "other" is not the destination bucket of SigningJob "j" (s3://artifacts/signed/j/)`],
            "signed-key": ["job known"],
        });
    });

    it("follows ObjectCopy chains to their source, checks known keys, and stops on cycles", () => {
        const copy = res(T.copy, "copy", { bucket: "deploy", key: "d/app.zip", source: UNKNOWN }, { source: [j.urn, bucket.urn] });
        const copy2 = res(T.copy, "copy2", { bucket: "deploy", key: "d/app2.zip", source: UNKNOWN }, { source: [copy.urn] });
        const fromUpload = res(T.copy, "from-upload", { bucket: "deploy", key: "d/u.zip", source: UNKNOWN }, { source: [obj.urn] });
        const literal = res(T.copy, "literal", { bucket: "deploy", key: "d/l.zip", source: "vendor-bucket/releases/app%201.zip?versionId=3" });
        const knownBad = res(T.copy, "known-bad", { bucket: "deploy", key: "d/k.zip", source: "artifacts/unsigned/app.zip" }, { source: [j.urn] });
        const cycleA = res(T.copy, "cycle-a", { source: UNKNOWN }, { source: [urnOfCopy("cycle-b")] });
        const cycleB = res(T.copy, "cycle-b", { source: UNKNOWN }, { source: [cycleA.urn] });
        const lost = res(T.copy, "lost", { source: UNKNOWN });
        const g = buildStackGraph([provider(), p, j, obj, bucket, copy, copy2, fromUpload, literal, knownBad, cycleA, cycleB, lost,
            res(T.fn, "via-copy", { s3Bucket: UNKNOWN, s3Key: UNKNOWN }, { s3Key: [copy.urn], s3Bucket: [copy.urn] }),
            res(T.fn, "via-two", { s3Key: "d/app2.zip" }, { s3Key: [copy2.urn] }),
            res(T.fn, "wrong-key", { s3Key: "d/other.zip" }, { s3Key: [copy.urn] }),
            res(T.fn, "from-upload", { s3Key: UNKNOWN }, { s3Key: [fromUpload.urn] }),
            res(T.fn, "literal", { s3Key: UNKNOWN }, { s3Key: [literal.urn] }),
            res(T.fn, "known-bad", { s3Key: UNKNOWN }, { s3Key: [knownBad.urn] }),
            res(T.fn, "cycle", { s3Key: UNKNOWN }, { s3Key: [cycleA.urn] }),
            res(T.fn, "lost", { s3Key: UNKNOWN }, { s3Key: [lost.urn] }),
        ]);
        const c = Object.fromEntries(g.functions.map(f => [f.name, show(f.code)]));
        assert.deepStrictEqual(c, {
            "via-copy": [`job j via ObjectCopy "copy"`],
            "via-two": [`job j via ObjectCopy "copy2" > ObjectCopy "copy"`],
            "wrong-key": [`job j via ObjectCopy "copy"`, `unsigned: its s3Key "d/other.zip" is not the object ObjectCopy "copy" writes ("d/app.zip")`],
            "from-upload": [`unsigned: its source of ObjectCopy "from-upload" comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", not from a SigningJob's signed object`],
            literal: [`location s3://vendor-bucket/releases/app 1.zip (source of ObjectCopy "literal") via ObjectCopy "literal"`],
            "known-bad": [`job j via ObjectCopy "known-bad"`, `unsigned: ObjectCopy "known-bad" copies "artifacts/unsigned/app.zip", which is not the signed object of SigningJob "j" (s3://artifacts/signed/j/)`],
            cycle: [`unverifiable: its ObjectCopy chain through "cycle-a" forms a cycle`],
            lost: [`unverifiable: ObjectCopy "lost"'s source is unknown during preview and traces to no SigningJob in this stack`],
        });
    });

    it("a SigningJob or ObjectCopy whose properties can't be read makes the code unverifiable, naming it", () => {
        const exotic = (key: string) => ({ get [key](): string[] { throw new Error("exotic"); } });
        const badJob = job("bad-job", p, {}, { propertyDependencies: exotic("profileName") });
        const badCopy = res(T.copy, "bad-copy", { source: UNKNOWN }, {}, { propertyDependencies: exotic("source") });
        const g = buildStackGraph([provider(), p, badJob, badCopy,
            res(T.fn, "from-job", { s3Key: UNKNOWN }, { s3Key: [badJob.urn] }),
            res(T.fn, "from-copy", { s3Key: UNKNOWN }, { s3Key: [badCopy.urn] }),
        ]);
        assert.deepStrictEqual(Object.fromEntries(g.functions.map(f => [f.name, show(f.code)])), {
            "from-job": [`unverifiable: SigningJob "bad-job" could not be read`],
            "from-copy": [`unverifiable: its code comes from ObjectCopy "bad-copy", which could not be read`],
        });
    });

    it("parses copy sources", () => {
        assert.deepStrictEqual(parseCopySource("b/k/x.zip"), { bucket: "b", key: "k/x.zip" });
        assert.deepStrictEqual(parseCopySource("/b/a%2Fb.zip?versionId=1"), { bucket: "b", key: "a/b.zip" });
        assert.deepStrictEqual(parseCopySource("b/%E0%A4%A"), { bucket: "b", key: "%E0%A4%A" });
        for (const bad of ["b", "b/", "/k", "//k", "arn:aws:s3:us-east-1:1:accesspoint/ap/object/k"]) {
            assert.strictEqual(parseCopySource(bad), undefined, bad);
        }
    });
});

function urnOfCopy(name: string): string {
    return res(T.copy, name, {}).urn;
}
