/**
 * `lambda-code-signing/testing`: mocks for unit tests of programs that use the components, built on the project's
 * one mock-output model (engine/mockOutputs.ts) that the offline `check` uses too.
 *
 *     const mocks = await setLambdaCodeSigningMocks({ preview: false });
 *     const fn = new SignedFunction("api", { ...guard.signingArgs(), ... });
 *     assert.match(await outputValue(fn.functionArn) ?? "", /^arn:aws:lambda:/);
 */
import * as pulumi from "@pulumi/pulumi";
import { computedOutputs, DEFAULT_ACCOUNT, invokeResult, MockAccount, MockLinks } from "../engine/mockOutputs";
import { digestWireValue } from "../engine/wireValues";

export type { MockAccount } from "../engine/mockOutputs";

// The SDK's own (de)serializer: resources are modelled on their inputs exactly as the engine receives them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const rpc: { serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>> } =
    require("@pulumi/pulumi/runtime/rpc");

/** A resource the program registered, with the outputs the mocks answered. */
export interface MockedResource {
    type: string;
    name: string;
    /** Inputs as the program passed them (Assets and Archives as SDK objects). */
    inputs: Record<string, any>;
    /** Inputs plus the modelled provider outputs (update mode); only the inputs in preview. */
    outputs: Record<string, any>;
    id?: string;
    /** false for component resources. */
    custom: boolean;
}

export interface LambdaCodeSigningMocksOptions {
    /** Account, Region and partition the resources live in. Defaults: 123456789012, us-east-1, aws. */
    account?: Partial<MockAccount>;
    /**
     * Answers for invokes, tried before the built-in ones (`getCallerIdentity`, `getPartition`, `getRegion`,
     * `s3.getBucket`, and `signer.getSigningJob` for jobs the program created). Return `undefined` to fall through;
     * an invoke nobody answers fails with its token.
     */
    call?: (args: pulumi.runtime.MockCallArgs) => Record<string, any> | undefined;
    /** Adjusts the modelled outputs of a custom resource (e.g. for resource types the model doesn't know). */
    outputs?: (args: pulumi.runtime.MockResourceArgs, modelled: Record<string, any>) => Record<string, any>;
}

/**
 * A `pulumi.runtime.Mocks` implementation answering like AWS: ARNs, S3 object version ids, signing jobs with their
 * `signedObjects`, the profile version Lambda records for signed code, Pulumi-style physical names. In a preview
 * (`setMocks(..., preview = true)`) provider-computed outputs stay unknown, as in a real `pulumi preview`.
 */
export class LambdaCodeSigningMocks implements pulumi.runtime.Mocks {
    /** Every resource registered since construction or the last `reset()`, in registration order. */
    readonly resources: MockedResource[] = [];
    readonly account: MockAccount;
    private readonly links = new MockLinks();

    constructor(private readonly options: LambdaCodeSigningMocksOptions = {}) {
        this.account = { ...DEFAULT_ACCOUNT, ...options.account };
    }

    async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
        const custom = args.custom !== false;
        const preview = pulumi.runtime.isDryRun();
        let outputs: Record<string, any> = { ...args.inputs };
        let id: string | undefined;
        if (custom && !preview) {
            const wire = await rpc.serializeProperties(`mock ${args.name}`, args.inputs);
            const urn = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${args.type}::${args.name}`;
            let modelled = computedOutputs(args.type, args.name, urn, wire, digestWireValue(wire, process.cwd()), this.account, this.links);
            modelled = this.options.outputs?.(args, modelled) ?? modelled;
            id = args.id || String(modelled.id ?? `${args.name}-id`);
            outputs = { ...args.inputs, ...modelled };
            delete outputs.id;
        }
        this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, outputs, id, custom });
        return { id, state: outputs };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const answer = this.options.call?.(args) ?? invokeResult(args.token, args.inputs, this.account, this.links);
        if (answer === undefined) {
            throw new Error(`lambda-code-signing/testing: no mock answer for the invoke ${args.token}; ` +
                "answer it with the `call` option of LambdaCodeSigningMocks");
        }
        return answer;
    }

    /** The registered resources of one type token, e.g. "aws:lambda/function:Function". */
    ofType(type: string): MockedResource[] {
        return this.resources.filter(r => r.type === type);
    }

    /** Forgets the registered resources (call between tests that share one mocks instance). */
    reset(): void {
        this.resources.length = 0;
        this.links.clear();
    }
}

export interface SetMocksOptions extends LambdaCodeSigningMocksOptions {
    /** true: like `pulumi preview` (provider outputs unknown); false (default): like `pulumi up`. */
    preview?: boolean;
    project?: string;
    stack?: string;
    organization?: string;
}

/** Creates the mocks and installs them with `pulumi.runtime.setMocks`; call it in `before()`. */
export async function setLambdaCodeSigningMocks(options: SetMocksOptions = {}): Promise<LambdaCodeSigningMocks> {
    const mocks = new LambdaCodeSigningMocks(options);
    await pulumi.runtime.setMocks(mocks, options.project ?? "project", options.stack ?? "stack", options.preview ?? false,
        options.organization);
    return mocks;
}

/**
 * The value of an Output, or `undefined` when it is unknown (a provider output during a preview), where `apply`
 * would never run and a naive await would hang.
 */
export async function outputValue<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    if (!known) {
        return undefined;
    }
    return new Promise<T>(resolve => output.apply(value => {
        resolve(value);
        return value;
    }));
}
