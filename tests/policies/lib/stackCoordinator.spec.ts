import * as assert from "assert";
import type { StackValidationPolicy } from "@pulumi/policy";
import { guardHandler } from "../../../policies/lib/serverHooks";
import { coordinateStackPolicies, installConfigureCapture, parseConfigure, resetConfigureCapture } from "../../../policies/lib/stackCoordinator";
import { lambdaEnforceCodeSigning } from "../../../policies/rules/lambda-enforce-code-signing";
import { lambdaSignedCode } from "../../../policies/rules/lambda-signed-code";
import { lambdaSignedLayers } from "../../../policies/rules/lambda-signed-layers";
import { T, UNKNOWN, analyzeStack, r, stringArchive } from "../helpers";
import { StandIns, standInGrpc, withStandIns } from "./serverStandIns";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const protoutil = require("@pulumi/policy/protoutil");

const LEVEL = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 } as const;

/** What @pulumi/policy 1.21.0's `configure` handler does with a request (server.js): it refuses it on any throw. */
function serverConfigure(call: { request?: any }, callback: (err: unknown, resp?: unknown) => void): void {
    try {
        for (const [, v] of call.request.getPolicyconfigMap().entries()) {
            v.getProperties().toJavaScript();
            protoutil.convertEnforcementLevel(v.getEnforcementlevel());
        }
        callback(undefined, {});
    } catch (e) {
        callback(e);
    }
}
const guardedConfigure = guardHandler("configure", serverConfigure);

function request(entries: Record<string, { level: number; props?: object | null }>): any {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, e] of Object.entries(entries)) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(e.level);
        if (e.props !== null) {
            pc.setProperties(structproto.Struct.fromJavaScript(e.props ?? {}));
        }
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

/** Sends a Configure through the guarded handler, as the engine's request reaches the pack; resolves to the error. */
function configure(entries: Record<string, { level: keyof typeof LEVEL | number; props?: object | null }>): Promise<unknown> {
    const req = request(Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, { level: typeof e.level === "number" ? e.level : LEVEL[e.level], props: e.props }])));
    return new Promise(resolve => guardedConfigure({ request: req }, err => resolve(err)));
}

function counting(p: StackValidationPolicy, counter: { n: number }): StackValidationPolicy {
    return { ...p, validateStack: (args, report) => { counter.n++; return p.validateStack(args, report); } };
}

