import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { createHash } from "crypto";
import { types } from "util";
import { ASSET_SIG, SIG_KEY } from "../../../policies/lib/values";
import { UNKNOWN, secret } from "../helpers";
import { withFreshModule as withFresh } from "./freshModule";

type SharedDeserialization = typeof import("../../../policies/lib/sharedDeserialization");

// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Secret } = require("@pulumi/policy/policy");

const DESERIALIZE = "@pulumi/policy/deserialize";

/**
 * Runs `body` with a fresh copy of policies/lib/sharedDeserialization (its own install and memo state, its own lazily
 * loaded runtime). Installing into a substitute of @pulumi/policy/deserialize leaves the process's real deserializer
 * alone.
 */
function withFreshModule(substitutes: Record<string, object>, body: (sd: SharedDeserialization) => void, unloadable: string[] = []): void {
    withFresh<SharedDeserialization>("../../../policies/lib/sharedDeserialization", substitutes, body, unloadable);
}

type Deserialize = (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;

/**
 * The SDK's own deserializeProperties, from a fresh load of its module: the loaded one may already carry the pack's
 * replacement (any spec that built the policies installed it).
 */
function sdkDeserializer(): Deserialize {
    const p = require.resolve(DESERIALIZE);
    const loaded = require.cache[p];
    delete require.cache[p];
    try {
        return require(p).deserializeProperties;
    } finally {
        require.cache[p] = loaded;
    }
}

/** A stand-in for @pulumi/policy/deserialize whose export is the SDK's own function. */
function sdkModule(): { deserializeProperties: Deserialize & { __lambdaCodeSigningDeserializer?: true } } {
    return { deserializeProperties: sdkDeserializer() };
}

const struct = () => structproto.Struct.fromJavaScript({ a: secret("x"), b: [1, UNKNOWN] });

/** Whether the installed deserializer hands out the same props object for the same Struct. */
function memoises(deserialize: Deserialize): boolean {
    const s = struct();
    const first = deserialize(s, false);
    assert.deepStrictEqual(first, { a: "x", b: [1, UNKNOWN] });
    return deserialize(s, false) === first;
}

describe("policies/lib/sharedDeserialization: installing into @pulumi/policy", () => {
    it("replaces the SDK's export, reports it, and a second install keeps the first replacement", () => {
        const sdk = sdkModule();
        const original = sdk.deserializeProperties;
        withFreshModule({ [DESERIALIZE]: sdk }, sd => {
            assert.strictEqual(sd.installSharedDeserialization(), true);
            const installed = sdk.deserializeProperties;
            assert.notStrictEqual(installed, original);
            assert.strictEqual(installed.__lambdaCodeSigningDeserializer, true);
            assert.deepStrictEqual(installed(structproto.Struct.fromJavaScript({ k: secret("s") }), false), { k: "s" });
            assert.strictEqual(sd.installSharedDeserialization({ memo: false }), true);
            assert.strictEqual(sdk.deserializeProperties, installed, "not wrapped twice");
        });
    });

    it("memoises by default (the shipped pack), not with { memo: false } (the library), and the memo stays on once asked for", () => {
        withFreshModule({ [DESERIALIZE]: sdkModule() }, sd => {
            sd.installSharedDeserialization();
            assert.strictEqual(memoises(require(DESERIALIZE).deserializeProperties), true);
        });
        withFreshModule({ [DESERIALIZE]: sdkModule() }, sd => {
            sd.installSharedDeserialization({ memo: false });
            const deserialize = require(DESERIALIZE).deserializeProperties;
            assert.strictEqual(memoises(deserialize), false);
            sd.installSharedDeserialization({});
            assert.strictEqual(memoises(deserialize), false, "memo defaults to off when options are given");
            sd.installSharedDeserialization({ memo: true });
            assert.strictEqual(memoises(deserialize), true);
            sd.installSharedDeserialization({ memo: false });
            assert.strictEqual(memoises(deserialize), true);
        });
    });

    it("reports false and changes nothing when the SDK's module can't be loaded, has no deserializeProperties, or won't take a new one", () => {
        withFreshModule({}, sd => assert.strictEqual(sd.installSharedDeserialization(), false), [DESERIALIZE]);
        const empty = {};
        withFreshModule({ [DESERIALIZE]: empty }, sd => {
            assert.strictEqual(sd.installSharedDeserialization(), false);
            assert.deepStrictEqual(empty, {});
        });
        const frozen = Object.freeze(sdkModule());
        const original = frozen.deserializeProperties;
        withFreshModule({ [DESERIALIZE]: frozen }, sd => {
            assert.strictEqual(sd.installSharedDeserialization(), false);
            assert.strictEqual(frozen.deserializeProperties, original);
        });
    });
});

describe("policies/lib/sharedDeserialization: the per-request memo", () => {
    it("is plain data (secrets read as their value, no proxy), kept out of the Struct's visible shape and read-only", () => {
        withFreshModule({ [DESERIALIZE]: sdkModule() }, sd => {
            sd.installSharedDeserialization();
            const deserialize: Deserialize = require(DESERIALIZE).deserializeProperties;
            const s = struct();
            const props = deserialize(s, false);
            assert.strictEqual(types.isProxy(props), false);
            assert.deepStrictEqual(Object.getOwnPropertyDescriptor(props, "a"), { value: "x", writable: true, enumerable: true, configurable: true });
            assert.deepStrictEqual(s, struct(), "the Struct looks as it did (no enumerable key added)");
            const symbols = Object.getOwnPropertySymbols(s);
            assert.strictEqual(symbols.length, 1);
            assert.deepStrictEqual(Object.getOwnPropertyDescriptor(s, symbols[0]), { value: props, writable: false, enumerable: false, configurable: true });
        });
    });

    it("never memoises Remediate's secrets-preserving props, and answers structs that can't hold a memo", () => {
        withFreshModule({ [DESERIALIZE]: sdkModule() }, sd => {
            sd.installSharedDeserialization();
            const deserialize: Deserialize = require(DESERIALIZE).deserializeProperties;
            const s = struct();
            const remediate = deserialize(s, true);
            assert.strictEqual(types.isProxy(remediate), true);
            assert.notStrictEqual(deserialize(s, true), remediate);
            assert.deepStrictEqual(Object.getOwnPropertySymbols(s), []);
            for (const odd of [null, undefined, "text", 5]) {
                assert.deepStrictEqual(deserialize(odd, false), {}, String(odd));
            }
            const frozen = Object.freeze(struct());
            assert.deepStrictEqual(deserialize(frozen, false), { a: "x", b: [1, UNKNOWN] });
            assert.notStrictEqual(deserialize(frozen, false), deserialize(frozen, false), "no memo on a frozen Struct, same result");
        });
    });
});

describe("policies/lib/sharedDeserialization: what it takes from the Pulumi SDKs", () => {
    it("loads them once, and only for a value that needs them", () => {
        let lookups = 0;
        const policy = {
            get Secret(): unknown {
                lookups++;
                return Secret;
            },
        };
        withFreshModule({ "@pulumi/policy/policy": policy }, sd => {
            assert.deepStrictEqual(sd.deserializeProperty({ a: [1, "x"] }, true), { a: [1, "x"] });
            assert.strictEqual(lookups, 0, "plain data never needs them");
            assert.deepStrictEqual(sd.deserializeProperty(secret("s"), true), new Secret("s"));
            assert.deepStrictEqual(sd.deserializeProperty([secret("t"), secret("u")], true), [new Secret("t"), new Secret("u")]);
            assert.strictEqual(lookups, 1);
        });
    });

    it("a fresh copy reads the engine's hash-only empty text asset (sha256 of \"\") as an empty StringAsset", async () => {
        const emptySha256 = createHash("sha256").update("").digest("hex");
        let asset: unknown;
        withFreshModule({}, sd => {
            assert.strictEqual(sd.EMPTY_CONTENT_HASH, emptySha256);
            asset = sd.deserializeProperty({ [SIG_KEY]: ASSET_SIG, hash: emptySha256 }, false);
        });
        assert.ok(asset instanceof pulumi.asset.StringAsset);
        assert.strictEqual(await (asset as pulumi.asset.StringAsset).text, "");
    });
});
