import { attachPropertyDependencies, downgradeOutputValues, outputDependencies, upgradeToOutputValues } from "./outputValues";
import { requireFromSdk } from "./sdkModules";

const grpc = requireFromSdk("@grpc/grpc-js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const callbackrpc = require("@pulumi/pulumi/proto/callback_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const callbackproto = require("@pulumi/pulumi/proto/callback_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const structproto = requireFromSdk("google-protobuf/google/protobuf/struct_pb");

/** A program-side function the engine calls back: `{ target: "127.0.0.1:<port>", token }`. */
export interface CallbackRef {
    target: string;
    token: string;
}

export function callbackRef(cb: any): CallbackRef {
    return { target: cb.getTarget(), token: cb.getToken() };
}

/** What a resource registration looks like to its transforms. */
export interface TransformSubject {
    name: string;
    type: string;
    custom: boolean;
    parent: string;
    props: Record<string, unknown>;
    /** `pulumirpc.TransformResourceOptions`. */
    options: any;
    propertyDependencies: Record<string, string[]>;
    dependencies: string[];
}

/** Calls the program's callback server (transforms), as the engine's `wrapTransformCallback` does. */
export class CallbackClient {
    private readonly clients = new Map<string, any>();

    private client(target: string): any {
        let client = this.clients.get(target);
        if (!client) {
            client = new callbackrpc.CallbacksClient(target, grpc.credentials.createInsecure(), {
                "grpc.max_receive_message_length": 400 * 1024 * 1024,
                "grpc.max_send_message_length": 400 * 1024 * 1024,
            });
            this.clients.set(target, client);
        }
        return client;
    }

    invoke(cb: CallbackRef, request: Uint8Array): Promise<Uint8Array> {
        const req = new callbackproto.CallbackInvokeRequest();
        req.setToken(cb.token);
        req.setRequest(request);
        return new Promise((resolve, reject) => {
            this.client(cb.target).invoke(req, (err: any, resp: any) => (err ? reject(err) : resolve(resp.getResponse_asU8())));
        });
    }

    /**
     * Runs a resource's transforms in the engine's order (its own, then each ancestor's, then the stack's) and returns
     * the registration as the engine continues with it: output values downgraded, dependencies rebuilt when the
     * resource has transforms of its own.
     */
    async transformResource(subject: TransformSubject, own: CallbackRef[], inherited: CallbackRef[]): Promise<TransformSubject> {
        let props = upgradeToOutputValues(subject.props) as Record<string, unknown>;
        if (own.length > 0) {
            props = attachPropertyDependencies(props, subject.propertyDependencies);
        }
        let options = subject.options;
        for (const cb of [...own, ...inherited]) {
            const request = new resproto.TransformRequest();
            request.setName(subject.name);
            request.setType(subject.type);
            request.setCustom(subject.custom);
            request.setParent(subject.parent);
            request.setProperties(structproto.Struct.fromJavaScript(props));
            request.setOptions(options);
            const response = resproto.TransformResponse.deserializeBinary(await this.invoke(cb, request.serializeBinary()));
            if (response.hasOptions()) {
                options = response.getOptions();
            }
            if (response.hasProperties()) {
                props = upgradeToOutputValues(response.getProperties().toJavaScript()) as Record<string, unknown>;
            }
        }
        let propertyDependencies = subject.propertyDependencies;
        let dependencies = subject.dependencies;
        if (own.length > 0) {
            const all = new Set<string>(options.getDependsOnList());
            propertyDependencies = {};
            for (const [key, value] of Object.entries(props)) {
                const deps = outputDependencies(value);
                propertyDependencies[key] = [...deps];
                deps.forEach((d) => all.add(d));
            }
            dependencies = [...all];
        } else {
            propertyDependencies = { ...propertyDependencies };
            for (const [key, value] of Object.entries(props)) {
                const deps = new Set([...(propertyDependencies[key] ?? []), ...outputDependencies(value)]);
                propertyDependencies[key] = [...deps];
            }
        }
        return { ...subject, props: downgradeOutputValues(props) as Record<string, unknown>, options, propertyDependencies, dependencies };
    }

    /** Runs the stack's invoke transforms over an invoke's arguments. */
    async transformInvoke(token: string, args: Record<string, unknown>, transforms: CallbackRef[]): Promise<Record<string, unknown>> {
        let current = upgradeToOutputValues(args) as Record<string, unknown>;
        let options = new resproto.TransformInvokeOptions();
        for (const cb of transforms) {
            const request = new resproto.TransformInvokeRequest();
            request.setToken(token);
            request.setArgs(structproto.Struct.fromJavaScript(current));
            request.setOptions(options);
            const response = resproto.TransformInvokeResponse.deserializeBinary(await this.invoke(cb, request.serializeBinary()));
            if (response.hasOptions()) {
                options = response.getOptions();
            }
            if (response.hasArgs()) {
                current = upgradeToOutputValues(response.getArgs().toJavaScript()) as Record<string, unknown>;
            }
        }
        return downgradeOutputValues(current) as Record<string, unknown>;
    }

    close(): void {
        for (const client of this.clients.values()) {
            client.close();
        }
        this.clients.clear();
    }
}
