import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { resolveStackConfig, StackConfig, StackConfigError } from "./stackConfig";

// Reads a Pulumi program directory the way the Pulumi CLI and the Node.js language host do
// (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go: `parseOptions`, `locateModule`, `constructArguments`;
// pkg/engine `getPwdMain`): project, `main`, `runtime.options` (typescript, tsconfig, nodeargs), the stack and its
// configuration, and the program's own `@pulumi/pulumi/cmd/run`, which loads TypeScript, ESM and `main` itself.

/** The program directory is unusable (missing, not a Pulumi program, unsupported runtime, not installed). */
export class ProgramLoadError extends Error {}

/** How the stack was chosen: named with --stack, the only stack file, or the documented default. */
export type StackSource = "option" | "only-stack-file" | "default";

export interface StackSelection {
    name: string;
    organization: string;
    source: StackSource;
    /** `Pulumi.<stack>.yaml`, when there is one. */
    file?: string;
}

export interface ProgramInfo {
    /** The project directory (where Pulumi.yaml is). */
    dir: string;
    project: string;
    /** The program's working directory (`main`'s directory, or the project directory). */
    pwd: string;
    /** The entry point given to the runner: "." or a file name in `pwd`. */
    entry: string;
    /** `runtime.options.typescript` (default true): ts-node type-checks and compiles `.ts` files. */
    typescript: boolean;
    /** `runtime.options.tsconfig`. */
    tsconfig?: string;
    /** `runtime.options.nodeargs`, split like a shell would. */
    nodeArgs: string[];
    /** The program's own `@pulumi/pulumi/cmd/run`. */
    runner: string;
    sdkVersion: string;
    stack: StackSelection;
    config: StackConfig;
}

