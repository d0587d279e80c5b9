import { SourceLocation } from "./types";
import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN } from "./wireValues";

// Reading registration requests and shaping the engine's answers: the small rules the offline engine shares.

export function readPropertyDependencies(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        out[key] = deps.getUrnsList();
    });
    return out;
}

export function sourceLocation(position: any): SourceLocation | undefined {
    if (!position || !position.getUri() || position.getLine() <= 0) {
        return undefined;
    }
    return { uri: position.getUri(), line: position.getLine(), column: position.getColumn() || undefined };
}

export function stackTrace(req: any): SourceLocation[] {
    const trace = req.getStacktrace?.();
    return trace ? trace.getFramesList().map((f: any) => sourceLocation(f.getPc())).filter((l: unknown): l is SourceLocation => !!l) : [];
}

export function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

export function asSecret(value: unknown): unknown {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
        ? value : { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** An asset the Node SDK can deserialize: one with a path, a URI or non-empty text (`rpc.deserializeProperty`). */
function sdkReadable(v: unknown): boolean {
    if (Array.isArray(v)) return v.every(sdkReadable);
    if (v === null || typeof v !== "object") return true;
    const o = v as Record<string, unknown>;
    const sig = o[SPECIAL_SIG_KEY];
    if (sig === ASSET_SIG) return !!(o.path || o.text || o.uri);
    if (sig === ARCHIVE_SIG && o.assets && typeof o.assets === "object") return Object.values(o.assets as object).every(sdkReadable);
    return Object.values(o).every(sdkReadable);
}

/**
 * Outputs as returned to the program, without the values its SDK would fail to read back (an archive holding an
 * empty text asset): the program sees those outputs as unset, and still gets every other output.
 */
export function readableBySdk(outputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => sdkReadable(v)));
}

/** Stack outputs for a report: unknowns dropped, secrets unwrapped. */
export function plainOutputs(values: Record<string, unknown>): Record<string, unknown> {
    const plain = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(plain);
        if (v !== null && typeof v === "object") {
            const o = v as Record<string, unknown>;
            if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return plain(o.value);
            return Object.fromEntries(Object.entries(o).filter(([, e]) => e !== UNKNOWN).map(([k, e]) => [k, plain(e)]));
        }
        return v;
    };
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, plain(v)]));
}
