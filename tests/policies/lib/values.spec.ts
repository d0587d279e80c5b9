import * as assert from "assert";
import { UNKNOWN as U, asString, field, globMatch, plain, rawProps, typeFromUrn, unwrapProxy } from "../../../policies/lib/values";
import { UNKNOWN, secret } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { secretsPreservingProxy } = require("@pulumi/policy/secret");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Secret } = require("@pulumi/policy/policy");

describe("policies/lib/values", () => {
    it("unwraps the unknown-checking proxy without tripping it", () => {
        const raw = { arn: UNKNOWN, nested: { x: UNKNOWN } };
        const proxied = unknownCheckingProxy(raw);
        assert.throws(() => proxied.arn);
        assert.strictEqual(unwrapProxy(proxied), raw);
        assert.strictEqual(rawProps(proxied), raw);
        assert.strictEqual(asString(field(proxied, "arn")), U);
        assert.strictEqual((field(proxied, "nested") as { x: string }).x, UNKNOWN);
    });

    it("unwraps Remediate's double proxy and Secret instances, and wire-format secrets", () => {
        const raw = { description: new Secret("s"), policies: new Secret({ untrustedArtifactOnDeployment: "Enforce" }) };
        const props = unknownCheckingProxy(secretsPreservingProxy(raw));
        assert.strictEqual(rawProps(props), raw);
        assert.strictEqual(field(props, "description"), "s");
        assert.strictEqual(field(field(props, "policies"), "untrustedArtifactOnDeployment"), "Enforce");
        assert.strictEqual(plain(secret(secret("x"))), "x");
    });

    it("reads strings: absent, empty, unknown, wrong type", () => {
        assert.strictEqual(asString(undefined), undefined);
        assert.strictEqual(asString(""), undefined);
        assert.strictEqual(asString(null), undefined);
        assert.strictEqual(asString("3eeb2bf0-c639-47a8-9e75-3b44932eb421"), U);
        assert.strictEqual(asString(5), null);
        assert.strictEqual(field({ __proto__: { x: 1 } }, "x"), undefined);
        assert.strictEqual(field([1], "0"), undefined);
    });

    it("globs: * matches any run (including : and /), anchored, everything else literal", () => {
        assert.ok(globMatch("arn:aws:lambda:*:464622532012:layer:Datadog-*", "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Node20-x:115"));
        assert.ok(!globMatch("arn:aws:lambda:*:464622532012:layer:Datadog-*", "arn:aws:lambda:us-east-1:111111111111:layer:Datadog-Node20-x:115"));
        assert.ok(globMatch("a*b*c", "abc"));
        assert.ok(globMatch("a*b*c", "aXbYbZc"));
        assert.ok(!globMatch("a*b*c", "acb"));
        assert.ok(!globMatch("a.b", "aXb"));
        assert.ok(globMatch("*", ""));
        assert.ok(!globMatch("ab*ba", "aba"));
        assert.ok(globMatch("exact", "exact"));
    });

    it("parses types out of URNs", () => {
        assert.strictEqual(typeFromUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack$x:y:Z$aws:lambda/function:Function::fn"), "aws:lambda/function:Function");
        assert.strictEqual(typeFromUrn("garbage"), "");
    });
});
