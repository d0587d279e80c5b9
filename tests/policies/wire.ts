/**
 * Raw analyzer protocol access for the wire-level specs: any request the engine (or a fuzzer) can send, to the
 * compiled pack started like the CLI starts it (engine/analyzer), with a deadline per request.
 */
import * as assert from "assert";
import type { PolicyPackSession } from "../../engine/analyzer";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

export const LEVEL = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 } as const;
export type Level = keyof typeof LEVEL;
export const LEVEL_NAMES: Level[] = ["advisory", "mandatory", "disabled", "remediate"];

/** The session's gRPC client (engine/analyzer keeps it private at compile time only). */
export function analyzerClient(session: PolicyPackSession): any {
    const client = (session as unknown as { client?: unknown }).client;
    assert.ok(client, "engine/analyzer's PolicyPackSession no longer exposes its client");
    return client;
}

export interface RpcResult {
    error?: Error & { code?: number };
    response?: any;
    ms: number;
}

/** One unary call with a deadline; never rejects (the error, if any, is in the result). */
export function rpc(client: any, method: string, request: unknown, deadlineMs = 20000): Promise<RpcResult> {
    const start = Date.now();
    return new Promise(resolve => {
        client[method](request, { deadline: Date.now() + deadlineMs }, (error: any, response: any) =>
            resolve({ error: error ?? undefined, response, ms: Date.now() - start }));
    });
}

export interface WireResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: { type: string; name: string; urn: string; props: Record<string, unknown> };
}

function struct(value: Record<string, unknown>): any {
    return structproto.Struct.fromJavaScript(value);
}

function provider(p: NonNullable<WireResource["provider"]>): any {
    const m = new analyzerproto.AnalyzerProviderResource();
    m.setType(p.type);
    m.setName(p.name);
    m.setUrn(p.urn);
    m.setProperties(struct(p.props));
    return m;
}

function options(res: WireResource): any {
    const o = new analyzerproto.AnalyzerResourceOptions();
    if (res.parent) {
        o.setParent(res.parent);
    }
    return o;
}

/** Analyze / Remediate request (inputs), as the engine sends it (options always set). */
export function resourceRequest(res: WireResource, withOptions = true): any {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(res.type);
    req.setName(res.name);
    req.setUrn(res.urn);
    req.setProperties(struct(res.props));
    if (withOptions) {
        req.setOptions(options(res));
    }
    if (res.provider) {
        req.setProvider(provider(res.provider));
    }
    return req;
}

export function stackRequest(resources: WireResource[]): any {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(resources.map(res => {
        const m = new analyzerproto.AnalyzerResource();
        m.setType(res.type);
        m.setName(res.name);
        m.setUrn(res.urn);
        m.setProperties(struct(res.props));
        m.setOptions(options(res));
        if (res.parent) {
            m.setParent(res.parent);
        }
        m.setDependenciesList(res.dependencies ?? []);
        for (const [k, urns] of Object.entries(res.propertyDependencies ?? {})) {
            const pd = new analyzerproto.AnalyzerPropertyDependencies();
            pd.setUrnsList(urns);
            m.getPropertydependenciesMap().set(k, pd);
        }
        if (res.provider) {
            m.setProvider(provider(res.provider));
        }
        return m;
    }));
    return req;
}

/** A Configure request; `null` properties leave the PolicyConfig's properties unset (the server refuses that). */
export function configureRequest(entries: Record<string, { level: number; properties: Record<string, unknown> | null }>): any {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, e] of Object.entries(entries)) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(e.level);
        if (e.properties !== null) {
            pc.setProperties(struct(e.properties));
        }
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

export interface WireDiag {
    policy: string;
    level: Level;
    urn: string;
    message: string;
}

export function diagnostics(response: any): WireDiag[] {
    return (response?.getDiagnosticsList?.() ?? []).map((d: any) => ({
        policy: d.getPolicyname(),
        level: LEVEL_NAMES[d.getEnforcementlevel()],
        urn: d.getUrn(),
        message: d.getMessage(),
    }));
}
