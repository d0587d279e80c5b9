import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { PROGRAM_SDK_VARIABLE, preloadNodeOptions } from "./childPreload";
import { Answers } from "./answers";
import { EngineGap, EngineLog, MockState, OfflineEngine, ProgramError, RunResult } from "./engine";
import { DEFAULT_ACCOUNT, MockAccount } from "./mockOutputs";
import { killProcessTree, RUN_MARKER_VARIABLE } from "./processTree";
import { ProgramInfo } from "./program";
import { EngineServer } from "./server";
import { configEnvironment } from "./stackConfig";

// Runs an untrusted Pulumi program the way the Pulumi CLI runs a Node.js language host's program: in its own process
// (`node [nodeargs] <program's @pulumi/pulumi/cmd/run> --monitor … --engine … <entry>`), talking gRPC to the offline
// engine in this process. The program controls nothing but its own process: its exit code, output and exit handlers
// are evidence, never the verdict, and every way of not finishing properly is a ProgramError.

export interface IsolatedRunOptions {
    preview: boolean;
    /** The program must finish (and exit) within this time. */
    timeoutMs: number;
    /** Marks every process of this run (see processTree). */
    marker: string;
    answers?: Answers;
    account?: MockAccount;
    onRegistered?: (count: number) => void;
    /** The program's own stdout/stderr, as it arrives (never mixed into a report). */
    onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

export interface IsolatedRunResult extends RunResult {
    program: ProgramInfo;
    gaps: EngineGap[];
    logs: EngineLog[];
}

const TAIL = 16 * 1024;

/** The environment of the program's process: the user's, with the language host's variables set like the CLI sets them. */
function programEnvironment(info: ProgramInfo, marker: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^PULUMI_(CONFIG|CONFIG_SECRET_KEYS|NODEJS_(?!TRANSPILE_ONLY$).*)$/.test(k) && k !== RUN_MARKER_VARIABLE && k !== PROGRAM_SDK_VARIABLE) {
            env[k] = v;
        }
    }
    Object.assign(env, configEnvironment(info.config), { [RUN_MARKER_VARIABLE]: marker });
    env.NODE_OPTIONS = preloadNodeOptions(process.env.NODE_OPTIONS);
    env[PROGRAM_SDK_VARIABLE] = path.resolve(path.dirname(info.runner), "..", "..");
    if (info.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (info.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = info.tsconfig;
    return env;
}

/** A program's multi-line error (an SDK log or a crash) as one line: header, stack frames and blank lines dropped. */
export function oneLine(message: string): string {
    // eslint-disable-next-line no-control-regex
    const lines = message.replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim());
    const firstFrame = lines.findIndex((l) => /^at\s/.test(l));
    const kept = (firstFrame >= 0 ? lines.slice(0, firstFrame) : lines)
        .filter((l, i) => !(i === 0 && /^Running program '.*' failed with an unhandled exception:$/.test(l)))
        .filter((l) => l !== "" && !/^\^+$/.test(l));
    return kept.join(" ").replace(/^Error: /, "").replace(/\s+/g, " ").trim();
}

/**
 * The Node.js SDK cannot read an asset with empty text back (`rpc.deserializeProperty` wants a path, a URI or non-empty
 * text). After a deployment it reads every input the engine did not return by round-tripping it itself, and the Pulumi
 * engine returns an empty text asset hash-only (`asset.Serialize` omits empty text): `pulumi up` fails the same way,
 * whatever an engine answers. A FileAsset of an empty file has a path and round-trips.
 */
const UNREADABLE_ASSET = "Invalid asset encountered when unmarshaling resource property";

function withHints(message: string, info: ProgramInfo): string {
    const missing = /Cannot find module '([^'./][^']*)'/.exec(message)?.[1];
    if (missing) {
        return `${message} (run \`npm install\` in ${info.dir} to install the program's dependencies)`;
    }
    if (message.includes(UNREADABLE_ASSET)) {
        return `${message} (an asset with empty text, such as new pulumi.asset.StringAsset(""), cannot be read back by the Node.js SDK after a deployment, and \`pulumi up\` fails the same way: use a FileAsset of an empty file instead)`;
    }
    return message;
}

