/**
 * Shared test infrastructure for the policy pack.
 *
 * Two tiers:
 *  - in process: hand-built analyzer protobuf requests (real unknown sentinels, wire-format secrets) fed to
 *    `@pulumi/policy/server`'s `makeAnalyzeStackRpcFun` / `makeAnalyzeRpcFun` / `makeRemediateRpcFun` — exactly the
 *    server code the pack runs, without a process;
 *  - real protocol: Pulumi programs run under mocks (engine/capture) and analysed by the compiled pack started like
 *    the CLI starts it (engine/analyzer). One pack per spec file (`withPack()`).
 */
import * as assert from "assert";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyPackSession, startPolicyPack } from "../../engine/analyzer";
import { RunOptions, runProgram } from "../../engine/capture";
import { PolicyDiagnostic, PolicyPackConfigFile } from "../../engine/types";
import {
    ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SPECIAL_SIG_KEY,
    UNKNOWN, UNKNOWN_ARCHIVE, UNKNOWN_ARRAY, UNKNOWN_ASSET, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT,
} from "../../engine/wireValues";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

interface ServerModule {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policy[]): RpcFun;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policy[]): RpcFun;
    makeRemediateRpcFun(pack: string, version: string, level: string, policies: Policy[]): RpcFun;
}
type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp?: any) => void) => Promise<void>;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const server: ServerModule = require("@pulumi/policy/server");

// ------------------------------------------------------------------------------------------------------------------
// Wire values.

export { UNKNOWN, UNKNOWN_ARCHIVE, UNKNOWN_ARRAY, UNKNOWN_ASSET, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT } from "../../engine/wireValues";
export const SENTINELS = [UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_ASSET, UNKNOWN_ARCHIVE];

export function secret(value: unknown): Record<string, unknown> {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}
export function stringArchive(files: Record<string, string>): Record<string, unknown> {
    const assets: Record<string, unknown> = {};
    for (const [k, text] of Object.entries(files)) {
        assets[k] = { [SPECIAL_SIG_KEY]: ASSET_SIG, text };
    }
    return { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, assets };
}

// ------------------------------------------------------------------------------------------------------------------
// Type tokens and URNs.

export const T = {
    fn: "aws:lambda/function:Function",
    nativeFn: "aws-native:lambda:Function",
    csc: "aws:lambda/codeSigningConfig:CodeSigningConfig",
    nativeCsc: "aws-native:lambda:CodeSigningConfig",
    layer: "aws:lambda/layerVersion:LayerVersion",
    nativeLayer: "aws-native:lambda:LayerVersion",
    job: "aws:signer/signingJob:SigningJob",
    profile: "aws:signer/signingProfile:SigningProfile",
    nativeProfile: "aws-native:signer:SigningProfile",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    copy: "aws:s3/objectCopy:ObjectCopy",
    cfnStack: "aws:cloudformation/stack:Stack",
    bucket: "aws:s3/bucketV2:BucketV2",
    stack: "pulumi:pulumi:Stack",
};

export function urnOf(type: string, name: string, parentTypes: string[] = [T.stack]): string {
    const qualified = type === T.stack ? type : [...parentTypes, type].join("$");
    return `urn:pulumi:dev::proj::${qualified}::${name}`;
}

/** A resource for in-process AnalyzeStack requests. Property dependencies may name resources or URNs. */
export interface TestResource {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
    deps?: Record<string, Array<TestResource | string>>;
    parent?: TestResource | string;
    /** The resource's provider (sent like the engine sends it: type, URN, name and properties). */
    provider?: TestResource;
}

export function r(type: string, name: string, props: Record<string, unknown> = {}, deps?: TestResource["deps"], parent?: TestResource): TestResource {
    const res: TestResource = { type, name, props, deps, parent };
    res.urn = parent ? urnOf(type, name, [T.stack, parent.type]) : urnOf(type, name);
    return res;
}

export function urnFor(x: TestResource | string): string {
    return typeof x === "string" ? x : x.urn ?? urnOf(x.type, x.name);
}

/** Removes `undefined` (Struct.fromJavaScript throws on it). */
function clean(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(e => (e === undefined ? null : clean(e)));
    }
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
            if (x !== undefined) {
                out[k] = clean(x);
            }
        }
        return out;
    }
    return v;
}

function providerMessage(p: TestResource): any {
    const pr = new analyzerproto.AnalyzerProviderResource();
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setUrn(urnFor(p));
    pr.setProperties(structproto.Struct.fromJavaScript(clean(p.props)));
    return pr;
}

function optionsMessage(res: TestResource): any {
    const opts = new analyzerproto.AnalyzerResourceOptions();
    if (res.parent) {
        opts.setParent(urnFor(res.parent));
    }
    return opts;
}

