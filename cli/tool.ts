import * as fs from "fs";
import * as path from "path";

let cached: { name: string; version: string } | undefined;

/** This package's name and version, from its package.json (found from here upwards: source or compiled layout). */
export function toolInfo(): { name: string; version: string } {
    if (!cached) {
        for (let dir = __dirname; ; dir = path.dirname(dir)) {
            const file = path.join(dir, "package.json");
            if (fs.existsSync(file)) {
                const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
                if (pkg.name === "lambda-code-signing") {
                    cached = { name: pkg.name, version: String(pkg.version) };
                    break;
                }
            }
            if (path.dirname(dir) === dir) {
                cached = { name: "lambda-code-signing", version: "unknown" };
                break;
            }
        }
    }
    return cached;
}
