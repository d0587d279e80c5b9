/**
 * The outside view: `npm pack` of a copy of the repository, installed into fresh projects in the OS temp directory
 * (outside the repository), the way a user installs the package. Packing and installing happen once per process and
 * are shared by the install specs and the benchmark. Installs prefer npm's cache (`npm ci` filled it).
 */
import { spawnSync, SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(__dirname, "fixtures");

export interface CommandResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** The Node.js running the tests first on PATH, so `npm`, `npx` and `#!/usr/bin/env node` scripts use it too. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
        npm_config_audit: "false",
        npm_config_fund: "false",
        npm_config_update_notifier: "false",
        ...extra,
    };
}

export function run(command: string, args: string[], cwd: string, options: SpawnSyncOptions = {}): CommandResult {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options, env: env(options.env) });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs a command that must succeed; the failure names the command and its output. */
export function must(command: string, args: string[], cwd: string, options: SpawnSyncOptions = {}): CommandResult {
    const result = run(command, args, cwd, options);
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    }
    return result;
}

const temporary: string[] = [];
process.on("exit", () => {
    for (const dir of temporary) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** A new directory outside the repository, removed when the process exits. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), `lcs-${prefix}-`));
    temporary.push(dir);
    return dir;
}

/** The files git would commit (tracked and new, not ignored) below `sub` of the repository. */
function sourceFiles(sub = "."): string[] {
    const listed = run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", sub], ROOT);
    if (listed.status !== 0) {
        throw new Error(`git ls-files failed: ${listed.stderr}`);
    }
    return listed.stdout.split("\0").filter(f => f && fs.existsSync(path.join(ROOT, f)));
}

/** Copies the repository's source files of `sub` into `dest` (relative to `sub`). */
export function copySources(dest: string, sub = "."): void {
    for (const file of sourceFiles(sub)) {
        const target = path.join(dest, path.relative(sub, file));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), target);
    }
}

/** The version of a package the repository's lockfile installed (so installs come from npm's cache). */
export function installedVersion(name: string): string {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version.replace(/^v/, "");
}

let tarball: string | undefined;

/**
 * `npm pack` of a copy of the repository, its build run by the package's own lifecycle scripts (prepack cleans,
 * prepare builds). The copy borrows the repository's node_modules for the build tools; the repository is untouched.
 */
export function packRoot(): string {
    if (!tarball) {
        const copy = tempDir("source");
        copySources(copy);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
        const out = tempDir("tarball");
        must("npm", ["pack", "--pack-destination", out], copy);
        const [file] = fs.readdirSync(out).filter(f => f.endsWith(".tgz"));
        tarball = path.join(out, file);
    }
    return tarball;
}

/** The files of a tarball as npm lists them. */
export function tarballFiles(file: string): string[] {
    const listed = must("tar", ["-tzf", file], path.dirname(file));
    return listed.stdout.split("\n").filter(Boolean).map(f => f.replace(/^package\//, "")).sort();
}

/** Copies a fixture directory into `dest`. */
export function copyFixture(name: string, dest: string): void {
    fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
}

/** Every installed copy of a package below `dir` (symlinks not followed). */
export function installedCopies(dir: string, name: string): string[] {
    const found: string[] = [];
    const walk = (modules: string) => {
        if (!fs.existsSync(modules)) {
            return;
        }
        for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
            if (!entry.isDirectory()) {
                continue;
            }
            const pkgs = entry.name.startsWith("@")
                ? fs.readdirSync(path.join(modules, entry.name), { withFileTypes: true }).filter(e => e.isDirectory()).map(e => `${entry.name}/${e.name}`)
                : [entry.name];
            for (const pkg of pkgs) {
                const pkgDir = path.join(modules, pkg);
                if (pkg === name && fs.existsSync(path.join(pkgDir, "package.json"))) {
                    found.push(path.relative(dir, pkgDir));
                }
                walk(path.join(pkgDir, "node_modules"));
            }
        }
    };
    walk(path.join(dir, "node_modules"));
    return found;
}

export interface Consumer {
    dir: string;
    /** The installed package, as its users' tools see it. */
    packageDir: string;
    /** npm's output of the install (warnings included). */
    installLog: string;
}

let consumer: Consumer | undefined;

/**
 * The program's own Pulumi packages: older than the repository's pins (3.270.0, 7.48.0) and inside the package's peer
 * ranges, as in a project that adopts lambda-code-signing later. npm must reuse them, not nest a second copy.
 */
export const CONSUMER_PULUMI = { "@pulumi/pulumi": "3.260.0", "@pulumi/aws": "7.40.0" };

/**
 * A Pulumi TypeScript program (fixtures/consumer) in a fresh directory that depends on its own @pulumi/pulumi and
 * @pulumi/aws and installs the packed tarball next to them.
 */
export function installedConsumer(): Consumer {
    if (!consumer) {
        const tarball = packRoot();
        const dir = tempDir("consumer");
        copyFixture("consumer", dir);
        const manifest = {
            name: "consumer-app",
            version: "1.0.0",
            private: true,
            scripts: { test: "mocha" },
            dependencies: { ...CONSUMER_PULUMI, "lambda-code-signing": `file:${tarball}` },
            devDependencies: Object.fromEntries(["@types/mocha", "@types/node", "mocha", "ts-node", "typescript"]
                .map(name => [name, installedVersion(name)])),
            // As the README recommends: no dependency install scripts (see "Install"). A package installed from a file
            // is keyed by its location; its `prepare` only builds a source checkout, there is nothing to build here.
            allowScripts: { "@pulumi/command": false, protobufjs: false, [`file:${tarball}`]: false },
        };
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
        const installed = must("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
        consumer = { dir, packageDir: path.join(dir, "node_modules", "lambda-code-signing"), installLog: installed.stdout + installed.stderr };
    }
    return consumer;
}
