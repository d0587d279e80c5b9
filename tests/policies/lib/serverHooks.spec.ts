import * as assert from "assert";
import { ServerHooks, standInGrpc, withStandIns } from "./serverStandIns";

const ANALYZER = { AnalyzerService: { service: "pulumirpc.Analyzer" } };

/** A fresh copy of the module: no listeners registered, nothing installed. */
const freshHooks = (): ServerHooks => withStandIns({}, fresh => fresh.serverHooks);

type Answer = [unknown, unknown];

/** Calls the guarded handler and records every answer it gives, synchronously. */
function call(guarded: ReturnType<ServerHooks["guardHandler"]>, request: unknown = {}): { answers: Answer[]; returned: unknown } {
    const answers: Answer[] = [];
    const returned = guarded({ request }, (err, resp) => answers.push([err, resp]));
    return { answers, returned };
}

/** The first answer of a handler whose failure arrives asynchronously. */
function firstAnswer(guarded: ReturnType<ServerHooks["guardHandler"]>): Promise<Answer> {
    return new Promise(resolve => guarded({ request: {} }, (err, resp) => resolve([err, resp])));
}

describe("policies/lib/serverHooks: guarded handlers", () => {
    it("pass the call, the server and a successful answer through, and return nothing", () => {
        const { guardHandler } = freshHooks();
        const server = {};
        const seen: unknown[] = [];
        const guarded = guardHandler("analyze", function (this: unknown, c, cb) {
            seen.push(this, c.request);
            cb(undefined, "response");
            return "ignored";
        });
        const answers: Answer[] = [];
        assert.strictEqual(guarded.call(server, { request: "req" }, (err, resp) => answers.push([err, resp])), undefined);
        assert.deepStrictEqual(answers, [[undefined, "response"]]);
        assert.strictEqual(seen[0], server);
        assert.strictEqual(seen[1], "req");
    });

    it("answer exactly once: later callbacks, throws and rejections are ignored", async () => {
        const { guardHandler } = freshHooks();
        let rejected = false;
        const settled = Promise.reject(new Error("third"));
        settled.catch(() => { rejected = true; });
        const { answers } = call(guardHandler("remediate", (_c, cb) => {
            cb(undefined, "first");
            cb(new Error("second"));
            return settled;
        }));
        await settled.catch(() => undefined);
        await Promise.resolve();
        assert.ok(rejected);
        assert.deepStrictEqual(answers, [[undefined, "first"]]);
        const thrown = call(guardHandler("analyze", (_c, cb) => {
            cb(undefined, "answered");
            throw new Error("after the answer");
        }));
        assert.deepStrictEqual(thrown.answers, [[undefined, "answered"]]);
    });

    it("answer a handler that rejects or throws without calling back with an error naming the RPC", async () => {
        const { guardHandler } = freshHooks();
        const [rejected] = await firstAnswer(guardHandler("remediate", async () => {
            throw new Error("Expected a remediation to have either properties or a diagnostic");
        }));
        assert.deepStrictEqual(rejected, new Error("lambda-code-signing policy pack: remediate failed: Expected a remediation to have either properties or a diagnostic"));
        const thrown = call(guardHandler("analyzeStack", () => {
            throw "boom";
        }));
        assert.deepStrictEqual(thrown.answers, [[new Error("lambda-code-signing policy pack: analyzeStack failed: boom"), undefined]]);
    });

    it("wait for a handler that returns nothing or a non-promise value and calls back later", () => {
        const { guardHandler } = freshHooks();
        for (const returned of [undefined, {}, { then: "not a function" }, 0]) {
            let later: ((err: unknown, resp?: unknown) => void) | undefined;
            const { answers } = call(guardHandler("analyze", (_c, cb) => {
                later = cb;
                return returned;
            }));
            assert.deepStrictEqual(answers, [], JSON.stringify(returned));
            later!(undefined, "later");
            assert.deepStrictEqual(answers, [[undefined, "later"]]);
        }
    });
});

