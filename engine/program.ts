import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { MockState, runProgram, RunResult } from "./capture";
import { registerTypeScript } from "./programLoader";

/** The program directory is unusable (missing, not a Pulumi program, unsupported runtime). */
export class ProgramLoadError extends Error {}

export interface ProgramInfo {
    dir: string;
    project: string;
    entry: string;
    /** Stack configuration from `Pulumi.<stack>.yaml`, keys fully qualified. */
    config: Record<string, string>;
}

function readYaml(file: string): any {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ProgramLoadError(`${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
}

function resolveEntry(target: string): string | undefined {
    if (fs.existsSync(target) && fs.statSync(target).isFile()) {
        return target;
    }
    if (!fs.existsSync(target)) {
        return undefined;
    }
    const packageJson = path.join(target, "package.json");
    if (fs.existsSync(packageJson)) {
        const main = JSON.parse(fs.readFileSync(packageJson, "utf8")).main;
        if (typeof main === "string") {
            const candidates = [main, main.replace(/\.js$/, ".ts")].map((m) => path.join(target, m));
            const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
            if (found) {
                return found;
            }
        }
    }
    return ["index.ts", "index.js"].map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
}

/** Reads a Pulumi program directory the way the Pulumi CLI and the Node.js language host do. */
export function loadProgram(dir: string, stack: string): ProgramInfo {
    const absolute = path.resolve(dir);
    if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
        throw new ProgramLoadError(`program directory '${dir}' does not exist`);
    }
    const manifestFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(absolute, f)).find((f) => fs.existsSync(f));
    if (!manifestFile) {
        throw new ProgramLoadError(`'${dir}' is not a Pulumi program: it has no Pulumi.yaml`);
    }
    const manifest = readYaml(manifestFile) ?? {};
    if (typeof manifest.name !== "string" || !manifest.name) {
        throw new ProgramLoadError(`${path.relative(process.cwd(), manifestFile)} has no project 'name'`);
    }
    const runtime = typeof manifest.runtime === "string" ? manifest.runtime : manifest.runtime?.name;
    if (runtime !== "nodejs") {
        throw new ProgramLoadError(`'${dir}' is a ${runtime ?? "runtime-less"} Pulumi program; check runs nodejs (TypeScript/JavaScript) programs`);
    }
    const mainDir = typeof manifest.main === "string" ? path.resolve(absolute, manifest.main) : absolute;
    const entry = resolveEntry(mainDir);
    if (!entry) {
        throw new ProgramLoadError(`'${dir}' has no program entry point (index.ts, index.js or package.json main${manifest.main ? ` under ${manifest.main}` : ""})`);
    }

    const config: Record<string, string> = {};
    const stackFile = path.join(absolute, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(stackFile)) {
        const values = readYaml(stackFile)?.config ?? {};
        for (const [key, value] of Object.entries(values)) {
            if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
                config[key.includes(":") ? key : `${manifest.name}:${key}`] = String(value);
            }
        }
    }
    return { dir: absolute, project: manifest.name, entry, config };
}

/**
 * Returns a function that executes the program's module afresh (a program is run once per deployment, so its
 * modules are re-evaluated on every call) and returns its stack outputs, honouring a default-exported function.
 */
export function programRunner(info: ProgramInfo): () => Promise<unknown> {
    return async () => {
        for (const cached of Object.keys(require.cache)) {
            if (cached.startsWith(info.dir + path.sep) && !cached.includes(`${path.sep}node_modules${path.sep}`)) {
                delete require.cache[cached];
            }
        }
        if (/\.[cm]?ts$/.test(info.entry)) {
            registerTypeScript(info.dir);
        }
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const exported = require(info.entry);
        const main = typeof exported === "function" ? exported : typeof exported?.default === "function" ? exported.default : undefined;
        return main ? await main() : exported;
    };
}

export interface RunDirOptions {
    preview: boolean;
    stack?: string;
    state?: MockState;
}

/** Runs the Pulumi program in `dir` under the offline engine with the program directory as working directory. */
export async function runProgramDir(dir: string, options: RunDirOptions): Promise<RunResult & { program: ProgramInfo }> {
    const stack = options.stack ?? "dev";
    const info = loadProgram(dir, stack);
    const previousCwd = process.cwd();
    process.chdir(info.dir);
    try {
        const result = await runProgram(programRunner(info), {
            preview: options.preview, project: info.project, stack, config: info.config, state: options.state, baseDir: info.dir,
        });
        return { ...result, program: info };
    } finally {
        process.chdir(previousCwd);
    }
}
