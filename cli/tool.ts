import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../engine/sdkModules";

let cached: { name: string; version: string } | undefined;

/** This package's name and version, from its package.json (in the repository, compiled, or installed). */
export function toolInfo(): { name: string; version: string } {
    if (!cached) {
        const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8"));
        cached = { name: String(pkg.name), version: String(pkg.version) };
    }
    return cached;
}