/** An Analyze / Remediate request for a resource's inputs (options are always set by the engine). */
export function resourceRequest(res: TestResource, withOptions = true): any {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(res.type);
    req.setName(res.name);
    req.setUrn(urnFor(res));
    req.setProperties(structproto.Struct.fromJavaScript(clean(res.props)));
    if (withOptions) {
        req.setOptions(optionsMessage(res));
    }
    if (res.provider) {
        req.setProvider(providerMessage(res.provider));
    }
    return req;
}

export function stackResourceMessage(res: TestResource): any {
    const m = new analyzerproto.AnalyzerResource();
    m.setType(res.type);
    m.setName(res.name);
    m.setUrn(urnFor(res));
    m.setProperties(structproto.Struct.fromJavaScript(clean(res.props)));
    if (res.parent) {
        m.setParent(urnFor(res.parent));
    }
    m.setOptions(optionsMessage(res));
    const depsMap = m.getPropertydependenciesMap();
    const all = new Set<string>();
    for (const [k, list] of Object.entries(res.deps ?? {})) {
        const pd = new analyzerproto.AnalyzerPropertyDependencies();
        const urns = list.map(urnFor);
        urns.forEach(u => all.add(u));
        pd.setUrnsList(urns);
        depsMap.set(k, pd);
    }
    m.setDependenciesList([...all]);
    if (res.provider) {
        m.setProvider(providerMessage(res.provider));
    }
    return m;
}

/** An AnalyzeStack request; the engine's `pulumi:pulumi:Stack` resource comes first unless `withStack` is false. */
export function stackRequest(resources: TestResource[], withStack = true): any {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList([...(withStack ? [r(T.stack, "proj-dev")] : []), ...resources].map(stackResourceMessage));
    return req;
}

export interface Diag {
    policy: string;
    level: "advisory" | "mandatory" | "disabled" | "remediate";
    urn: string;
    message: string;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

function readDiags(resp: any): Diag[] {
    return resp.getDiagnosticsList().map((d: any) => ({
        policy: d.getPolicyname(),
        level: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn(),
        message: d.getMessage(),
    }));
}

function callRpc(fn: RpcFun, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
        fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp))).catch(reject);
    });
}

/** Gives a policy a fixed config (in process, `getConfig()` is `{}` because `configure` is module state). */
export function withConfig<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P, config: object | undefined): P {
    if (!config) {
        return policy;
    }
    const p: any = { ...policy };
    if ("validateStack" in policy && policy.validateStack) {
        const v = policy.validateStack;
        p.validateStack = (args: any, report: any) => v({ ...args, getConfig: () => config }, report);
    }
    if ("validateResource" in policy && policy.validateResource) {
        const v = policy.validateResource as any;
        p.validateResource = (args: any, report: any) => v({ ...args, getConfig: () => config }, report);
    }
    if ("remediateResource" in policy && policy.remediateResource) {
        const v = policy.remediateResource;
        p.remediateResource = (args: any) => v({ ...args, getConfig: () => config });
    }
    return p;
}

/** AnalyzeStack in process. */
export async function analyzeStack(policies: Policy[], resources: TestResource[]): Promise<Diag[]> {
    const fn = server.makeAnalyzeStackRpcFun("lambda-code-signing", "0.1.0", "mandatory", policies);
    return readDiags(await callRpc(fn, stackRequest(resources)));
}

/** AnalyzeStack in process with a prebuilt request (benchmarks, property tests). */
export async function analyzeStackRequest(policies: Policy[], request: unknown): Promise<Diag[]> {
    const fn = server.makeAnalyzeStackRpcFun("lambda-code-signing", "0.1.0", "mandatory", policies);
    return readDiags(await callRpc(fn, request));
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): any {
    return resourceRequest({ type, name, props });
}

/** Analyze (resource policies) in process. */
export async function analyzeResource(policies: Policy[], type: string, name: string, props: Record<string, unknown>): Promise<Diag[]> {
    const fn = server.makeAnalyzeRpcFun("lambda-code-signing", "0.1.0", "mandatory", policies);
    return readDiags(await callRpc(fn, analyzeRequest(type, name, props)));
}

export interface Remediation {
    policy: string;
    properties?: Record<string, unknown>;
    diagnostic: string;
}

/** Remediate in process (policies must be at level "remediate"). Properties come back in wire format. */
export async function remediateResource(policies: Policy[], type: string, name: string, props: Record<string, unknown>): Promise<Remediation[]> {
    const fn = server.makeRemediateRpcFun("lambda-code-signing", "0.1.0", "remediate", policies);
    const resp = await callRpc(fn, analyzeRequest(type, name, props));
    return resp.getRemediationsList().map((x: any) => ({
        policy: x.getPolicyname(),
        properties: x.hasProperties() ? x.getProperties().toJavaScript() : undefined,
        diagnostic: x.getDiagnostic(),
    }));
}

