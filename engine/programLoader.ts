import * as fs from "fs";
import * as path from "path";

/** Which TypeScript toolchain compiles the program's `.ts` files (module paths); none when a `.ts` hook existed. */
export interface TypeScriptLoader {
    typescript?: string;
    tsNode?: string;
}

function resolveFrom(dir: string, id: string): string | undefined {
    try {
        return require.resolve(id, { paths: [dir] });
    } catch {
        return undefined;
    }
}

/** The @pulumi/pulumi the program runs with (its own, else ours): its vendored toolchain is the fallback. */
function sdkDir(programDir: string): string {
    const manifest = resolveFrom(programDir, "@pulumi/pulumi/package.json") ?? require.resolve("@pulumi/pulumi/package.json");
    return path.dirname(manifest);
}

/** The `compilerOptions` of a tsconfig.json, as Pulumi's tsutils reads them (JSON with comments). */
function tsconfigCompilerOptions(ts: any, file: string): Record<string, unknown> {
    try {
        const parsed = ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8"));
        return parsed.config?.compilerOptions ?? {};
    } catch {
        return {};
    }
}

/**
 * The toolchain Pulumi's Node.js language host would use for a program (@pulumi/pulumi `tsutils`): the program
 * project's own `typescript` and `ts-node`, each independently, otherwise the copies vendored in @pulumi/pulumi.
 */
export function typeScriptToolchain(programDir: string): Required<TypeScriptLoader> {
    const vendor = path.join(sdkDir(programDir), "vendor");
    return {
        typescript: resolveFrom(programDir, "typescript") ?? path.join(vendor, "typescript@3.8.3", "typescript.js"),
        tsNode: resolveFrom(programDir, "ts-node") ?? path.join(vendor, "ts-node@7.0.1"),
    };
}

let registered: TypeScriptLoader | undefined;

/**
 * Lets `require` load the program's TypeScript the way Pulumi's Node.js language host does (@pulumi/pulumi
 * `cmd/run`): the toolchain of `typeScriptToolchain`, the project's tsconfig.json over Pulumi's defaults.
 * Transpile-only: types are not checked. Call with the working directory set to the program directory (ts-node 7
 * reads it from there). Registers once per process; a `.ts` hook already installed (e.g. by mocha) is kept.
 */
export function registerTypeScript(programDir: string): TypeScriptLoader {
    if (registered) {
        return registered;
    }
    if (require.extensions[".ts"]) {
        registered = {};
        return registered;
    }
    const { typescript, tsNode } = typeScriptToolchain(programDir);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ts = require(typescript);
    const [major, minor] = String(ts.version).split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const tsconfig = path.join(programDir, "tsconfig.json");
    const hasTsconfig = fs.existsSync(tsconfig);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require(tsNode).register({
        compiler: typescript,
        transpileOnly: true,
        project: hasTsconfig ? tsconfig : undefined,
        skipProject: !hasTsconfig,
        // ts-node 7 caches compiled files in the OS temp directory unless told not to; `check` writes nothing.
        cache: false,
        compilerOptions: {
            target: "ES2020",
            module: nodeNext ? "nodenext" : "commonjs",
            moduleResolution: nodeNext ? "nodenext" : "node",
            sourceMap: true,
            ...(hasTsconfig ? tsconfigCompilerOptions(ts, tsconfig) : {}),
        },
    });
    registered = { typescript, tsNode };
    return registered;
}
