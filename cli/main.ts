import * as fs from "fs";
import { PolicyPackError } from "../engine/analyzer";
import { AnswersError } from "../engine/answers";
import { ProgramError } from "../engine/engine";
import { PolicyConfigError } from "../engine/policyConfig";
import { ProgramLoadError } from "../engine/program";
import { CHECK_USAGE, CheckInputError, OutputTarget, parseCheckArgs } from "./args";
import { check } from "./check";
import { renderReport } from "./formats";
import { PhaseTimings, Progress } from "./progress";
import { CheckReport } from "./report";
import { toolInfo } from "./tool";

const USAGE = `Usage: lambda-code-signing <command>

Commands:
  check [programDir] [options]   offline preview: run a Pulumi program with the code signing policy pack

Options:
  -h, --help                     show this help
      --version                  print the version

Run 'lambda-code-signing check --help' for the options of check.`;

/** One line naming the cause: what a user needs, not a stack dump. */
export function describeFailure(err: unknown): string {
    let message: string;
    if (err instanceof ProgramError) message = `the program failed: ${err.message}`;
    else if (err instanceof ProgramLoadError || err instanceof CheckInputError || err instanceof AnswersError || err instanceof PolicyConfigError) message = err.message;
    else if (err instanceof PolicyPackError) message = `the policy pack failed: ${err.message}`;
    else message = `unexpected failure: ${err instanceof Error ? err.message : String(err)}`;
    return message.replace(/\s*\n\s*/g, " ").trim();
}

/** Writes every document; files only once everything has been rendered, so a failure writes nothing. */
function writeOutputs(report: CheckReport, outputs: OutputTarget[]): void {
    const rendered = outputs.map((o) => ({ ...o, text: renderReport(report, o.format) }));
    for (const o of rendered) {
        if (o.file !== undefined) fs.writeFileSync(o.file, o.text);
    }
    for (const o of rendered) {
        if (o.file === undefined) process.stdout.write(o.text);
    }
}

function verboseDetails(err: unknown): string | undefined {
    if (err instanceof ProgramError && err.details) return err.details;
    if (err instanceof Error) return (err as any).cause?.stack ?? err.stack;
    return undefined;
}

/** Ctrl-C or a CI cancellation: exit 2 through the exit handlers, which kill every process the run started. */
function onSignal(signal: NodeJS.Signals): void {
    process.stderr.write(`\nerror: interrupted by ${signal}\n`);
    process.exit(2);
}

async function runCheck(args: string[]): Promise<number> {
    const verbose = args.includes("--verbose");
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const progress = new Progress(process.stderr);
    const timings = new PhaseTimings();
    try {
        const options = parseCheckArgs(args);
        const report = await check(options, {
            phase: (p) => (progress.phase(p), timings.phase(p)),
            registered: (n) => progress.registered(n),
            programOutput: verbose ? (stream, text) => progress.passThrough(stream, text) : undefined,
        });
        progress.done();
        if (verbose) process.stderr.write(`${timings.summary(report.resources.length)}\n`);
        writeOutputs(report, options.outputs);
        return report.coverage.mandatoryViolations > 0 ? 1 : 0;
    } catch (err) {
        progress.done();
        process.stderr.write(`error: ${describeFailure(err)}\n`);
        const details = verbose ? verboseDetails(err) : undefined;
        if (details) process.stderr.write(`${details.trimEnd()}\n`);
        return 2;
    }
}

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "--version" || command === "-v") {
        process.stdout.write(`${toolInfo().version}\n`);
        return 0;
    }
    if (command === undefined || command === "--help" || command === "-h") {
        (command === undefined ? process.stderr : process.stdout).write(USAGE + "\n");
        return command === undefined ? 2 : 0;
    }
    if (command !== "check") {
        process.stderr.write(`error: unknown command '${command}' (see lambda-code-signing --help)\n`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(CHECK_USAGE + "\n");
        return 0;
    }
    if (rest.includes("--version")) {
        process.stdout.write(`${toolInfo().version}\n`);
        return 0;
    }
    return runCheck(rest);
}
