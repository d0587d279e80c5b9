import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

// Content hashes name the unsigned upload (`unsigned/<name>/<hash>.zip`): unchanged code gives the same key, the
// same object version and therefore identical SigningJob inputs, so no new signing job starts on a redeploy.

function sha256(data: string | Buffer): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

/** Directory names never hashed as build sources: dependencies and VCS metadata. */
const ignoredSourceDirectories = new Set(["node_modules", ".git"]);

/**
 * Hashes a directory tree: sorted relative paths plus file contents (symlinks by their target).
 * `skipIgnored` drops node_modules/.git anywhere; `excluded` drops relative paths (and everything below them).
 */
export function hashDirectory(root: string, skipIgnored: boolean, excluded: readonly string[] = []): string {
    const hash = crypto.createHash("sha256");
    const walk = (relative: string): void => {
        const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true })
            .map(e => e.name).sort();
        for (const entry of entries) {
            const rel = relative === "" ? entry : `${relative}/${entry}`;
            if (excluded.includes(rel) || (skipIgnored && ignoredSourceDirectories.has(entry))) {
                continue;
            }
            const full = path.join(root, rel);
            const stat = fs.lstatSync(full);
            if (stat.isSymbolicLink()) {
                hash.update(`link\0${rel}\0${fs.readlinkSync(full)}\0`);
            } else if (stat.isDirectory()) {
                walk(rel);
            } else if (stat.isFile()) {
                hash.update(`file\0${rel}\0${sha256(fs.readFileSync(full))}\0`);
            }
        }
    };
    walk("");
    return hash.digest("hex");
}

/** Content hash of a file or a directory tree (a path this process cannot see is named by its path). */
export function hashPath(p: string): string {
    // A path this process cannot see (e.g. relative to another language host's working directory) is named by its
    // path: still deterministic, and Pulumi's own asset hash still re-uploads (and re-signs) changed contents.
    if (!fs.existsSync(p)) {
        return `path:${p}`;
    }
    return fs.statSync(p).isDirectory() ? `dir:${hashDirectory(p, false)}` : `file:${sha256(fs.readFileSync(p))}`;
}

async function hashAsset(asset: pulumi.asset.Asset): Promise<string> {
    const a = asset as any;
    if (a.text !== undefined) {
        return `text:${sha256(await a.text)}`;
    }
    if (a.path !== undefined) {
        return hashPath(await a.path);
    }
    return `remote:${await a.uri}`;
}

/** sha256 of an archive's contents: FileArchive (directory or file), AssetArchive (recursively), RemoteArchive (URI). */
export async function hashArchive(archive: pulumi.asset.Archive): Promise<string> {
    const a = archive as any;
    if (a.assets !== undefined) {
        const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = await a.assets;
        const parts: string[] = [];
        for (const key of Object.keys(assets).sort()) {
            const member = assets[key];
            const memberHash = pulumi.asset.Archive.isInstance(member) ? `archive:${await hashArchive(member)}`
                : await hashAsset(member);
            parts.push(`${key}\0${memberHash}`);
        }
        return sha256(parts.join("\0"));
    }
    if (a.path !== undefined) {
        return sha256(hashPath(await a.path));
    }
    return sha256(`remote:${await a.uri}`);
}

/**
 * The part of each archive glob before its first wildcard segment, e.g. `dist/**` → `dist`, `out/lib/*.js` →
 * `out/lib`. Those folders are build outputs, so they stay out of the source hash; literal file paths (which may be
 * sources themselves) are kept.
 */
export function outputDirectories(archivePaths: readonly string[]): string[] {
    const dirs: string[] = [];
    for (const glob of archivePaths) {
        const segments = glob.replace(/^\.\//, "").split("/");
        const firstWildcard = segments.findIndex(s => /[*?[\]{}!]/.test(s));
        if (firstWildcard > 0) {
            dirs.push(segments.slice(0, firstWildcard).join("/"));
        }
    }
    return dirs;
}

/** Deterministic hash of a build's inputs: command, paths, environment and the directory's source files. */
export function hashBuildInputs(command: string, directory: string, archivePaths: readonly string[],
    environment: Record<string, string> | undefined, sourceHash: string): string {
    const env = Object.keys(environment ?? {}).sort().map(k => [k, environment![k]]);
    return sha256(JSON.stringify({ command, directory, archivePaths, env, sourceHash }));
}