describe("policies/lib/stackCoordinator", () => {
    const csc = r(T.csc, "csc", { policies: { untrustedArtifactOnDeployment: "Warn" }, allowedPublishers: { signingProfileVersionArns: ["a"] }, arn: UNKNOWN });
    const layer = r(T.layer, "layer", { code: stringArchive({ "a.js": "1" }), arn: UNKNOWN });
    const fn = r(T.fn, "fn", { code: stringArchive({ "i.js": "1" }), codeSigningConfigArn: UNKNOWN, layers: [UNKNOWN, "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-x:1"] }, { codeSigningConfigArn: [csc], layers: [layer] });
    const resources = [csc, layer, fn];
    const sort = (d: Array<{ policy: string; message: string }>) => [...d].sort((a, b) => (a.policy + a.message).localeCompare(b.policy + b.message));

    before(() => assert.ok(installConfigureCapture()));
    afterEach(() => resetConfigureCapture());

    it("without the capture every policy runs by itself; with it one pass runs them all, before and after Configure", async () => {
        const counter = { n: 0 };
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode].map(p => counting(p, counter)), "mandatory");
        const plain = await analyzeStack([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], resources);

        resetConfigureCapture("off");
        assert.ok(wrapped.every(p => typeof p.validateStack === "function"));
        assert.deepStrictEqual(await analyzeStack(wrapped, resources), plain);
        assert.strictEqual(counter.n, 3);

        resetConfigureCapture("defaults"); // installed, no Configure yet: the server's defaults
        assert.strictEqual(typeof wrapped[0].validateStack, "function");
        assert.strictEqual(wrapped[1].validateStack, undefined, "non-leaders are skipped by the server");
        assert.strictEqual(wrapped[2].validateStack, undefined);
        assert.deepStrictEqual(sort(await analyzeStack(wrapped, resources)), sort(plain));

        assert.strictEqual(await configure({
            "lambda-enforce-code-signing": { level: "mandatory" },
            "lambda-signed-layers": { level: "mandatory", props: { trustedLayerArns: [] } },
            "lambda-signed-code": { level: "mandatory" },
        }), undefined);
        assert.strictEqual(wrapped[1].validateStack, undefined);
        assert.deepStrictEqual(sort(await analyzeStack(wrapped, resources)), sort(plain));
    });

    it("applies each policy's captured level and config; a disabled leader hands over", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        await configure({
            "lambda-enforce-code-signing": { level: "disabled" },
            "lambda-signed-layers": { level: "advisory", props: { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] } },
            "lambda-signed-code": { level: "remediate" },
        });
        assert.strictEqual(typeof wrapped[1].validateStack, "function");
        assert.strictEqual(wrapped[2].validateStack, undefined);
        // In process the server's own config table is empty, so the leader's level comes from the policy (mandatory);
        // the pack's server would apply "advisory" from the same Configure.
        const d = await analyzeStack(wrapped, resources);
        assert.deepStrictEqual(d.map(x => `${x.policy}:${x.level}`).sort(), ["lambda-signed-code:mandatory", "lambda-signed-layers:mandatory"]);
        assert.ok(d.every(x => !/Datadog/.test(x.message)), "delegated config applied");
        const code = d.find(x => x.policy === "lambda-signed-code")!;
        assert.match(code.message, /^Every Zip-packaged Lambda function's code must come from an AWS Signer signing job/);
        assert.strictEqual(code.urn, fn.urn);
    });

    it("a policy that is not the leader runs with its own captured config", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        const layerMessages = async () => (await analyzeStack(wrapped, resources)).filter(x => x.policy === "lambda-signed-layers").map(x => x.message);
        await configure({ "lambda-enforce-code-signing": { level: "mandatory" }, "lambda-signed-layers": { level: "mandatory", props: {} } });
        assert.ok((await layerMessages()).some(m => /Datadog/.test(m)), "the vendor layer is reported without trustedLayerArns");
        await configure({
            "lambda-enforce-code-signing": { level: "mandatory" },
            "lambda-signed-layers": { level: "mandatory", props: { trustedLayerArns: ["arn:aws:lambda:*:464622532012:layer:Datadog-*"] } },
        });
        assert.strictEqual(typeof wrapped[0].validateStack, "function", "enforce-code-signing leads");
        const messages = await layerMessages();
        assert.ok(messages.length > 0 && messages.every(m => !/Datadog/.test(m)), messages.join("\n"));
    });

    it("keeps validateStack an enumerable, configurable property: a spread copy of a leader still validates", () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        for (const p of wrapped) {
            const d = Object.getOwnPropertyDescriptor(p, "validateStack")!;
            assert.deepStrictEqual([d.enumerable, d.configurable], [true, true], p.name);
        }
        assert.strictEqual(typeof { ...wrapped[0] }.validateStack, "function");
    });

    it("nothing runs when every coordinated policy is disabled", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        await configure({
            "lambda-enforce-code-signing": { level: "disabled" },
            "lambda-signed-layers": { level: "disabled" },
            "lambda-signed-code": { level: "disabled" },
        });
        assert.ok(wrapped.every(p => p.validateStack === undefined));
    });

    it("a Configure the server refuses is never remembered: the last accepted one stays in force", async () => {
        const wrapped = coordinateStackPolicies([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode], "mandatory");
        assert.strictEqual(await configure({ "lambda-enforce-code-signing": { level: "mandatory" }, "lambda-signed-code": { level: "mandatory" } }), undefined);
        const before = sort(await analyzeStack(wrapped, resources));
        for (const refused of [
            // A PolicyConfig without properties: the server's `v.getProperties().toJavaScript()` throws.
            { "lambda-enforce-code-signing": { level: "disabled" as const, props: null }, "lambda-signed-code": { level: "disabled" as const } },
            // An enforcement level outside the enum: `convertEnforcementLevel` throws.
            { "lambda-enforce-code-signing": { level: 7 }, "lambda-signed-code": { level: "disabled" as const } },
        ]) {
            const err = await configure(refused);
            assert.ok(err instanceof Error, "the server refused it");
            assert.strictEqual(typeof wrapped[0].validateStack, "function", "the leader is still enforce-code-signing");
            assert.deepStrictEqual(sort(await analyzeStack(wrapped, resources)), before);
        }
        assert.ok(before.some(d => d.policy === "lambda-signed-code"), "signed-code still runs: the refused 'disabled' never applied");
    });

    it("parses a Configure exactly as the server does, and returns undefined where the server would refuse", () => {
        const ok = parseConfigure(request({ a: { level: 3, props: { x: [1], enforcementLevel: "ignored" } } }))!;
        assert.deepStrictEqual([...ok.entries()], [["a", { level: "remediate", properties: { x: [1] } }]]);
        assert.strictEqual(parseConfigure(request({ a: { level: 1, props: null } })), undefined);
        assert.strictEqual(parseConfigure(request({ a: { level: 9 } })), undefined);
        assert.strictEqual(parseConfigure({}), undefined);
    });
});

