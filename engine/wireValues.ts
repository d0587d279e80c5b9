import { createHash } from "crypto";
import * as path from "path";
import { hashPath } from "../components/contentHash";
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
            hash.update(`file-content:${hashPath(path.resolve(baseDir, obj.path))}`);
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
