/**
 * PACK RUNTIME ONLY (installed from policies/index.ts; tests and the CLI never load it implicitly).
 *
 * The pack replaces `@pulumi/policy`'s `deserializeProperties` (the server calls it through the module object,
 * `deserialize_1.deserializeProperties(...)`, so replacing the export is picked up on every call) for two reasons:
 *
 * Correctness. @pulumi/policy 1.21.0 throws on values the Pulumi engine really sends, and a throw there fails the
 * whole request: Analyze and AnalyzeStack error for every policy, and Remediate (which deserializes outside its
 * try block) never answers, so the engine waits forever. The engine serializes an empty text asset
 * (`new pulumi.asset.StringAsset("")`, e.g. an empty `__init__.py` in an archive) as a hash-only asset
 * (`{sig, hash: sha256("")}`, pulumi/pulumi `sdk/go/common/resource/asset/asset.go`: `text` is `omitempty`), which
 * 1.21.0 rejects ("Invalid asset encountered when unmarshaling resource property"). This deserializer accepts it (and
 * `text: ""`) as an empty `StringAsset`, keeps other hash-only assets and archives as the wire object they are, and
 * turns anything else it can't read (an unknown signature, a malformed asset) into an `Unreadable` marker that the
 * policies treat as "can't verify this resource" instead of failing every resource of the stack.
 *
 * Speed (the shipped pack only: `{ memo: true }`). The AnalyzeStack handler deserializes every resource's properties
 * once PER STACK POLICY. The result for proxySecrets=false is memoised on the protobuf `Struct` itself (google-protobuf
 * returns the same wrapper object for the same request message), under a private Symbol so it dies with the request.
 * That is sound only when every policy of the pack reads props without mutating them, which holds for this pack's
 * own policies but not necessarily for a pack composing them with its own: the library factory installs the tolerant
 * deserializer without the memo. Remediate (proxySecrets=true) always gets a fresh object: later remediations may
 * mutate it.
 *
 * Semantics are otherwise those of 1.21.0: secrets become plain values (or `Secret` instances behind the SDK's
 * secrets-preserving proxy for Remediate), assets and archives become @pulumi/pulumi asset objects.
 */
import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SIG_KEY, Unreadable } from "./values";

type DeserializeFn = (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;

interface DeserializeModule {
    deserializeProperties: DeserializeFn & { __lambdaCodeSigningDeserializer?: true };
}

/** sha256 of the empty string: the hash the engine gives an empty text asset. */
export const EMPTY_CONTENT_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

interface Runtime {
    asset: typeof import("@pulumi/pulumi").asset;
    Secret: new (value: unknown) => unknown;
    secretsPreservingProxy: (v: object) => Record<string, unknown>;
}

let runtime: Runtime | undefined;

function loadRuntime(): Runtime {
    if (!runtime) {
        /* eslint-disable @typescript-eslint/no-var-requires */
        runtime = {
            asset: require("@pulumi/pulumi").asset,
            Secret: require("@pulumi/policy/policy").Secret,
            secretsPreservingProxy: require("@pulumi/policy/secret").secretsPreservingProxy,
        };
        /* eslint-enable @typescript-eslint/no-var-requires */
    }
    return runtime;
}

const str = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === "string" ? (o[k] as string) : undefined);

function deserializeAsset(o: Record<string, unknown>): unknown {
    const { asset } = loadRuntime();
    const path = str(o, "path");
    const uri = str(o, "uri");
    const text = str(o, "text");
    const hash = o.hash;
    if (path) {
        return new asset.FileAsset(path);
    }
    if (uri) {
        return new asset.RemoteAsset(uri);
    }
    if (text) {
        return new asset.StringAsset(text);
    }
    if (hash === undefined || hash === EMPTY_CONTENT_HASH || text === "") {
        return new asset.StringAsset("");
    }
    if (typeof hash === "string") {
        return Object.freeze({ [SIG_KEY]: ASSET_SIG, hash }); // content not sent: a placeholder the engine keeps by hash
    }
    return new Unreadable("an asset with malformed fields");
}