describe("policies/lib/stackCoordinator: GetAnalyzerInfo", () => {
    before(() => assert.ok(installConfigureCapture()));
    after(() => resetConfigureCapture());

    it("still describes every coordinated policy as a stack policy", () => {
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

describe("policies/lib/stackCoordinator: installing the Configure capture (fresh module, stand-in server modules)", () => {
    const ANALYZER = { AnalyzerService: { service: "pulumirpc.Analyzer" } };
    const policy = (name: string): StackValidationPolicy => ({ name, description: name, enforcementLevel: "mandatory", validateStack: () => undefined });
    const policies = [policy("first"), policy("second")];

    function standIns(): { standIns: StandIns; grpc: ReturnType<typeof standInGrpc>; protoutil: { makeAnalyzerInfo: (...args: unknown[]) => unknown }; makeAnalyzerInfo: unknown } {
        const grpc = standInGrpc();
        const makeAnalyzerInfo = function (this: unknown, ...args: unknown[]) {
            return { self: this, args };
        };
        const protoutil = { makeAnalyzerInfo };
        return { standIns: { grpc: grpc.grpc, analyzerGrpc: ANALYZER, protoutil }, grpc, protoutil, makeAnalyzerInfo };
    }

    it("installs once: the Configure the hooked server accepts decides the leader, and a second install keeps it", () => {
        const s = standIns();
        withStandIns(s.standIns, ({ stackCoordinator: sc }) => {
            assert.strictEqual(sc.installConfigureCapture(), true);
            const describe = s.protoutil.makeAnalyzerInfo;
            assert.notStrictEqual(describe, s.makeAnalyzerInfo);
            const self = {};
            assert.deepStrictEqual(describe.call(self, "pack", "1.0.0"), { self, args: ["pack", "1.0.0"] });

            const server = new s.grpc.grpc.Server();
            server.addService(ANALYZER.AnalyzerService, { configure: serverConfigure });
            const wrapped = sc.coordinateStackPolicies(policies, "mandatory");
            assert.strictEqual(typeof wrapped[0].validateStack, "function", "server defaults until a Configure");
            assert.strictEqual(wrapped[1].validateStack, undefined);

            const answers: unknown[] = [];
            s.grpc.added[0].impl.configure({ request: request({ first: { level: LEVEL.disabled } }) }, (err: unknown) => answers.push(err));
            s.grpc.added[0].impl.configure({ request: request({ first: { level: LEVEL.mandatory, props: null } }) }, (err: unknown) => answers.push(err));
            assert.strictEqual(answers[0], undefined);
            assert.ok(answers[1] instanceof Error, "the second Configure is refused");
            assert.strictEqual(wrapped[0].validateStack, undefined, "first is disabled by the accepted Configure");
            assert.strictEqual(typeof wrapped[1].validateStack, "function");

            assert.strictEqual(sc.installConfigureCapture(), true);
            assert.strictEqual(s.protoutil.makeAnalyzerInfo, describe, "not wrapped twice");
            assert.strictEqual(wrapped[0].validateStack, undefined, "the captured Configure is kept");
        });
    });

    it("answers false and patches nothing without makeAnalyzerInfo, without the server hooks, or without protoutil", () => {
        const noDescribe = standIns();
        const empty = {};
        withStandIns({ ...noDescribe.standIns, protoutil: empty }, ({ stackCoordinator: sc }) => {
            assert.strictEqual(sc.installConfigureCapture(), false);
            assert.deepStrictEqual(empty, {});
            assert.strictEqual(noDescribe.grpc.grpc.Server.prototype.addService, noDescribe.grpc.addService, "the server hooks weren't installed");
        });

        const noHooks = standIns();
        withStandIns({ ...noHooks.standIns, analyzerGrpc: {} }, ({ stackCoordinator: sc }) => {
            assert.strictEqual(sc.installConfigureCapture(), false);
            assert.strictEqual(noHooks.protoutil.makeAnalyzerInfo, noHooks.makeAnalyzerInfo);
            const [wrapped] = sc.coordinateStackPolicies(policies, "mandatory");
            assert.strictEqual(wrapped.validateStack, policies[0].validateStack, "coordination stays off");
        });

        const noProtoutil = standIns();
        withStandIns({ ...noProtoutil.standIns, protoutil: undefined }, ({ stackCoordinator: sc }) => {
            assert.strictEqual(sc.installConfigureCapture(), false);
            assert.strictEqual(sc.coordinateStackPolicies(policies, "mandatory")[1].validateStack, policies[1].validateStack);
        });
    });
});
