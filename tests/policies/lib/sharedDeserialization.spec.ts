import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import { EMPTY_CONTENT_HASH, deserializeProperties, deserializeProperty, installSharedDeserialization } from "../../../policies/lib/sharedDeserialization";
import { Unreadable } from "../../../policies/lib/values";
import { lambdaCscEnforceMode } from "../../../policies/rules/lambda-csc-enforce-mode";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { lambdaSignedCode } from "../../../policies/rules/lambda-signed-code";
import { lambdaSignedLayers } from "../../../policies/rules/lambda-signed-layers";
import * as stackGraph from "../../../policies/lib/stackGraph";
import { T, UNKNOWN, analyzeResource, analyzeStack, analyzeStackRequest, r, remediateResource, secret, stackRequest } from "../helpers";

const SIG = "4dabf18193072939515e22adb298388d";
const ASSET = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const deserialize = require("@pulumi/policy/deserialize");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

describe("policies/lib/sharedDeserialization", () => {
    // Installing is process-wide and idempotent; semantics are unchanged, so later specs are unaffected.
    before(() => assert.ok(installSharedDeserialization()));

    it("memoises proxySecrets=false on the Struct identity, never proxySecrets=true", () => {
        assert.ok(installSharedDeserialization(), "idempotent");
        const s = structproto.Struct.fromJavaScript({ a: secret("x"), b: [1, UNKNOWN] });
        const once = deserialize.deserializeProperties(s, false);
        assert.strictEqual(deserialize.deserializeProperties(s, false), once);
        assert.deepStrictEqual(once, { a: "x", b: [1, UNKNOWN] });
        const other = structproto.Struct.fromJavaScript({ a: secret("x"), b: [1, UNKNOWN] });
        assert.notStrictEqual(deserialize.deserializeProperties(other, false), once);
        assert.notStrictEqual(deserialize.deserializeProperties(s, true), deserialize.deserializeProperties(s, true));
    });

    it("lets the stack policies of one AnalyzeStack request share one graph; a new request builds a new one", async () => {
        const seen: unknown[] = [];
        const probe = (name: string) => ({
            name,
            description: name,
            enforcementLevel: "mandatory" as const,
            validateStack: (args: any) => {
                seen.push(stackGraph.stackGraphFor(args.resources));
            },
        });
        const csc = r(T.csc, "csc", { policies: { untrustedArtifactOnDeployment: "Warn" }, allowedPublishers: { signingProfileVersionArns: ["a"] } });
        const fn = r(T.fn, "fn", { s3Key: "k", codeSigningConfigArn: UNKNOWN }, { codeSigningConfigArn: [csc] });
        const policies = [probe("a"), probe("b"), probe("c")];
        await analyzeStackRequest(policies, stackRequest([csc, fn]));
        assert.strictEqual(seen.length, 3);
        assert.strictEqual(seen[0], seen[1]);
        assert.strictEqual(seen[1], seen[2]);
        await analyzeStackRequest(policies, stackRequest([csc, fn]));
        assert.strictEqual(seen.length, 6);
        assert.notStrictEqual(seen[3], seen[0]);
        assert.strictEqual(seen[3], seen[5]);
        // The real rules agree with the shared graph.
        const d = await analyzeStackRequest([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], stackRequest([csc, fn]));
        assert.deepStrictEqual(d.map(x => x.policy).sort(), ["lambda-enforce-code-signing", "lambda-signed-code"]);
    });

    it("accepts what the engine sends for an empty text asset (hash only, or text \"\") and keeps other hash-only values", async () => {
        const empty = deserializeProperty({ [SIG]: ASSET, hash: EMPTY_CONTENT_HASH }, false) as pulumi.asset.StringAsset;
        assert.ok(empty instanceof pulumi.asset.StringAsset);
        assert.strictEqual(await empty.text, "");
        assert.ok(deserializeProperty({ [SIG]: ASSET, text: "" }, false) instanceof pulumi.asset.StringAsset);
        assert.ok(deserializeProperty({ [SIG]: ASSET }, false) instanceof pulumi.asset.StringAsset);
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ASSET, hash: "abc" }, false), { [SIG]: ASSET, hash: "abc" });
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE, hash: "abc" }, false), { [SIG]: ARCHIVE, hash: "abc" });
        const archive = deserializeProperty({ [SIG]: ARCHIVE, assets: { "__init__.py": { [SIG]: ASSET, hash: EMPTY_CONTENT_HASH }, "a.py": { [SIG]: ASSET, text: "x" } } }, false);
        assert.ok(archive instanceof pulumi.asset.AssetArchive);
        assert.ok(deserializeProperty({ [SIG]: ASSET, path: "p" }, false) instanceof pulumi.asset.FileAsset);
        assert.ok(deserializeProperty({ [SIG]: ASSET, uri: "https://x" }, false) instanceof pulumi.asset.RemoteAsset);
        assert.ok(deserializeProperty({ [SIG]: ARCHIVE, path: "p" }, false) instanceof pulumi.asset.FileArchive);
        assert.ok(deserializeProperty({ [SIG]: ARCHIVE, uri: "https://x" }, false) instanceof pulumi.asset.RemoteArchive);
    });

    it("turns what it can't read into Unreadable values instead of failing the request", () => {
        assert.deepStrictEqual(deserializeProperty({ [SIG]: "nope" }, false), new Unreadable(`a value with the unrecognised signature "nope"`));
        assert.deepStrictEqual(deserializeProperty({ [SIG]: UNKNOWN, x: 1 }, false), new Unreadable(`a value with the unrecognised signature "${UNKNOWN}"`));
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ASSET, hash: 5 }, false), new Unreadable("an asset with malformed fields"));
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE, assets: 5 }, false), new Unreadable("an archive with malformed fields"));
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE, assets: { a: "text" } }, false), new Unreadable(`an archive whose member "a" is not an asset or archive`));
        assert.deepStrictEqual(deserializeProperty([1, { a: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "s" } }], false), [1, { a: "s" }]);
        assert.deepStrictEqual(deserializeProperties(undefined, false), {});
        assert.deepStrictEqual(deserializeProperties({ toJavaScript: () => { throw new Error("x"); } }, false), {});
        assert.deepStrictEqual(deserializeProperties({ toJavaScript: () => [1] }, false), {});
    });

    it("reads an asset's path, uri and text only when they are strings, and keeps its text", async () => {
        const text = deserializeProperty({ [SIG]: ASSET, text: "print(1)", hash: "abc" }, false) as pulumi.asset.StringAsset;
        assert.ok(text instanceof pulumi.asset.StringAsset);
        assert.strictEqual(await text.text, "print(1)");
        const sentEmpty = deserializeProperty({ [SIG]: ASSET, text: "", hash: "abc" }, false) as pulumi.asset.StringAsset;
        assert.ok(sentEmpty instanceof pulumi.asset.StringAsset, "the text was sent, and it is empty");
        assert.strictEqual(await sentEmpty.text, "");
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ASSET, text: "", hash: 5 }, false), sentEmpty);
        fc.assert(
            fc.property(fc.record({ path: fc.anything(), uri: fc.anything(), text: fc.anything() }, { requiredKeys: [] }), fc.hexaString({ minLength: 1 }), (fields, hash) => {
                fc.pre(Object.values(fields).every(v => typeof v !== "string") && hash !== EMPTY_CONTENT_HASH);
                assert.deepStrictEqual(deserializeProperty({ [SIG]: ASSET, ...fields, hash }, false), { [SIG]: ASSET, hash });
            }),
        );
    });

    it("keeps a hash-only archive only when it has no assets field; an archive without a readable field is Unreadable", () => {
        const malformed = new Unreadable("an archive with malformed fields");
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE }, false), malformed);
        assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE, hash: 5 }, false), malformed);
        for (const assets of [null, 5, "a", ["x"]]) {
            assert.deepStrictEqual(deserializeProperty({ [SIG]: ARCHIVE, hash: "abc", assets }, false), malformed, JSON.stringify(assets));
        }
    });

    it("reads a missing value as null, also inside a secret (a Secret of null for Remediate)", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { Secret } = require("@pulumi/policy/policy");
        assert.strictEqual(deserializeProperty(undefined, false), null);
        assert.strictEqual(deserializeProperty({ [SIG]: SECRET }, false), null);
        assert.deepStrictEqual(deserializeProperty({ [SIG]: SECRET }, true), new Secret(null));
        assert.deepStrictEqual(deserializeProperty({ [SIG]: SECRET, value: UNKNOWN }, true), new Secret(UNKNOWN), "an unknown stays unknown");
    });

    it("quotes at most 40 characters of an unrecognised signature", () => {
        const sig = "0123456789".repeat(5);
        assert.deepStrictEqual(deserializeProperty({ [SIG]: sig }, false), new Unreadable(`a value with the unrecognised signature "${sig.slice(0, 40)}"`));
    });

    it("deserializes only an object's defined fields and reads anything else as no properties", () => {
        assert.deepStrictEqual(deserializeProperties({ toJavaScript: () => ({ a: undefined, b: secret(1) }) }, false), { b: 1 });
        for (const js of [null, undefined, "a", 5, [{ a: 1 }]]) {
            assert.deepStrictEqual(deserializeProperties({ toJavaScript: () => js }, false), {}, String(js));
        }
        assert.deepStrictEqual(deserializeProperties({}, false), {});
    });

    it("Remediate's secrets stay secrets behind the SDK's proxy", () => {
        const props = deserializeProperties(structproto.Struct.fromJavaScript({ d: secret("s"), k: 1 }), true);
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { Secret } = require("@pulumi/policy/policy");
        assert.strictEqual(props.d, "s", "reads unwrap");
        assert.strictEqual(props.k, 1);
        assert.ok((props as any).__getSpecialProxyTarget.d instanceof Secret);
    });

    it("a stack holding an empty text asset is analysed, and Remediate answers (in process, through the server)", async () => {
        const emptyInit = { [SIG]: ARCHIVE, assets: { "__init__.py": { [SIG]: ASSET, hash: EMPTY_CONTENT_HASH }, "index.py": { [SIG]: ASSET, text: "x" } } };
        const fn = r(T.fn, "fn", { code: emptyInit });
        const stack = await analyzeStack([lambdaEnforceCodeSigning, lambdaSignedCode], [fn]);
        assert.deepStrictEqual(stack.map(d => d.policy).sort(), ["lambda-enforce-code-signing", "lambda-signed-code"]);
        assert.match(stack.find(d => d.policy === "lambda-signed-code")!.message, /inline `code` archive/);
        const warn = { policies: { untrustedArtifactOnDeployment: "Warn" }, description: { [SIG]: ASSET, hash: EMPTY_CONTENT_HASH } };
        const rem = await remediateResource([{ ...lambdaCscEnforceMode, enforcementLevel: "remediate" }], T.csc, "csc", warn);
        assert.deepStrictEqual(rem, [], "an asset in the inputs can't be written back: no remediation, and an answer");
        const d = await analyzeResource([lambdaCscEnforceMode], T.csc, "csc", warn);
        assert.match(d[0].message, /it can't be rewritten automatically: its inputs hold an asset, archive or other value the policy server can't write back/);
    });
});

