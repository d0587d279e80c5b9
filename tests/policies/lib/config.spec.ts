import * as assert from "assert";
import * as fc from "fast-check";
import {
    PolicyConfigReader,
    artifactTrusted,
    configViolationMessage,
    layerTrusted,
    parseArtifactPattern,
    parseCscArn,
    parseLayerPattern,
    readSignedArtifacts,
    safeConfig,
} from "../../../policies/lib/config";

describe("policies/lib/config", () => {
    it("reads valid values and reports every deviation with the property and the fix", () => {
        const r = new PolicyConfigReader({ list: ["a", "", 3, "b"], one: "ALLOW", n: "12", typo: 1, enforcementLevel: "mandatory" }, ["list", "one", "n"]);
        assert.deepStrictEqual(r.strings("list", [], s => (s === "b" ? { problem: "is b" } : s), "Fix it."), ["a"]);
        assert.strictEqual(r.oneOf("one", ["deny", "allow"] as const, "deny", "deny"), "deny");
        assert.strictEqual(r.integer("n", 1, 135, 135, 1), 1);
        assert.deepStrictEqual(r.issues, [
            { property: "typo", problem: "is not a property of this policy", fix: "Remove it, or use one of: list, one, n." },
            { property: "list", problem: `has the entry the string "", not a non-empty string`, fix: "Fix it." },
            { property: "list", problem: "has the entry 3, not a non-empty string", fix: "Fix it." },
            { property: "list", problem: `entry "b" is b`, fix: "Fix it." },
            { property: "one", problem: `is the string "ALLOW"`, fix: `Set it to one of "deny", "allow" (exact spelling).` },
            { property: "n", problem: `is the string "12"`, fix: "Set it to an integer from 1 to 135 (a number, not a string)." },
        ]);
    });

    it("absent properties take their defaults; a non-object config and non-list lists are reported", () => {
        const ok = new PolicyConfigReader(undefined, ["n"]);
        assert.strictEqual(ok.integer("n", 1, 135, 135, 1), 135);
        assert.deepStrictEqual(ok.strings("l", ["d"], s => s, "f"), ["d"]);
        assert.deepStrictEqual(ok.issues, []);
        const bad = new PolicyConfigReader("x", []);
        assert.deepStrictEqual(bad.issues, [{ property: "(the policy's config)", problem: "is not an object", fix: "Give the policy an object of properties." }]);
        const none = new PolicyConfigReader({ extra: 1 }, []);
        assert.deepStrictEqual(none.issues[0].fix, "Remove it: this policy has no properties besides enforcementLevel.");
        const list = new PolicyConfigReader({ l: "x" }, ["l"]);
        assert.deepStrictEqual(list.strings("l", ["d"], s => s, "f"), []);
        assert.strictEqual(list.issues[0].problem, `is the string "x", not a list of strings`);
        for (const [v, text] of [[Number.NaN, "NaN"], [1e9, "1000000000"], [0, "0"], [1.5, "1.5"], [null, "null"], [[1], "a list"], [{}, "an object"], [true, "true"]] as const) {
            const r = new PolicyConfigReader({ n: v }, ["n"]);
            assert.strictEqual(r.integer("n", 1, 135, 135, 1), 1, String(v));
            assert.strictEqual(r.issues[0].problem, `is ${text}`);
        }
        assert.strictEqual(new PolicyConfigReader({ n: "x".repeat(100) }, ["n"]).oneOf("n", ["a"], "a", "a"), "a");
        assert.strictEqual(safeConfig(() => { throw new Error("x"); }), undefined);
        assert.strictEqual(safeConfig(undefined), undefined);
    });

    it("formats the violation for the policy, the property and the fix", () => {
        assert.strictEqual(configViolationMessage("p", { property: "x", problem: "is 3", fix: "Use 4." }),
            `Invalid configuration of policy "p": x is 3. Use 4. Until the configuration is fixed, "p" applies its most restrictive setting for x.`);
    });

    it("code signing config ARNs are exact ARNs", () => {
        assert.strictEqual(parseCscArn("arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0"), "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0123456789abcdef0");
        for (const bad of ["arn:aws:lambda:us-east-1:111122223333:code-signing-config:*", "csc-1", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"]) {
            assert.ok(typeof parseCscArn(bad) === "object", bad);
        }
    });

    it("layer trust patterns need a literal account; the value's account field must equal it", () => {
        const ok = parseLayerPattern("arn:aws:lambda:*:464622532012:layer:Datadog-*");
        assert.deepStrictEqual(ok, { pattern: "arn:aws:lambda:*:464622532012:layer:Datadog-*", account: "464622532012" });
        for (const bad of ["*", "**", "arn:aws:lambda:*", "arn:aws:lambda:*:*:layer:x", "arn:aws:lambda:us-east-1:4646*:layer:x", "arn:aws:s3:::b"]) {
            const r = parseLayerPattern(bad);
            assert.ok("problem" in r, bad);
        }
        assert.match((parseLayerPattern("arn:aws:lambda:*:*:layer:x") as { problem: string }).problem, /no literal 12-digit account ID, so it would trust layers published by any account/);
        const trust = [ok as { pattern: string; account: string }];
        assert.ok(layerTrusted(trust, "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:60"));
        assert.ok(!layerTrusted(trust, "arn:aws:lambda:eu-west-1:111111111111:layer:Datadog-Extension:60"));
        assert.ok(!layerTrusted(trust, "arn:aws:lambda:a:b:464622532012:layer:Datadog-x"), "the region * must not swallow the account field");
        assert.ok(!layerTrusted([], "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:60"));
    });

    it("signed artifact locations name one bucket literally", () => {
        const ok = parseArtifactPattern("s3://signed-artifacts/releases/*.zip");
        assert.deepStrictEqual(ok, { pattern: "s3://signed-artifacts/releases/*.zip", bucket: "signed-artifacts", keyGlob: "releases/*.zip" });
        for (const bad of ["signed-artifacts/x", "s3://*/x", "s3://signed-*/x", "s3://bucket", "s3://Bad_Bucket/x", "s3://b/"]) {
            assert.ok("problem" in parseArtifactPattern(bad), bad);
        }
        const trust = [ok as { pattern: string; bucket: string; keyGlob: string }];
        assert.ok(artifactTrusted(trust, "signed-artifacts", "releases/app-1.zip"));
        assert.ok(!artifactTrusted(trust, "signed-artifacts-2", "releases/app-1.zip"));
        assert.ok(!artifactTrusted(trust, "signed-artifacts", "other/app-1.zip"));
    });

    it("a null config is no config: every property takes its default and nothing is reported", () => {
        const r = new PolicyConfigReader(null, ["n", "l", "o"]);
        assert.strictEqual(r.integer("n", 1, 135, 135, 1), 135);
        assert.deepStrictEqual(r.strings("l", ["d"], s => s, "f"), ["d"]);
        assert.strictEqual(r.oneOf("o", ["deny", "allow"] as const, "deny", "deny"), "deny");
        assert.deepStrictEqual(r.issues, []);
    });

    it("only the config's own, defined properties are read: an undefined or inherited value leaves the default", () => {
        const r = new PolicyConfigReader({ n: undefined, l: undefined }, ["n", "l", "toString", "m"]);
        assert.strictEqual(r.integer("n", 1, 135, 135, 1), 135);
        assert.deepStrictEqual(r.strings("l", ["d"], s => s, "f"), ["d"]);
        assert.deepStrictEqual(r.strings("toString", ["d"], s => s, "f"), ["d"], "Object.prototype.toString is not a configured value");
        const inherited = new PolicyConfigReader(Object.create({ m: 0 }) as object, ["m"]);
        assert.strictEqual(inherited.integer("m", 1, 135, 135, 1), 135);
        assert.deepStrictEqual([...r.issues, ...inherited.issues], []);
    });

    it("integers at both ends of the range are accepted; one beyond either end gets the strictest setting", () => {
        for (const [v, expected] of [[1, 1], [135, 135], [0, 7], [136, 7]] as const) {
            const r = new PolicyConfigReader({ n: v }, ["n"]);
            assert.strictEqual(r.integer("n", 1, 135, 135, 7), expected, String(v));
            assert.deepStrictEqual(r.issues, v === expected ? [] : [
                { property: "n", problem: `is ${v}`, fix: "Set it to an integer from 1 to 135 (a number, not a string)." },
            ]);
        }
    });

    it("a number outside the schema is described as JavaScript prints it (NaN, Infinity, -0 as 0, exponents)", () => {
        fc.assert(fc.property(fc.double(), v => {
            fc.pre(!(Number.isInteger(v) && v >= 1 && v <= 135));
            const r = new PolicyConfigReader({ n: v }, ["n"]);
            assert.strictEqual(r.integer("n", 1, 135, 135, 1), 1);
            assert.deepStrictEqual(r.issues.map(i => i.problem), [`is ${String(v)}`]);
        }));
        for (const [v, text] of [[Number.POSITIVE_INFINITY, "Infinity"], [-0, "0"], [1e21, "1e+21"], [-1.5, "-1.5"]] as const) {
            const r = new PolicyConfigReader({ n: v }, ["n"]);
            r.integer("n", 1, 135, 135, 1);
            assert.deepStrictEqual(r.issues.map(i => i.problem), [`is ${text}`]);
        }
    });

    it("a string value is quoted in full up to 80 characters and cut to its first 80 with an ellipsis beyond", () => {
        const problemFor = (v: string) => {
            const r = new PolicyConfigReader({ o: v }, ["o"]);
            assert.strictEqual(r.oneOf("o", ["deny"] as const, "deny", "deny"), "deny");
            return r.issues[0].problem;
        };
        const eighty = "abcdefghij".repeat(8);
        assert.strictEqual(problemFor(eighty), `is the string "${eighty}"`);
        assert.strictEqual(problemFor(`${eighty}X`), `is the string "${eighty}…"`);
        assert.strictEqual(problemFor(`${eighty}${"Y".repeat(40)}`), `is the string "${eighty}…"`);
    });

    it("a parser's result is kept unless it is a problem (an object with a string problem), whatever else it is", () => {
        const results = new Map<string, unknown>([["null", null], ["undefined", undefined], ["zero", 0], ["number-problem", { problem: 3 }], ["bad", { problem: "is bad" }]]);
        const r = new PolicyConfigReader({ l: [...results.keys()] }, ["l"]);
        assert.deepStrictEqual(r.strings("l", [], s => results.get(s), "Fix it."), [null, undefined, 0, { problem: 3 }]);
        assert.deepStrictEqual(r.issues, [{ property: "l", problem: `entry "bad" is bad`, fix: "Fix it." }]);
    });

    it("a layer pattern's account field must be exactly 12 digits: no wildcard or extra character on either side", () => {
        const problem = { problem: "has no literal 12-digit account ID, so it would trust layers published by any account" };
        for (const account of ["1464622532012", "4646225320121", "*464622532012", "464622532012*", "46462253201", ""]) {
            assert.deepStrictEqual(parseLayerPattern(`arn:aws:lambda:*:${account}:layer:Datadog-*`), problem, account);
        }
    });

    it("a signed artifact location is the whole entry: text before s3:// or after a line break is rejected", () => {
        const reader = new PolicyConfigReader({ trustedSignedArtifacts: [
            "s3://signed-artifacts/releases/*.zip",
            "xs3://signed-artifacts/releases/*.zip",
            "s3://signed-artifacts/releases/*.zip\n",
            "s3://signed-artifacts/releases/*.zip\nmore",
            "signed-artifacts/releases/*.zip",
        ] }, ["trustedSignedArtifacts"]);
        assert.deepStrictEqual(readSignedArtifacts(reader), [
            { pattern: "s3://signed-artifacts/releases/*.zip", bucket: "signed-artifacts", keyGlob: "releases/*.zip" },
        ]);
        const fix = `List entries like "s3://my-signed-artifacts/releases/*.zip" (a literal bucket name, a key pattern).`;
        assert.deepStrictEqual(reader.issues, [
            { property: "trustedSignedArtifacts", problem: `entry "xs3://signed-artifacts/releases/*.zip" is not s3://<bucket>/<key pattern>`, fix },
            { property: "trustedSignedArtifacts", problem: `entry "s3://signed-artifacts/releases/*.zip\\n" is not s3://<bucket>/<key pattern>`, fix },
            { property: "trustedSignedArtifacts", problem: `entry "s3://signed-artifacts/releases/*.zip\\nmore" is not s3://<bucket>/<key pattern>`, fix },
            { property: "trustedSignedArtifacts", problem: `entry "signed-artifacts/releases/*.zip" is not s3://<bucket>/<key pattern>`, fix },
        ]);
    });
});
