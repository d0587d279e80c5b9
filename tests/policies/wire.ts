/**
 * Raw analyzer protocol access for the wire-level specs: any request the engine (or a fuzzer) can send, to the
 * compiled pack started like the CLI starts it (engine/analyzer), with a deadline per request.
 */
import * as assert from "assert";
import type { PolicyPackSession } from "../../engine/analyzer";
import { TestResource, stackRequest as helperStackRequest } from "./helpers";

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

export { resourceRequest } from "./helpers";

/** AnalyzeStack request of exactly these resources. */
export function stackRequest(resources: TestResource[]): any {
    return helperStackRequest(resources, false);
}

/** A Configure request; `null` properties leave the PolicyConfig's properties unset (the server refuses that). */
export function configureRequest(entries: Record<string, { level: number; properties: Record<string, unknown> | null }>): any {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, e] of Object.entries(entries)) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(e.level);
        if (e.properties !== null) {
            pc.setProperties(structproto.Struct.fromJavaScript(e.properties));
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