// ------------------------------------------------------------------------------------------------------------------
// Real protocol: programs under mocks + the compiled pack.

export function assertNoCantRun(diags: Array<{ message: string; level: string; policy: string }>): void {
    for (const d of diags) {
        assert.ok(!/can't run/.test(d.message), `"can't run" diagnostic from ${d.policy}: ${d.message}`);
        assert.notStrictEqual(d.level, "advisory", `unexpected advisory diagnostic from ${d.policy}: ${d.message}`);
    }
}

export function verdicts(diags: Array<{ policy: string; level: string; urn: string; message: string }>): string[] {
    return diags.map(d => `${d.policy} | ${d.level} | ${d.urn} | ${d.message}`).sort();
}

export interface BothModes {
    preview: PolicyDiagnostic[];
    update: PolicyDiagnostic[];
    /** URNs by resource name (update-mode capture; names are unique in the test programs). */
    urn: (name: string) => string;
}

export interface PackHarness {
    session(): PolicyPackSession;
    /** Runs the program in preview and update, analyses both, asserts identical verdicts and no "can't run". */
    both(program: () => unknown, config?: PolicyPackConfigFile, options?: Partial<RunOptions>): Promise<BothModes>;
    /**
     * Like `both`, but only the verdicts — (policy, resource, level) — must agree: where a value is known only in
     * update mode the messages may say more.
     */
    modes(program: () => unknown, config?: PolicyPackConfigFile, options?: Partial<RunOptions>): Promise<BothModes>;
}

/** The verdicts of a run: which policy fails which resource at which level, without the messages. */
export function verdictSet(diags: Array<{ policy: string; level: string; urn: string }>): string[] {
    return [...new Set(diags.map(d => `${d.policy} | ${d.level} | ${d.urn}`))].sort();
}

/** Starts ONE compiled pack for the enclosing describe block (before/after hooks). */
export function withPack(): PackHarness {
    let session: PolicyPackSession | undefined;
    before(async function () {
        this.timeout(60000);
        session = await startPolicyPack();
    });
    after(async () => {
        await session?.close();
    });
    const run = async (program: () => unknown, config: PolicyPackConfigFile | undefined, options: Partial<RunOptions> | undefined, exact: boolean) => {
        const previewStack = await runProgram(program, { ...options, preview: true });
        const preview = await session!.analyze(previewStack, config);
        const updateStack = await runProgram(program, { ...options, preview: false });
        const update = await session!.analyze(updateStack, config);
        assertNoCantRun(preview);
        assertNoCantRun(update);
        if (exact) {
            assert.deepStrictEqual(verdicts(preview), verdicts(update), "preview and update verdicts differ");
        } else {
            assert.deepStrictEqual(verdictSet(preview), verdictSet(update), "preview and update verdicts differ");
        }
        const byName = new Map<string, string>();
        for (const res of updateStack.resources) {
            byName.set(res.name, res.urn);
        }
        return {
            preview,
            update,
            urn: (name: string) => {
                const u = byName.get(name);
                assert.ok(u, `no resource named ${name}`);
                return u!;
            },
        };
    };
    return {
        session: () => session!,
        both: (program, config, options) => run(program, config, options, true),
        modes: (program, config, options) => run(program, config, options, false),
    };
}

/**
 * Asserts exactly the expected (policy, urn) violations, all mandatory, with messages matching the patterns. Several
 * expected entries for the same (policy, urn) are matched to distinct diagnostics.
 */
export function expectViolations(
    diags: Array<{ policy: string; level: string; urn: string; message: string }>,
    expected: Array<{ policy: string; urn: string; message?: RegExp | RegExp[] }>,
): void {
    const actual = diags.map(d => `${d.policy} @ ${d.urn}`).sort();
    const wanted = expected.map(e => `${e.policy} @ ${e.urn}`).sort();
    assert.deepStrictEqual(actual, wanted, `violations differ:\n${diags.map(d => `  ${d.policy}: ${d.message}`).join("\n")}`);
    const used = new Set<number>();
    for (const e of expected) {
        const patterns = Array.isArray(e.message) ? e.message : e.message ? [e.message] : [];
        const i = diags.findIndex((d, j) => !used.has(j) && d.policy === e.policy && d.urn === e.urn && patterns.every(re => re.test(d.message)));
        assert.ok(i >= 0, `no ${e.policy} violation on ${e.urn} matches ${patterns.join(" and ")}:\n${diags.filter(d => d.urn === e.urn).map(d => `  ${d.message}`).join("\n")}`);
        used.add(i);
        assert.strictEqual(diags[i].level, "mandatory", `${e.policy} is ${diags[i].level}`);
    }
}