describe("policies/lib/serverHooks: accepted Configure listeners", () => {
    it("hear every Configure the server accepts, once per listener however often registered, before the engine's answer", () => {
        const { guardHandler, onAcceptedConfigure } = freshHooks();
        let log: unknown[] = [];
        const first = (request: unknown) => log.push(["first", request]);
        onAcceptedConfigure(first);
        onAcceptedConfigure(first);
        onAcceptedConfigure(() => {
            throw new Error("a listener's failure");
        });
        onAcceptedConfigure(request => log.push(["second", request]));
        const accept = guardHandler("configure", (_c, cb) => cb(undefined, "ok"));
        accept({ request: "config-1" }, (err, resp) => log.push(["answer", err, resp]));
        assert.deepStrictEqual(log, [["first", "config-1"], ["second", "config-1"], ["answer", undefined, "ok"]]);

        log = [];
        accept(undefined as unknown as { request?: unknown }, (err, resp) => log.push(["answer", err, resp]));
        assert.deepStrictEqual(log, [["first", undefined], ["second", undefined], ["answer", undefined, "ok"]]);
    });

    it("never hear a refused or failed Configure, nor any other RPC", async () => {
        const { guardHandler, onAcceptedConfigure } = freshHooks();
        const heard: unknown[] = [];
        onAcceptedConfigure(request => heard.push(request));
        const refusal = new Error("refused");
        assert.deepStrictEqual(call(guardHandler("configure", (_c, cb) => cb(refusal)), "refused").answers, [[refusal, undefined]]);
        assert.deepStrictEqual(call(guardHandler("configure", () => {
            throw new Error("bad");
        }), "thrown").answers, [[new Error("lambda-code-signing policy pack: configure failed: bad"), undefined]]);
        await firstAnswer(guardHandler("configure", () => Promise.reject(new Error("rejected"))));
        assert.deepStrictEqual(call(guardHandler("analyzeStack", (_c, cb) => cb(undefined, "ok")), "stack").answers, [[undefined, "ok"]]);
        assert.deepStrictEqual(heard, []);
    });
});

describe("policies/lib/serverHooks: installing into @pulumi/policy's grpc-js", () => {
    it("wraps each handler of the Analyzer service only; other services, non-function entries and odd implementations pass unchanged", () => {
        const stand = standInGrpc();
        const Server = stand.grpc.Server;
        withStandIns({ grpc: stand.grpc, analyzerGrpc: ANALYZER }, ({ serverHooks }) => assert.strictEqual(serverHooks.installServerHooks(), true));
        assert.notStrictEqual(Server.prototype.addService, stand.addService);

        const server = new Server();
        const implementation = {
            analyze: () => {
                throw new Error("broken");
            },
            version: "1.0.0",
        };
        assert.strictEqual(server.addService(ANALYZER.AnalyzerService, implementation), "added");
        const [analyzer] = stand.added;
        assert.strictEqual(analyzer.server, server);
        assert.strictEqual(analyzer.service, ANALYZER.AnalyzerService);
        assert.deepStrictEqual(Object.keys(analyzer.impl), ["analyze", "version"]);
        assert.strictEqual(analyzer.impl.version, "1.0.0");
        assert.deepStrictEqual(call(analyzer.impl.analyze).answers, [[new Error("lambda-code-signing policy pack: analyze failed: broken"), undefined]]);

        const other = { service: "grpc.health.v1.Health" };
        for (const [service, impl] of [[other, implementation], [ANALYZER.AnalyzerService, null], [ANALYZER.AnalyzerService, "text"]] as const) {
            stand.added.length = 0;
            assert.strictEqual(server.addService(service, impl), "added");
            assert.deepStrictEqual(stand.added, [{ server, service, impl }]);
            assert.strictEqual(stand.added[0].impl, impl);
        }
    });

    it("installs once per module: a second call answers true and keeps the first wrapper", () => {
        const stand = standInGrpc();
        const Server = stand.grpc.Server;
        withStandIns({ grpc: stand.grpc, analyzerGrpc: ANALYZER }, ({ serverHooks }) => {
            assert.strictEqual(serverHooks.installServerHooks(), true);
            const wrapper = Server.prototype.addService;
            assert.strictEqual(serverHooks.installServerHooks(), true);
            assert.strictEqual(Server.prototype.addService, wrapper);
        });
        new Server().addService(ANALYZER.AnalyzerService, { analyze: () => Promise.reject(new Error("once")) });
        const analyze = stand.added[0].impl.analyze;
        return firstAnswer(analyze).then(([err]) => assert.deepStrictEqual(err, new Error("lambda-code-signing policy pack: analyze failed: once")));
    });

    it("answers false and patches nothing without a Server.addService, an AnalyzerService, or a loadable grpc-js", () => {
        const install = (standIns: Parameters<typeof withStandIns>[0]) => withStandIns(standIns, ({ serverHooks }) => serverHooks.installServerHooks());
        class Bare {}
        assert.strictEqual(install({ grpc: { Server: Bare }, analyzerGrpc: ANALYZER }), false);
        assert.deepStrictEqual(Object.getOwnPropertyNames(Bare.prototype), ["constructor"]);
        assert.strictEqual(install({ grpc: {}, analyzerGrpc: ANALYZER }), false);

        const stand = standInGrpc();
        assert.strictEqual(install({ grpc: stand.grpc, analyzerGrpc: {} }), false);
        assert.strictEqual(install({ grpc: stand.grpc }), false);
        assert.strictEqual(install({ analyzerGrpc: ANALYZER }), false);
        assert.strictEqual(stand.grpc.Server.prototype.addService, stand.addService);
    });
});