function classify(info: ProgramInfo, engine: OfflineEngine, exit: { code: number | null; signal: string | null }, stderr: string): ProgramError | undefined {
    const unanswered = engine.gaps.find((g) => g.kind === "invoke" || g.kind === "call");
    if (unanswered) {
        return new ProgramError(unanswered.kind === "invoke"
            ? `the program called the provider function '${unanswered.subject}', which the offline check cannot answer: give its result with ${unanswered.option} FILE`
            : `the program called the provider method '${unanswered.subject}', which the offline check cannot run`);
    }
    const error = engine.logs.find((l) => l.severity === "error");
    if (error) {
        return new ProgramError(withHints(oneLine(error.message), info), undefined, error.message);
    }
    if (exit.code !== 0) {
        const first = stderr.split("\n").map((l) => l.trim()).find((l) => l && !/^\(node:\d+\)/.test(l));
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const when = engine.shutdownSignalled ? "" : " before it finished";
        return new ProgramError(withHints(`the program ${how}${when}${first ? `: ${oneLine(first).slice(0, 300)}` : ""}`, info), undefined, stderr);
    }
    if (!engine.shutdownSignalled) {
        return new ProgramError("the program exited before it finished (it called process.exit() or was stopped), so its resources cannot be judged");
    }
    return undefined;
}

function startProgram(info: ProgramInfo, address: string, options: IsolatedRunOptions): ChildProcess {
    const args = [
        ...info.nodeArgs, info.runner,
        "--monitor", address, "--engine", address,
        "--organization", info.stack.organization, "--project", info.project, "--stack", info.stack.name,
        "--pwd", info.pwd, ...(options.preview ? ["--dry-run"] : []), info.entry,
    ];
    return spawn(process.execPath, args, { cwd: info.pwd, env: programEnvironment(info, options.marker), stdio: ["ignore", "pipe", "pipe"], detached: true });
}

/** Runs the program under the offline engine in its own process and returns what it registered. */
export async function runIsolated(info: ProgramInfo, options: IsolatedRunOptions): Promise<IsolatedRunResult> {
    const engine = new OfflineEngine({
        project: info.project, stack: info.stack.name, organization: info.stack.organization, preview: options.preview,
        account: options.account ?? DEFAULT_ACCOUNT, state: new MockState(), baseDir: info.pwd, config: info.config.values,
        answers: options.answers, onRegistered: options.onRegistered,
    });
    const server = await EngineServer.start(engine);
    let child: ChildProcess | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
        child = startProgram(info, server.address, options);
        let stderr = "";
        child.stdout!.on("data", (chunk: Buffer) => options.onOutput?.("stdout", chunk.toString()));
        child.stderr!.on("data", (chunk: Buffer) => {
            stderr = (stderr + chunk.toString()).slice(-TAIL);
            options.onOutput?.("stderr", chunk.toString());
        });
        const started = child;
        const closed = new Promise((resolve) => started.once("close", resolve));
        const exit = await new Promise<{ code: number | null; signal: string | null } | "timeout">((resolve, reject) => {
            timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
            started.once("error", (err) => reject(new ProgramError(`cannot start the program: ${err.message}`, err)));
            // "exit", not "close": a process the program started may hold its output pipes open.
            started.once("exit", (code, signal) => resolve({ code, signal }));
        });
        if (exit === "timeout") {
            throw new ProgramError(`the program did not finish within ${Math.round(options.timeoutMs / 1000)} s (raise the limit with --timeout)`);
        }
        killProcessTree(started.pid, options.marker);
        // Its last output (an error message) may still be in the pipes: a moment to read it.
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 500))]);
        await server.idle();
        const failure = classify(info, engine, exit, stderr);
        if (failure) {
            throw failure;
        }
        return { ...engine.result(), program: info, gaps: engine.gaps, logs: engine.logs };
    } finally {
        clearTimeout(timer);
        killProcessTree(child?.pid, options.marker);
        server.stop();
        engine.close();
    }
}
