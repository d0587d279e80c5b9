import * as assert from "assert";
import type { StackValidationPolicy } from "@pulumi/policy";
import { coordinateStackPolicies, installConfigureCapture, resetConfigureCapture } from "../../../policies/lib/stackCoordinator";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { lambdaSignedCode } from "../../../policies/rules/lambda-signed-code";
import { lambdaSignedLayers } from "../../../policies/rules/lambda-signed-layers";
import { T, UNKNOWN, analyzeStack, r, stringArchive } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

const LEVEL = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 } as const;

/** What the server's `configure` handler does with the engine's request: read its policy config map. */
function configure(entries: Record<string, { level: keyof typeof LEVEL; props?: object }>): void {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, e] of Object.entries(entries)) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(LEVEL[e.level]);
        pc.setProperties(structproto.Struct.fromJavaScript(e.props ?? {}));
        req.getPolicyconfigMap().set(name, pc);
    }
    req.getPolicyconfigMap();
}

function counting(p: StackValidationPolicy, counter: { n: number }): StackValidationPolicy {
    return { ...p, validateStack: (args, report) => { counter.n++; return p.validateStack(args, report); } };
}

describe("policies/lib/stackCoordinator", () => {
    const csc = r(T.csc, "csc", { policies: { untrustedArtifactOnDeployment: "Warn" }, allowedPublishers: { signingProfileVersionArns: ["a"] }, arn: UNKNOWN });
    const layer = r(T.layer, "layer", { code: stringArchive({ "a.js": "1" }), arn: UNKNOWN });
    const fn = r(T.fn, "fn", { code: stringArchive({ "i.js": "1" }), codeSigningConfigArn: UNKNOWN, layers: [UNKNOWN, "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-x:1"] }, { codeSigningConfigArn: [csc], layers: [layer] });
    const resources = [csc, layer, fn];

    before(() => assert.ok(installConfigureCapture()));
    afterEach(() => resetConfigureCapture());

    it("without the capture every policy runs by itself; with it one pass runs them all, before and after Configure", async () => {
        const counter = { n: 0 };
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode].map(p => counting(p, counter)), "mandatory");
        const plain = await analyzeStack([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], resources);
        const sort = (d: typeof plain) => [...d].sort((a, b) => (a.policy + a.message).localeCompare(b.policy + b.message));

        resetConfigureCapture("off");
        assert.ok(wrapped.every(p => typeof p.validateStack === "function"));
        assert.deepStrictEqual(await analyzeStack(wrapped, resources), plain);
        assert.strictEqual(counter.n, 3);

        resetConfigureCapture("defaults"); // installed, no Configure yet: the server's defaults
        assert.strictEqual(typeof wrapped[0].validateStack, "function");
        assert.strictEqual(wrapped[1].validateStack, undefined, "non-leaders are skipped by the server");
        assert.strictEqual(wrapped[2].validateStack, undefined);
        assert.deepStrictEqual(sort(await analyzeStack(wrapped, resources)), sort(plain));

        configure({
            "lambda-enforce-code-signing": { level: "mandatory" },
            "lambda-signed-layers": { level: "mandatory", props: { trustedLayerArns: [] } },
            "lambda-signed-code": { level: "mandatory" },
        });
        assert.strictEqual(wrapped[1].validateStack, undefined);
        assert.deepStrictEqual(sort(await analyzeStack(wrapped, resources)), sort(plain));
    });

    it("applies each policy's captured level and config; a disabled leader hands over", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        configure({
            "lambda-enforce-code-signing": { level: "disabled" },
            "lambda-signed-layers": { level: "advisory", props: { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] } },
            "lambda-signed-code": { level: "remediate" },
        });
        assert.strictEqual(typeof wrapped[1].validateStack, "function");
        assert.strictEqual(wrapped[2].validateStack, undefined);
        // In process the server's own config table is empty, so the leader's level comes from the policy (mandatory);
        // the pack's server would apply "advisory" from the same Configure.
        const d = await analyzeStack(wrapped, resources);
        const byPolicy = d.map(x => `${x.policy}:${x.level}`).sort();
        assert.deepStrictEqual(byPolicy, ["lambda-signed-code:mandatory", "lambda-signed-layers:mandatory"]);
        assert.ok(d.every(x => !/Datadog/.test(x.message)), "delegated config applied");
        const code = d.find(x => x.policy === "lambda-signed-code")!;
        assert.match(code.message, /^Every Zip-packaged Lambda function's code must come from an AWS Signer signing job/);
        assert.strictEqual(code.urn, fn.urn);
    });

    it("nothing runs when every coordinated policy is disabled", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        configure({
            "lambda-enforce-code-signing": { level: "disabled" },
            "lambda-signed-layers": { level: "disabled" },
            "lambda-signed-code": { level: "disabled" },
        });
        assert.ok(wrapped.every(p => p.validateStack === undefined));
    });
});

describe("policies/lib/stackCoordinator: GetAnalyzerInfo", () => {
    before(() => assert.ok(installConfigureCapture()));
    after(() => resetConfigureCapture());

    it("still describes every coordinated policy as a stack policy", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const protoutil = require("@pulumi/policy/protoutil");
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        assert.strictEqual(wrapped[1].validateStack, undefined);
        const info = protoutil.makeAnalyzerInfo("p", "1.0.0", "mandatory", { policies: wrapped }, undefined);
        assert.deepStrictEqual(info.getPoliciesList().map((p: any) => p.getPolicyType()), [
            analyzerproto.PolicyType.POLICY_TYPE_STACK,
            analyzerproto.PolicyType.POLICY_TYPE_STACK,
            analyzerproto.PolicyType.POLICY_TYPE_STACK,
        ]);
        assert.strictEqual(wrapped[1].validateStack, undefined);
    });
});
