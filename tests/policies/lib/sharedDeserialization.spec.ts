import * as assert from "assert";
import { installSharedDeserialization } from "../../../policies/lib/sharedDeserialization";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { lambdaSignedCode } from "../../../policies/rules/lambda-signed-code";
import { lambdaSignedLayers } from "../../../policies/rules/lambda-signed-layers";
import * as stackGraph from "../../../policies/lib/stackGraph";
import { T, UNKNOWN, analyzeStackRequest, r, secret, stackRequest } from "../helpers";

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
});
