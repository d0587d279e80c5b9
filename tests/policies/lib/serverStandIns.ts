import Module = require("module");

export type ServerHooks = typeof import("../../../policies/lib/serverHooks");
export type StackCoordinator = typeof import("../../../policies/lib/stackCoordinator");

/** Where the stand-in @pulumi/policy lives: the pack's hooks resolve grpc-js and the analyzer service from here. */
export const POLICY_DIR = "/stand-in/node_modules/@pulumi/policy";

/** Stand-ins for the modules the server hooks load from @pulumi/policy's directory; a missing one can't be found. */
export interface StandIns {
    grpc?: object;
    analyzerGrpc?: object;
    protoutil?: object;
    /** The stand-in @pulumi/policy's version module. */
    version?: object;
    /**
     * Where "@pulumi/policy/server" resolves, given the resolution's `paths` option (undefined: not found). Defaults
     * to the stand-in's server.js from everywhere.
     */
    serverFrom?: (paths: string[] | undefined) => string | undefined;
}

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;

const SOURCES = ["../../../policies/lib/serverHooks", "../../../policies/lib/stackCoordinator"].map(p => require.resolve(p));

/** A grpc-js stand-in whose Server.addService records each call and answers "added". */
export function standInGrpc(): { grpc: { Server: new () => { addService(service: unknown, impl: unknown): unknown } }; added: Array<{ server: unknown; service: unknown; impl: any }>; addService: unknown } {
    const added: Array<{ server: unknown; service: unknown; impl: any }> = [];
    class Server {
        addService(service: unknown, impl: unknown): unknown {
            added.push({ server: this, service, impl });
            return "added";
        }
    }
    return { grpc: { Server }, added, addService: Server.prototype.addService };
}

/**
 * Runs `body` with fresh copies of policies/lib/serverHooks and policies/lib/stackCoordinator (their own install
 * state and listeners) while @pulumi/policy/server resolves into POLICY_DIR, whose grpc-js, analyzer_grpc_pb and
 * protoutil are the given stand-ins. Resolving grpc-js or the analyzer service from anywhere else fails, so the
 * process's real grpc-js is never touched. The module cache and resolver are restored afterwards.
 */
export function withStandIns<T>(standIns: StandIns, body: (fresh: { serverHooks: ServerHooks; stackCoordinator: StackCoordinator }) => T): T {
    const files: Record<string, object | undefined> = {
        [`${POLICY_DIR}/node_modules/@grpc/grpc-js/index.js`]: standIns.grpc,
        [`${POLICY_DIR}/node_modules/@pulumi/pulumi/proto/analyzer_grpc_pb.js`]: standIns.analyzerGrpc,
        [`${POLICY_DIR}/protoutil`]: standIns.protoutil,
        [`${POLICY_DIR}/version`]: standIns.version,
    };
    const serverFrom = standIns.serverFrom ?? (() => `${POLICY_DIR}/server.js`);
    const fromPolicy: Record<string, string> = {
        "@grpc/grpc-js": `${POLICY_DIR}/node_modules/@grpc/grpc-js/index.js`,
        "@pulumi/pulumi/proto/analyzer_grpc_pb": `${POLICY_DIR}/node_modules/@pulumi/pulumi/proto/analyzer_grpc_pb.js`,
    };
    const notFound = (request: string) => Object.assign(new Error(`Cannot find module '${request}'`), { code: "MODULE_NOT_FOUND" });
    const resolver = Module as unknown as { _resolveFilename: Resolve };
    const resolve = resolver._resolveFilename;
    const saved = SOURCES.map(p => require.cache[p]);
    try {
        resolver._resolveFilename = function (request, parent, isMain, options) {
            if (request === "@pulumi/policy/server") {
                const server = serverFrom(options?.paths);
                if (server === undefined) {
                    throw notFound(request);
                }
                return server;
            }
            if (request in fromPolicy) {
                const paths = options?.paths ?? [];
                if (paths.length !== 1 || paths[0] !== POLICY_DIR || !files[fromPolicy[request]]) {
                    throw notFound(request);
                }
                return fromPolicy[request];
            }
            if (request.startsWith(POLICY_DIR)) {
                if (!files[request]) {
                    throw notFound(request);
                }
                return request;
            }
            return resolve.call(this, request, parent, isMain, options);
        };
        for (const [file, exports] of Object.entries(files)) {
            if (exports) {
                const m = new Module(file, module);
                m.filename = file;
                m.loaded = true;
                m.exports = exports;
                require.cache[file] = m;
            }
        }
        SOURCES.forEach(p => delete require.cache[p]);
        return body({ stackCoordinator: require(SOURCES[1]), serverHooks: require(SOURCES[0]) });
    } finally {
        resolver._resolveFilename = resolve;
        Object.keys(files).forEach(file => delete require.cache[file]);
        SOURCES.forEach((p, i) => {
            if (saved[i] === undefined) {
                delete require.cache[p];
            } else {
                require.cache[p] = saved[i];
            }
        });
    }
}
