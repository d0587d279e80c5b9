/**
 * policies/index.ts in process: the pack it constructs and the memoising deserializer it installs for the pack runtime.
 * A stand-in PolicyPack records the construction instead of starting the analyzer's gRPC server; the pack's modules
 * and @pulumi/policy/deserialize are loaded fresh (once a pack turned the memo on, it stays on in that process).
 * The compiled pack itself is started out of process by packaging.spec.ts and the engine specs.
 */
import * as assert from "assert";
import { Deserialize, withFreshPack } from "./freshPack";
import { UNKNOWN, secret } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

interface Constructed { name: string; args: { description?: string; enforcementLevel?: string; policies: Array<{ name: string }> } }

/** Loads policies/index.ts fresh with a recording PolicyPack and a stand-in deserialize module. */
function loadPack(): { constructed: Constructed[]; deserialize: Deserialize; policyNames: string[] } {
    const policyModule = require("@pulumi/policy/policy") as { PolicyPack: unknown };
    const realPolicyPack = policyModule.PolicyPack;
    const constructed: Constructed[] = [];
    try {
        policyModule.PolicyPack = class {
            constructor(name: string, args: Constructed["args"]) {
                constructed.push({ name, args });
            }
        };
        return withFreshPack(sdk => {
            require("../../policies/index");
            const library = require("../../policies/library") as typeof import("../../policies/library");
            const policyNames = library.lambdaCodeSigningPolicies({}, { singlePass: false }).map(p => p.name);
            return { constructed, deserialize: sdk.deserializeProperties, policyNames };
        });
    } finally {
        policyModule.PolicyPack = realPolicyPack;
    }
}

describe("policies/index (the pack's entry point)", () => {
    it("constructs one mandatory PolicyPack named lambda-code-signing with every policy of the factory", () => {
        const { constructed, policyNames } = loadPack();
        assert.strictEqual(constructed.length, 1);
        const [{ name, args }] = constructed;
        assert.strictEqual(name, "lambda-code-signing");
        assert.strictEqual(args.description, "Every AWS Lambda function runs only code signed by AWS Signer, behind a code signing config that enforces.");
        assert.strictEqual(args.enforcementLevel, "mandatory");
        assert.deepStrictEqual(args.policies.map(p => p.name), policyNames);
        assert.ok(policyNames.length >= 8, policyNames.join(", "));
    });

    it("installs the deserializer with the memo: the server's repeated reads of one request share one object", () => {
        const { deserialize } = loadPack();
        assert.strictEqual(deserialize.__lambdaCodeSigningDeserializer, true);
        const struct = structproto.Struct.fromJavaScript({ a: secret("x"), b: [1, UNKNOWN] });
        const first = deserialize(struct, false);
        assert.deepStrictEqual(first, { a: "x", b: [1, UNKNOWN] });
        assert.strictEqual(deserialize(struct, false), first);
        assert.notStrictEqual(deserialize(struct, true), first, "Remediate (proxySecrets) always gets a fresh object");
    });
});
