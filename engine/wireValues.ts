import { createHash } from "crypto";
import * as path from "path";
import { ARCHIVE_SIG, ASSET_SIG, SIG_KEY as SPECIAL_SIG_KEY } from "../policies/lib/values";

/** Signature keys and values of the Pulumi wire format: one definition, the policy pack's. */
export { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SIG_KEY as SPECIAL_SIG_KEY } from "../policies/lib/values";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's sentinels for unknown values of other kinds (the Node SDK itself only ever sends UNKNOWN). */
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";

/** Content hashes of asset and archive paths, computed once per run. */
export type PathHashes = Map<string, string>;

/**
 * The components' content hash (one definition), loaded on first use: its module loads the whole Node.js SDK, which
 * check's own process otherwise never needs (0.6 s of every check's start-up, measured).
 */
function hashPath(file: string): string {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const contentHash: typeof import("../components/contentHash") = require("../components/contentHash");
    return contentHash.hashPath(file);
}

function cachedHashPath(file: string, cache?: PathHashes): string {
    let hash = cache?.get(file);
    if (hash === undefined) {
        hash = hashPath(file);
        cache?.set(file, hash);
    }
    return hash;
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/**
 * A digest of wire-format values that, like the Pulumi engine, looks at the *contents* of assets and archives:
 * an unchanged FileArchive path with changed files is a change.
 */
export function digestWireValue(value: unknown, baseDir: string, cache?: PathHashes): string {
    const hash = createHash("sha256");
    const visit = (v: unknown): void => {
        if (v === null || typeof v !== "object") {
            hash.update(JSON.stringify(v) ?? "undefined");
            return;
        }
        if (Array.isArray(v)) {
            hash.update("[");
            v.forEach(visit);
            hash.update("]");
            return;
        }
        const obj = v as Record<string, unknown>;
        const sig = obj[SPECIAL_SIG_KEY];
        if ((sig === ASSET_SIG || sig === ARCHIVE_SIG) && typeof obj.path === "string") {
            hash.update(`file-content:${cachedHashPath(path.resolve(baseDir, obj.path), cache)}`);
            return;
        }
        hash.update("{");
        for (const key of Object.keys(obj).sort()) {
            hash.update(`${key}:`);
            visit(obj[key]);
        }
        hash.update("}");
    };
    visit(value);
    return hash.digest("hex");
}

const ASSET_FIELDS = new Set([SPECIAL_SIG_KEY, "hash", "text", "path", "uri", "assets"]);

/** An asset or archive as the engine serializes it (`Asset.Serialize`): with its hash, and no empty text. */
function hashedAsset(obj: Record<string, unknown>, baseDir: string, cache?: PathHashes): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
        if (!ASSET_FIELDS.has(k)) {
            // The engine keeps only an asset's own fields (the SDK also sends internal markers such as __pulumiAsset).
            continue;
        }
        if (k === "assets" && v !== null && typeof v === "object") {
            out.assets = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([n, a]) => [n, analyzerValue(a, baseDir, cache)]));
        } else if (!(k === "text" && v === "")) {
            out[k] = v;
        }
    }
    if (typeof out.hash !== "string") {
        if (typeof obj.text === "string") {
            out.hash = sha256(obj.text);
        } else if (typeof obj.path === "string") {
            out.hash = sha256(cachedHashPath(path.resolve(baseDir, obj.path), cache));
        } else if (out.assets && typeof out.assets === "object") {
            const children = Object.entries(out.assets as Record<string, Record<string, unknown>>).sort(([a], [b]) => (a < b ? -1 : 1));
            out.hash = sha256(children.map(([n, a]) => `${n}:${a?.hash ?? ""}`).join("\n"));
        }
    }
    return out;
}

function analyzerValue(v: unknown, baseDir: string, cache?: PathHashes): unknown {
    if (Array.isArray(v)) {
        return v.map((e) => analyzerValue(e, baseDir, cache));
    }
    if (v === null || typeof v !== "object") {
        return v;
    }
    const obj = v as Record<string, unknown>;
    const sig = obj[SPECIAL_SIG_KEY];
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
        return hashedAsset(obj, baseDir, cache);
    }
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(obj)) {
        out[k] = analyzerValue(e, baseDir, cache);
    }
    return out;
}

/**
 * Properties as the engine hands them to analyzers: assets and archives carry the hash the engine computes
 * (`ComputeAssetHashes`) and an empty text asset is a hash-only asset.
 */
export function analyzerView(props: Record<string, unknown>, baseDir: string, cache?: PathHashes): Record<string, unknown> {
    return analyzerValue(props, baseDir, cache) as Record<string, unknown>;
}
