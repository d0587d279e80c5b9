/**
 * PACK RUNTIME ONLY (installed from policies/index.ts; tests and the CLI never load it implicitly).
 *
 * Why: @pulumi/policy's `makeAnalyzeStackRpcFun` deserializes every resource's properties ONCE PER STACK POLICY
 * (`deserialize_1.deserializeProperties(r.getProperties(), false)` inside the per-policy loop). With several graph
 * policies that multiplies the dominant cost of an AnalyzeStack request. The server calls the function through the
 * module object (`deserialize_1.deserializeProperties(...)`), so replacing the export is picked up on every call.
 *
 * What: memoise `deserializeProperties(struct, proxySecrets=false)` on the identity of the protobuf `Struct`
 * (google-protobuf caches wrapper fields, so `r.getProperties()` returns the same Struct object for the same
 * request message every time). The result is stored on the Struct itself under a private Symbol, so it dies with
 * the request; a WeakMap would do the same but measurably slows V8's garbage collector (ephemeron tables) on
 * 24,000-resource requests. google-protobuf keeps message data in its own array, so the extra property never reaches
 * serialization.
 *
 * Soundness: a `Struct` of a received request is never mutated, and with proxySecrets=false the result is plain data
 * that the pack's policies only read (every policy reads props through the read-only unknown-checking proxy or our
 * raw readers). Remediate uses proxySecrets=true and returns props that later policies may replace or mutate
 * through the secrets-preserving proxy, so that case is NOT memoised and always gets a fresh object.
 */

type DeserializeFn = (struct: unknown, proxySecrets: boolean) => Record<string, unknown>;

interface DeserializeModule {
    deserializeProperties: DeserializeFn & { __lambdaCodeSigningMemo?: true };
}

/** Installs the memo once per process; returns true when installed (or already installed). */
export function installSharedDeserialization(): boolean {
    let mod: DeserializeModule;
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        mod = require("@pulumi/policy/deserialize");
    } catch {
        return false;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function") {
        return false;
    }
    if (original.__lambdaCodeSigningMemo) {
        return true;
    }
    const memo = Symbol("lambda-code-signing:deserialized");
    const memoised = function deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown> {
        if (proxySecrets || struct === null || typeof struct !== "object") {
            return original(struct, proxySecrets);
        }
        const holder = struct as { [memo]?: Record<string, unknown> };
        const hit = holder[memo];
        if (hit !== undefined) {
            return hit;
        }
        const result = original(struct, proxySecrets);
        try {
            Object.defineProperty(holder, memo, { value: result, enumerable: false, configurable: true, writable: false });
        } catch {
            // Frozen or exotic object: no memo, same result.
        }
        return result;
    } as DeserializeModule["deserializeProperties"];
    memoised.__lambdaCodeSigningMemo = true;
    try {
        mod.deserializeProperties = memoised;
    } catch {
        return false;
    }
    return mod.deserializeProperties === memoised;
}
