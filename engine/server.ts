import { OfflineEngine, SUPPORTED_FEATURES } from "./engine";
import { requireFromSdk } from "./sdkModules";

const grpc = requireFromSdk("@grpc/grpc-js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const resproto = require("@pulumi/pulumi/proto/resource_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const engrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const engproto = require("@pulumi/pulumi/proto/engine_pb");
const emptyproto = requireFromSdk("google-protobuf/google/protobuf/empty_pb");

const MAX_MESSAGE = 400 * 1024 * 1024;

/** Feature names older SDKs ask for one by one (`SupportsFeature`), mapped to the features we advertise. */
const LEGACY_FEATURES: Record<string, string> = {
    secrets: "RESOURCE_MONITOR_FEATURE_SECRETS",
    aliasSpecs: "RESOURCE_MONITOR_FEATURE_ALIAS_SPECS",
    deletedWith: "RESOURCE_MONITOR_FEATURE_DELETED_WITH",
    replaceWith: "RESOURCE_MONITOR_FEATURE_REPLACE_WITH",
    transforms: "RESOURCE_MONITOR_FEATURE_TRANSFORMS",
    invokeTransforms: "RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS",
    parameterization: "RESOURCE_MONITOR_FEATURE_PARAMETERIZATION",
    resourceHooks: "RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS",
    errorHooks: "RESOURCE_MONITOR_FEATURE_ERROR_HOOKS",
};

type Handler = (request: any) => any | Promise<any>;

/**
 * Serves an OfflineEngine as the resource monitor and engine a Pulumi program connects to (`--monitor`, `--engine`),
 * the way the CLI serves a language host's program. Tracks the requests in flight.
 */
export class EngineServer {
    private inFlight = 0;
    private idleWaiters: (() => void)[] = [];

    private constructor(private readonly server: any, readonly address: string) {}

    static async start(engine: OfflineEngine): Promise<EngineServer> {
        const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE, "grpc.max_send_message_length": MAX_MESSAGE });
        let self: EngineServer | undefined;
        const wrap = (handler: Handler) => (call: any, callback: (err: any, resp?: any) => void) => {
            self!.inFlight++;
            Promise.resolve()
                .then(() => handler(call.request))
                .then(
                    (resp) => callback(null, resp),
                    (err) => callback({ code: grpc.status.UNKNOWN, details: err?.details ?? err?.message ?? String(err) }),
                )
                .finally(() => self!.settle());
        };
        const empty = () => new emptyproto.Empty();
        server.addService(resrpc.ResourceMonitorService, {
            supportsFeature: wrap((req) => {
                const feature = LEGACY_FEATURES[req.getId()];
                return new resproto.SupportsFeatureResponse().setHassupport(feature !== undefined && SUPPORTED_FEATURES.includes(resproto.ResourceMonitorFeature[feature]));
            }),
            getDeploymentInfo: wrap(() => new resproto.DeploymentInfo().setSupportedfeaturesList(SUPPORTED_FEATURES)),
            invoke: wrap((req) => engine.invoke(req)),
            call: wrap((req) => engine.call(req)),
            readResource: wrap((req) => engine.readResource(req)),
            registerResource: wrap((req) => engine.registerResource(req)),
            registerResourceOutputs: wrap((req) => (engine.registerResourceOutputs(req), empty())),
            registerStackTransform: wrap((req) => (engine.registerStackTransform(req), empty())),
            registerStackInvokeTransform: wrap((req) => (engine.registerStackInvokeTransform(req), empty())),
            // Hooks run around real deployment steps; a preview runs none, and an offline update has no real steps.
            registerResourceHook: wrap(() => empty()),
            registerErrorHook: wrap(() => empty()),
            registerPackage: wrap((req) => new resproto.RegisterPackageResponse().setRef(engine.registerPackage(req))),
            signalAndWaitForShutdown: wrap(async () => {
                engine.signalShutdown();
                await self!.idle(1);
                return empty();
            }),
        });
        server.addService(engrpc.EngineService, {
            log: wrap((req) => (engine.log(req.getSeverity(), req.getMessage(), req.getUrn()), empty())),
            getRootResource: wrap(() => new engproto.GetRootResourceResponse().setUrn(engine.rootResource)),
            setRootResource: wrap((req) => ((engine.rootResource = req.getUrn()), new engproto.SetRootResourceResponse())),
            requirePulumiVersion: wrap(() => new engproto.RequirePulumiVersionResponse()),
        });
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))));
        self = new EngineServer(server, `127.0.0.1:${port}`);
        return self;
    }

    /** Resolves once at most `allowed` requests are in flight (a caller waiting inside a request counts itself). */
    idle(allowed = 0): Promise<void> {
        if (this.inFlight <= allowed) {
            return Promise.resolve();
        }
        return new Promise((resolve) => this.idleWaiters.push(() => (this.inFlight <= allowed ? resolve() : this.idle(allowed).then(resolve))));
    }

    stop(): void {
        this.server.forceShutdown();
    }

    private settle(): void {
        this.inFlight--;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((w) => w());
    }
}
