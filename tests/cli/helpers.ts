import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CheckReport } from "../../cli/report";
import { descendantsOf, isAlive } from "../../engine/processTree";

export const ROOT = path.join(__dirname, "..", "..");
export const FIXTURES = path.join(__dirname, "fixtures");
export const BIN = path.join(ROOT, "bin", "lambda-code-signing.js");

export interface CommandResult {
    status: number | null;
    stdout: string;
    stderr: string;
    /** Every process the command started (children, grandchildren, …), seen while it ran. */
    processes: number[];
}

export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
}

/** Runs `lambda-code-signing <args>` as a user does, recording every process it starts. */
export function run(args: string[], options: RunOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const seen = new Set<number>();
        const watch = setInterval(() => descendantsOf(child.pid!).forEach((p) => seen.add(p)), 25);
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", (status) => {
            clearInterval(watch);
            resolve({ status, stdout, stderr, processes: [...seen] });
        });
    });
}

/** `check <args>`. */
export function check(...args: string[]): Promise<CommandResult> {
    return run(["check", ...args]);
}

/** Runs independent commands two at a time (the machines have two cores). */
export async function runAll<T>(jobs: (() => Promise<T>)[], parallel = 2): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            results[i] = await jobs[i]();
        }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
    return results;
}

export function json(result: CommandResult): CheckReport {
    try {
        return JSON.parse(result.stdout);
    } catch {
        throw new Error(`stdout is not a JSON document (exit ${result.status}):\n${result.stdout.slice(0, 500)}\n${result.stderr}`);
    }
}

export function fixture(name: string): string {
    return path.join(FIXTURES, name);
}

/** Every file below a directory with its size and modification time: to prove a command wrote nothing there. */
export function snapshot(dir: string): string[] {
    return (fs.readdirSync(dir, { recursive: true } as any) as string[]).map(String).sort()
        .map((f) => {
            const stat = fs.statSync(path.join(dir, f));
            return `${f}@${stat.size}@${stat.mtimeMs}`;
        });
}

/** The command failed the way every failure must: exit 2, exactly one `error:` line, no stack trace, no stdout. */
export function assertOneLineFailure(result: CommandResult, message: RegExp): void {
    assert.strictEqual(result.status, 2, `exit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    const lines = result.stderr.split("\n").filter((l) => l.trim());
    assert.strictEqual(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
    assert.match(lines[0], /^error: /);
    assert.match(lines[0], message);
    assert.strictEqual(result.stdout, "", "nothing on stdout");
}

/** No process the command started is still alive once it has exited. */
export function assertNoSurvivors(result: CommandResult): void {
    assert.ok(result.processes.length > 0, "the command started processes (the watch saw none)");
    const alive = result.processes.filter(isAlive);
    assert.deepStrictEqual(alive, [], `processes outlived the command: ${alive.join(", ")}`);
}

export function nameOf(report: CheckReport, urn: string): string {
    return report.resources.find((r) => r.urn === urn)?.name ?? urn;
}