export interface LoadOptions {
    /** `--stack`: `<stack>`, `<org>/<stack>` or `<org>/<project>/<stack>`. */
    stack?: string;
    /** `--config key=value` overrides. */
    config?: Record<string, string>;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

function readYaml(file: string): any {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ProgramLoadError(`${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
}

/** Splits `runtime.options.nodeargs` like a POSIX shell (quotes and backslashes), as the language host does. */
export function splitArgs(text: string): string[] {
    const args: string[] = [];
    let current = "";
    let quote: string | undefined;
    let started = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote) quote = undefined;
            else if (c === "\\" && quote === "\"" && i + 1 < text.length) current += text[++i];
            else current += c;
        } else if (c === "'" || c === "\"") {
            quote = c;
            started = true;
        } else if (c === "\\" && i + 1 < text.length) {
            current += text[++i];
            started = true;
        } else if (/\s/.test(c)) {
            if (started) args.push(current);
            current = "";
            started = false;
        } else {
            current += c;
            started = true;
        }
    }
    if (quote) {
        throw new ProgramLoadError(`runtime.options.nodeargs has an unterminated ${quote} quote`);
    }
    if (started) args.push(current);
    return args;
}

function runtimeOptions(manifest: any, manifestFile: string): { typescript: boolean; tsconfig?: string; nodeArgs: string[] } {
    const options = typeof manifest.runtime === "object" && manifest.runtime ? manifest.runtime.options ?? {} : {};
    const where = `${manifestFile}: runtime.options`;
    if (options.typescript !== undefined && typeof options.typescript !== "boolean") {
        throw new ProgramLoadError(`${where}.typescript must be true or false`);
    }
    if (options.tsconfig !== undefined && typeof options.tsconfig !== "string") {
        throw new ProgramLoadError(`${where}.tsconfig must be a path`);
    }
    if (options.nodeargs !== undefined && typeof options.nodeargs !== "string") {
        throw new ProgramLoadError(`${where}.nodeargs must be a string of node arguments`);
    }
    return { typescript: options.typescript ?? true, tsconfig: options.tsconfig, nodeArgs: splitArgs(options.nodeargs ?? "") };
}

/** `getPwdMain`: the working directory and entry point for the project's `main`. */
function pwdAndEntry(root: string, main: unknown, manifestFile: string): { pwd: string; entry: string } {
    if (main === undefined || main === null || main === "") {
        return { pwd: root, entry: "." };
    }
    if (typeof main !== "string" || path.isAbsolute(main)) {
        throw new ProgramLoadError(`${manifestFile}: project 'main' must be a relative path`);
    }
    const target = path.resolve(root, main);
    if (target !== root && !target.startsWith(root + path.sep)) {
        throw new ProgramLoadError(`${manifestFile}: project 'main' must be a subfolder`);
    }
    if (!fs.existsSync(target)) {
        throw new ProgramLoadError(`${manifestFile}: project 'main' (${main}) does not exist`);
    }
    return fs.statSync(target).isDirectory() ? { pwd: target, entry: "." } : { pwd: path.dirname(target), entry: path.basename(target) };
}

function stackFiles(root: string): string[] {
    return fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/** `--stack` as the CLI reads it: `<stack>`, `<org>/<stack>` or `<org>/<project>/<stack>`. */
export function selectStack(arg: string | undefined, root: string, project: string): StackSelection {
    if (arg === undefined) {
        const files = stackFiles(root);
        if (files.length > 1) {
            throw new ProgramLoadError(`'${root}' has several stacks (${files.join(", ")}): choose one with --stack`);
        }
        return files.length === 1
            ? { name: files[0], organization: "organization", source: "only-stack-file", file: path.join(root, `Pulumi.${files[0]}.yaml`) }
            : { name: "dev", organization: "organization", source: "default" };
    }
    const parts = arg.split("/");
    if (parts.length > 3 || parts.some((p) => !NAME.test(p))) {
        throw new ProgramLoadError(`--stack '${arg}' is not a stack name (<stack>, <org>/<stack> or <org>/<project>/<stack>; letters, digits, _ . -)`);
    }
    const name = parts[parts.length - 1];
    const organization = parts.length > 1 ? parts[0] : "organization";
    if (parts.length === 3 && parts[1] !== project) {
        throw new ProgramLoadError(`--stack '${arg}' belongs to project '${parts[1]}', but this program is project '${project}'`);
    }
    const file = ["yaml", "yml"].map((ext) => path.join(root, `Pulumi.${name}.${ext}`)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new ProgramLoadError(`no stack named '${name}' found: ${path.join(root, `Pulumi.${name}.yaml`)} does not exist`);
    }
    return { name, organization, source: "option", file };
}

/** The program's own `@pulumi/pulumi/cmd/run` (what the language host runs), or a hint to install. */
function locateRunner(pwd: string, dir: string): { runner: string; sdkVersion: string } {
    let runner: string;
    try {
        runner = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
    } catch {
        throw new ProgramLoadError(`the program's dependencies are not installed: @pulumi/pulumi cannot be found from ${dir}; run \`npm install\` (or \`pulumi install\`) there first`);
    }
    const sdkRoot = path.resolve(path.dirname(runner), "..", "..");
    const sdkVersion = String(JSON.parse(fs.readFileSync(path.join(sdkRoot, "package.json"), "utf8")).version ?? "unknown");
    // The runner must tell the engine when the program has finished (SignalAndWaitForShutdown), or an early
    // `process.exit(0)` could not be told from a finished program.
    if (!fs.readFileSync(runner, "utf8").includes("signalAndWaitForShutdown")) {
        throw new ProgramLoadError(`the program's @pulumi/pulumi ${sdkVersion} is too old for check (it does not report when the program has finished): upgrade it to a current 3.x release`);
    }
    return { runner, sdkVersion };
}

/** Reads and validates everything about a program directory, without running it. */
export function loadProgram(dir: string, options: LoadOptions = {}): ProgramInfo {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
        throw new ProgramLoadError(`program directory '${dir}' does not exist`);
    }
    const manifestFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
    if (!manifestFile) {
        throw new ProgramLoadError(`'${dir}' is not a Pulumi program: it has no Pulumi.yaml`);
    }
    const manifest = readYaml(manifestFile) ?? {};
    if (typeof manifest.name !== "string" || !manifest.name) {
        throw new ProgramLoadError(`${manifestFile} has no project 'name'`);
    }
    const runtime = typeof manifest.runtime === "string" ? manifest.runtime : manifest.runtime?.name;
    if (runtime !== "nodejs") {
        throw new ProgramLoadError(`'${dir}' is a ${runtime ?? "runtime-less"} Pulumi program; check runs nodejs (TypeScript/JavaScript) programs`);
    }
    const { pwd, entry } = pwdAndEntry(root, manifest.main, manifestFile);
    const stack = selectStack(options.stack, root, manifest.name);
    let config: StackConfig;
    try {
        config = resolveStackConfig(manifest.name, stack.name, manifest.config, stack.file ? readYaml(stack.file)?.config : undefined, options.config);
    } catch (err) {
        throw err instanceof StackConfigError ? new ProgramLoadError(err.message) : err;
    }
    return { dir: root, project: manifest.name, pwd, entry, ...runtimeOptions(manifest, manifestFile), ...locateRunner(pwd, dir), stack, config };
}