function deserializeArchive(o: Record<string, unknown>, proxySecrets: boolean): unknown {
    const { asset } = loadRuntime();
    const assets = o.assets;
    if (assets !== null && typeof assets === "object" && !Array.isArray(assets)) {
        const out: Record<string, any> = {};
        for (const name of Object.keys(assets)) {
            const a = deserializeProperty((assets as Record<string, unknown>)[name], proxySecrets);
            if (!asset.Asset.isInstance(a) && !asset.Archive.isInstance(a)) {
                return new Unreadable(`an archive whose member ${JSON.stringify(name)} is not an asset or archive`);
            }
            out[name] = a;
        }
        return new asset.AssetArchive(out);
    }
    if (str(o, "path")) {
        return new asset.FileArchive(o.path as string);
    }
    if (str(o, "uri")) {
        return new asset.RemoteArchive(o.uri as string);
    }
    if (typeof o.hash === "string" && assets === undefined) {
        return Object.freeze({ [SIG_KEY]: ARCHIVE_SIG, hash: o.hash });
    }
    return new Unreadable("an archive with malformed fields");
}

/** Deserializes one wire value. Never throws (its recursion is bounded by the depth of the protobuf message). */
export function deserializeProperty(prop: unknown, proxySecrets: boolean): unknown {
    if (prop === null || typeof prop !== "object") {
        return prop === undefined ? null : prop;
    }
    if (Array.isArray(prop)) {
        return prop.map(e => deserializeProperty(e, proxySecrets));
    }
    const o = prop as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(o, SIG_KEY)) {
        switch (o[SIG_KEY]) {
            case ASSET_SIG:
                return deserializeAsset(o);
            case ARCHIVE_SIG:
                return deserializeArchive(o, proxySecrets);
            case SECRET_SIG: {
                const value = deserializeProperty(o.value, proxySecrets);
                return proxySecrets ? new (loadRuntime().Secret)(value) : value;
            }
            default:
                return new Unreadable(`a value with the unrecognised signature ${JSON.stringify(String(o[SIG_KEY]).slice(0, 40))}`);
        }
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
        out[k] = deserializeProperty(o[k], proxySecrets);
    }
    return out;
}

/** `deserializeProperties(struct, proxySecrets)` with @pulumi/policy's contract; never throws. */
export function deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown> {
    let outputs: Record<string, unknown> = {};
    try {
        const js = (struct as { toJavaScript?: () => unknown } | null | undefined)?.toJavaScript?.();
        if (js !== null && typeof js === "object" && !Array.isArray(js)) {
            outputs = js as Record<string, unknown>;
        }
    } catch {
        // toJavaScript threw: no properties (outputs is still {}).
    }
    const props: Record<string, unknown> = {};
    for (const k of Object.keys(outputs)) {
        if (outputs[k] !== undefined) {
            props[k] = deserializeProperty(outputs[k], proxySecrets);
        }
    }
    return proxySecrets ? loadRuntime().secretsPreservingProxy(props) : props;
}

const memo = Symbol("lambda-code-signing:deserialized");
let memoEnabled = false;

function memoised(struct: unknown, proxySecrets: boolean): Record<string, unknown> {
    if (!memoEnabled || proxySecrets || struct === null || typeof struct !== "object") {
        return deserializeProperties(struct, proxySecrets);
    }
    const holder = struct as { [memo]?: Record<string, unknown> };
    const hit = holder[memo];
    if (hit !== undefined) {
        return hit;
    }
    const result = deserializeProperties(struct, false);
    try {
        Object.defineProperty(holder, memo, { value: result, enumerable: false, configurable: true, writable: false });
    } catch {
        // Frozen or exotic object: no memo, same result.
    }
    return result;
}

/**
 * Installs the pack's deserializer once per process (`memo: true` also shares each request's deserialized props
 * across policies, and stays on once asked for); returns true when installed (or already installed).
 */
export function installSharedDeserialization(options: { memo?: boolean } = { memo: true }): boolean {
    let mod: DeserializeModule;
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        mod = require("@pulumi/policy/deserialize");
    } catch {
        return false;
    }
    if (typeof mod.deserializeProperties !== "function") {
        return false;
    }
    memoEnabled = memoEnabled || options.memo === true;
    if (mod.deserializeProperties.__lambdaCodeSigningDeserializer) {
        return true;
    }
    const replacement = function deserializeProperties(struct: unknown, proxySecrets: boolean) {
        return memoised(struct, proxySecrets);
    } as DeserializeModule["deserializeProperties"];
    replacement.__lambdaCodeSigningDeserializer = true;
    try {
        mod.deserializeProperties = replacement;
    } catch {
        // A read-only export: not installed (the check below says so).
    }
    return mod.deserializeProperties === replacement;
}
