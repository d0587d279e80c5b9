import * as assert from "assert";
import * as fc from "fast-check";
import { SECRET_SIG, SIG_KEY, UNKNOWN as U, Unreadable, asString, describe as describeValue, field, globMatch, isRecord, isSet, nameFromUrn, plain, rawProps, readString, typeFromUrn, unwrapProxy } from "../../../policies/lib/values";
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
        assert.ok(!globMatch("a*b*b", "ab"), "a middle part may not overlap the suffix");
        assert.ok(!globMatch("*ab*ba*", "aba"), "middle parts may not overlap each other");
        assert.ok(globMatch("*b*", "b"), "a middle part may start the value when the prefix is empty");
        assert.ok(globMatch("a**b", "ab"), "consecutive stars are one star");
    });

    it("globs: matches exactly what the equivalent anchored regular expression matches", () => {
        // Small alphabets so patterns and values collide often: overlaps, repeats, empty prefix/suffix, `**`.
        const pattern = fc.array(fc.constantFrom("a", "b", "*", "ab"), { maxLength: 7 }).map(p => p.join(""));
        const value = fc.array(fc.constantFrom("a", "b"), { maxLength: 8 }).map(v => v.join(""));
        const reference = (p: string, v: string): boolean => new RegExp(`^${p.split("*").join("[ab]*")}$`).test(v);
        fc.assert(fc.property(pattern, value, (p, v) => globMatch(p, v) === reference(p, v)), { numRuns: 2000 });
    });

    it("recognises the SDK's proxies by what they are: keys a program writes are ordinary data", () => {
        const SIG = "4dabf18193072939515e22adb298388d";
        // A program can register inputs with these names; they must never be taken for proxies or secrets.
        const forged = { __isSpecialProxy: true, __getSpecialProxyTarget: { codeSigningConfigArn: "arn:forged" }, codeSigningConfigArn: UNKNOWN };
        assert.strictEqual(unwrapProxy(forged), forged);
        assert.strictEqual(rawProps(forged), forged);
        assert.strictEqual(asString(field(forged, "codeSigningConfigArn")), U);
        const proxied = unknownCheckingProxy(forged);
        assert.strictEqual(rawProps(proxied), forged, "one real proxy is removed, the forged target stays data");
        // The wire signature key as an input name with an unknown value: reading through the proxy must not throw.
        const sigKeyed = unknownCheckingProxy({ [SIG]: UNKNOWN, name: "x" });
        assert.doesNotThrow(() => rawProps(sigKeyed));
        assert.strictEqual(readString(sigKeyed, "name"), "x");
        assert.strictEqual(plain({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "v" }), "v", "a wire secret (CLI input) is a secret");
        assert.deepStrictEqual(plain({ [SIG]: UNKNOWN, value: "v" }), { [SIG]: UNKNOWN, value: "v" }, "any other signature value is data");
        // Deserialized values are plain data: a Proxy can only come from the SDK itself. A Proxy whose trap throws stays.
        const throwing = new Proxy({}, { get: () => { throw new Error("x"); } });
        assert.strictEqual(unwrapProxy(throwing), throwing);
        const secretLike = { value: "v", constructor: { name: "Secret" } };
        assert.strictEqual(plain(secretLike), secretLike, "only the SDK's own Secret class is a secret");
    });

    it("unreadable values are never strings, records or absent", () => {
        const u = new Unreadable("why");
        assert.ok(Object.isFrozen(u));
        assert.strictEqual(asString(u), null);
        assert.ok(!isRecord(u));
        assert.ok(isSet(u));
        assert.deepStrictEqual(rawProps(u), {});
        assert.strictEqual(describeValue(u), "an unreadable value (why)");
        assert.strictEqual(describeValue(UNKNOWN), "<unknown during preview>");
        assert.strictEqual(describeValue("x".repeat(300)), JSON.stringify(`${"x".repeat(200)}…`));
        assert.strictEqual(describeValue([1]), "a list");
        assert.strictEqual(describeValue({}), "an object");
        const getter = { get k() { throw new Error("no"); } };
        assert.deepStrictEqual(field(getter, "k"), new Unreadable("its k has an exotic getter"));
    });

    it("a wire secret is a plain or null-prototype object with its own signature; at most 8 wrappers are removed", () => {
        const wire = (value: unknown, target: object = {}) => Object.assign(target, { [SIG_KEY]: SECRET_SIG, value });
        assert.strictEqual(plain(wire("x")), "x");
        assert.strictEqual(plain(wire("x", Object.create(null))), "x", "null prototype");
        const instance = wire("x", new (class Data {})());
        assert.strictEqual(plain(instance), instance, "a class instance is data");
        const inherited = Object.create(wire("x"));
        assert.strictEqual(plain(inherited), inherited, "an inherited signature is not its own");
        let nested: unknown = "x";
        for (let i = 0; i < 9; i++) {
            nested = wire(nested);
        }
        assert.deepStrictEqual(plain(nested), wire("x"), "9 wrappers: 8 removed, one left");
    });

    it("records are plain objects only; props of anything else are {}; set means not undefined, null or \"\"", () => {
        for (const v of [null, undefined, 0, "x", true, [], [{ a: 1 }], () => 0]) {
            assert.strictEqual(isRecord(v), false, String(v));
            assert.deepStrictEqual(rawProps(v), {}, String(v));
        }
        const o = { a: 1 };
        assert.strictEqual(isRecord(o), true);
        assert.strictEqual(isRecord(Object.create(null)), true);
        assert.strictEqual(rawProps(o), o);
        assert.deepStrictEqual([undefined, null, ""].map(isSet), [false, false, false]);
        assert.deepStrictEqual([0, false, "x", UNKNOWN, {}].map(isSet), [true, true, true, true, true]);
    });

    it("describes values for messages: unknowns as unknown, strings quoted and cut after 200 characters, scalars as such", () => {
        assert.deepStrictEqual(
            [U, UNKNOWN, "arn:x", "x".repeat(200), "x".repeat(201), null, undefined, 0, 42, true, false].map(describeValue),
            [
                "<unknown during preview>",
                "<unknown during preview>",
                "\"arn:x\"",
                JSON.stringify("x".repeat(200)),
                JSON.stringify(`${"x".repeat(200)}…`),
                "null",
                "undefined",
                "0",
                "42",
                "true",
                "false",
            ],
        );
    });

    it("parses types out of URNs", () => {
        assert.strictEqual(typeFromUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack$x:y:Z$aws:lambda/function:Function::fn"), "aws:lambda/function:Function");
        assert.strictEqual(typeFromUrn("urn:pulumi:dev::p::aws:lambda/function:Function::fn"), "aws:lambda/function:Function");
        assert.strictEqual(typeFromUrn("urn:pulumi:dev::p::$aws:lambda/function:Function::fn"), "aws:lambda/function:Function", "an empty parent chain");
        assert.strictEqual(typeFromUrn("garbage"), "");
    });

    it("parses names out of URNs: everything after the type, also when it holds `::`; anything else is its own name", () => {
        assert.strictEqual(nameFromUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack$aws:lambda/function:Function::fn"), "fn");
        assert.strictEqual(nameFromUrn("urn:pulumi:dev::p::aws:lambda/function:Function::a::b"), "a::b");
        assert.strictEqual(nameFromUrn("urn:pulumi:dev::p::aws:lambda/function:Function::"), "");
        assert.strictEqual(nameFromUrn("garbage"), "garbage");
        assert.strictEqual(nameFromUrn("urn:pulumi:dev::p::t"), "urn:pulumi:dev::p::t");
    });
});
