import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Signature keys and values of the Pulumi wire format (see @pulumi/pulumi/runtime/rpc). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's sentinels for unknown values of other kinds (the Node SDK itself only ever sends UNKNOWN). */
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";

export function isUnknownSentinel(value: unknown): boolean {
    return value === UNKNOWN;
}

function hashPath(target: string, hash: ReturnType<typeof createHash>): void {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(target);
    } catch {
        hash.update(`missing:${target}`);
        return;
    }
    if (stat.isDirectory()) {
        for (const entry of fs.readdirSync(target).sort()) {
            hash.update(`dir-entry:${entry}\0`);
            hashPath(path.join(target, entry), hash);
        }
    } else {
        hash.update(fs.readFileSync(target));
    }
}

/**
 * A digest of wire-format values that, like the Pulumi engine, looks at the *contents* of assets and archives:
 * an unchanged FileArchive path with changed files is a change.
 */
export function digestWireValue(value: unknown, baseDir: string): string {
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
            hash.update(`file-content:`);
            hashPath(path.resolve(baseDir, obj.path), hash);
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

/** Removes secret wrappers, keeping the plain value (what analyzers see in Analyze/AnalyzeStack). */
export function unwrapSecrets(value: unknown): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    const obj = value as Record<string, unknown>;
    if (obj[SPECIAL_SIG_KEY] === SECRET_SIG) {
        return unwrapSecrets(obj.value);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
        out[k] = unwrapSecrets(v);
    }
    return out;
}
