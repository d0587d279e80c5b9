import * as path from "path";
import { fileURLToPath } from "url";
import { RunResult } from "../engine/engine";
import { SourceLocation } from "../engine/types";

/** A place in the program's source: a path relative to the working directory (forward slashes), 1-based line. */
export interface SourceFile {
    file: string;
    line: number;
    column?: number;
}

function toFile(location: SourceLocation): string | undefined {
    try {
        return location.uri.startsWith("file:") ? fileURLToPath(location.uri) : undefined;
    } catch {
        return undefined;
    }
}

function display(file: string, cwd: string): string {
    const relative = path.relative(cwd, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file.split(path.sep).join("/") : relative.split(path.sep).join("/");
}

/**
 * Where the program constructs each resource: the innermost frame of its construction that lies in the program's
 * own source (not node_modules, not a library), so a child of `new SignedFunction(...)` points at that line of the
 * program. Resources without such a frame take their parent's; the stack points at Pulumi.yaml.
 */
export function resourceLocations(run: RunResult, programDir: string, cwd: string = process.cwd()): Map<string, SourceFile> {
    const root = path.resolve(programDir) + path.sep;
    const inProgram = (file: string) => file.startsWith(root) && !file.includes(`${path.sep}node_modules${path.sep}`);
    const out = new Map<string, SourceFile>();
    for (const res of run.resources) {
        if (res.type === "pulumi:pulumi:Stack") {
            out.set(res.urn, { file: display(path.join(programDir, "Pulumi.yaml"), cwd), line: 1 });
            continue;
        }
        const frames = [...(res.stackTrace ?? []), ...(res.source ? [res.source] : [])];
        const frame = frames.map((f) => ({ f, file: toFile(f) })).find((x) => x.file && inProgram(path.resolve(x.file)));
        if (frame) {
            out.set(res.urn, { file: display(path.resolve(frame.file!), cwd), line: frame.f.line, ...(frame.f.column ? { column: frame.f.column } : {}) });
        } else if (res.parent && out.has(res.parent)) {
            out.set(res.urn, out.get(res.parent)!);
        }
    }
    return out;
}
