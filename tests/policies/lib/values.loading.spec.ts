import * as assert from "assert";
import { withFreshModule } from "./freshModule";

type Values = typeof import("../../../policies/lib/values");

// eslint-disable-next-line @typescript-eslint/no-var-requires
const realProxyModule = require("@pulumi/policy/proxy");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Secret } = require("@pulumi/policy/policy");

/** Runs `body` with a fresh copy of policies/lib/values (its own lazily loaded state), `substitutes` in place. */
function withFreshValues(substitutes: Record<string, object>, body: (values: Values) => void): void {
    withFreshModule<Values>("../../../policies/lib/values", substitutes, body);
}

/** The policy SDK's `policy` module with `Secret` behind a getter that counts (and optionally fails) the look-ups. */
function countingPolicyModule(fail: boolean): { exports: object; lookups: () => number } {
    let n = 0;
    const exports = {
        get Secret(): unknown {
            n++;
            if (fail) {
                throw new Error("Secret is not exported by this @pulumi/policy");
            }
            return Secret;
        },
    };
    return { exports, lookups: () => n };
}

describe("policies/lib/values: what it takes from @pulumi/policy", () => {
    it("knows the proxy marker keys also when the SDK stops exporting them (they are @internal)", () => {
        const withoutMarkers = { ...realProxyModule, isSpecialProxy: undefined, getSpecialProxyTarget: undefined };
        withFreshValues({ "@pulumi/policy/proxy": withoutMarkers }, values => {
            assert.deepStrictEqual(values.PROXY_MARKER_KEYS, ["__isSpecialProxy", "__getSpecialProxyTarget"]);
            const raw = { arn: realProxyModule.unknownStringValue, description: "d" };
            const proxied = realProxyModule.unknownCheckingProxy(raw);
            assert.strictEqual(values.unwrapProxy(proxied), raw);
            assert.strictEqual(values.readString(proxied, "arn"), values.UNKNOWN);
            assert.strictEqual(values.readString(proxied, "description"), "d");
        });
    });

    it("reads the SDK's Secret instances as their value from the first call on", () => {
        withFreshValues({}, values => {
            assert.strictEqual(values.readString({ mode: new Secret("Enforce") }, "mode"), "Enforce");
            assert.strictEqual(values.readString({ arn: new Secret(realProxyModule.unknownStringValue) }, "arn"), values.UNKNOWN);
            assert.deepStrictEqual(values.rawProps(new Secret({ a: 1 })), { a: 1 });
        });
    });

    it("looks the Secret class up once, and only when an object with a class shows up", () => {
        const policy = countingPolicyModule(false);
        withFreshValues({ "@pulumi/policy/policy": policy.exports }, values => {
            assert.deepStrictEqual(values.plain({ a: 1 }), { a: 1 });
            assert.strictEqual(policy.lookups(), 0, "plain data never needs it");
            assert.strictEqual(values.plain(new Secret("x")), "x");
            assert.strictEqual(values.plain(new Secret(new Secret("y"))), "y");
            assert.strictEqual(values.field({ k: new Secret("z") }, "k"), "z");
            assert.strictEqual(policy.lookups(), 1);
        });
    });

    it("when the Secret class can't be loaded, class instances stay opaque objects and the look-up is not retried", () => {
        const policy = countingPolicyModule(true);
        withFreshValues({ "@pulumi/policy/policy": policy.exports }, values => {
            const s = new Secret("Enforce");
            assert.strictEqual(values.plain(s), s);
            assert.strictEqual(values.readString({ mode: s }, "mode"), null, "never read as the string it hides");
            const date = new Date(0);
            assert.strictEqual(values.plain(date), date);
            assert.strictEqual(policy.lookups(), 1);
        });
    });
});
