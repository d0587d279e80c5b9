import * as assert from "assert";
import { SECRET_SIG, SIG_KEY, UNKNOWN as U, field, plain, rawProps, readString, unwrapProxy } from "../../../policies/lib/values";
import { UNKNOWN } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");

const IS_SPECIAL = "__isSpecialProxy";
const GET_TARGET = "__getSpecialProxyTarget";

/** A JavaScript Proxy over `target` whose trap answers the SDK's marker keys with `isSpecial` and `markerTarget`. */
function markerProxy(target: object, isSpecial: unknown, markerTarget: (self: object) => unknown): object {
    const self: object = new Proxy(target, {
        get: (t, k) => (k === IS_SPECIAL ? isSpecial : k === GET_TARGET ? markerTarget(self) : (t as Record<PropertyKey, unknown>)[k]),
    });
    return self;
}

describe("policies/lib/values: which proxies are unwrapped", () => {
    it("a Proxy that doesn't answer the SDK's marker is data, even when its target forges the target key", () => {
        const forged = { [GET_TARGET]: { codeSigningConfigArn: "arn:forged" }, codeSigningConfigArn: UNKNOWN };
        const transparent = new Proxy(forged, {});
        assert.strictEqual(unwrapProxy(transparent), transparent);
        assert.strictEqual(rawProps(transparent), transparent);
        assert.strictEqual(readString(transparent, "codeSigningConfigArn"), U);
        const saysFalse = markerProxy(forged, "true", () => ({ codeSigningConfigArn: "arn:forged" }));
        assert.strictEqual(unwrapProxy(saysFalse), saysFalse, "only the marker answer `true` counts");
        assert.strictEqual(readString(saysFalse, "codeSigningConfigArn"), U);
    });

    it("a marked proxy whose target is not an object is not replaced by that value (an unknown never becomes a known string)", () => {
        for (const bogus of ["arn:aws:lambda:us-east-1:111111111111:code-signing-config:csc-1", 5, true, () => ({}), null, undefined]) {
            const p = markerProxy({ arn: UNKNOWN }, true, () => bogus);
            assert.strictEqual(unwrapProxy(p), p, String(bogus));
            assert.strictEqual(plain(p), p, String(bogus));
            assert.strictEqual(readString(p, "arn"), U, String(bogus));
            assert.strictEqual(readString({ csc: p }, "csc"), null, `a proxied object is never read as a string (${String(bogus)})`);
        }
    });

    it("a marked proxy that names itself as its target is read as what it wraps (a wire secret stays a secret)", () => {
        const wireSecret = markerProxy({ [SIG_KEY]: SECRET_SIG, value: "Enforce" }, true, self => self);
        assert.strictEqual(unwrapProxy(wireSecret), wireSecret);
        assert.strictEqual(plain(wireSecret), "Enforce");
        assert.strictEqual(field({ mode: wireSecret }, "mode"), "Enforce");
        const data = markerProxy({ arn: UNKNOWN }, true, self => self);
        assert.strictEqual(plain(data), data);
        assert.strictEqual(readString(data, "arn"), U);
    });

    it("removes at most four proxy layers (the SDK nests two); a deeper stack keeps its fifth layer", () => {
        const raw = { arn: UNKNOWN };
        const layers = [raw];
        for (let i = 0; i < 5; i++) {
            layers.push(unknownCheckingProxy(layers[layers.length - 1]));
        }
        assert.strictEqual(unwrapProxy(layers[4]), raw);
        assert.strictEqual(unwrapProxy(layers[5]), layers[1]);
        assert.throws(() => (unwrapProxy(layers[5]) as { arn: unknown }).arn, /can't be known during preview/);
        assert.strictEqual(readString(layers[5], "arn"), U, "field access still goes layer by layer, without tripping it");
    });
});
