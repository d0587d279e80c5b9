import * as path from "path";
import { PolicyPackError } from "../engine/analyzer";
import { ProgramError } from "../engine/capture";
import { PolicyConfigError } from "../engine/policyConfig";
import { ProgramLoadError } from "../engine/program";
import { packageRoot } from "../engine/sdkModules";
import { check, CHECK_USAGE, CheckInputError, parseCheckArgs, render } from "./check";

const USAGE = `Usage: lambda-code-signing <command>

Commands:
  check [programDir] [options]   offline preview: run a Pulumi program with the code signing policy pack

Options:
  --version                      print the version of lambda-code-signing
  --help                         print this help

Run 'lambda-code-signing check --help' for the options.`;

/** One line naming the cause: what a user needs, not a stack dump. */
function describeFailure(err: unknown): string {
    if (err instanceof ProgramError) return `the program failed: ${err.message}`;
    if (err instanceof ProgramLoadError || err instanceof CheckInputError) return err.message;
    if (err instanceof PolicyConfigError) return err.message;
    if (err instanceof PolicyPackError) return `the policy pack failed: ${err.message}`;
    return `unexpected failure: ${err instanceof Error ? err.message : String(err)}`;
}

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h") {
        process.stdout.write(USAGE + "\n");
        return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        process.stdout.write(`${require(path.join(packageRoot(), "package.json")).version}\n`);
        return 0;
    }
    if (command !== "check") {
        process.stderr.write(`error: unknown command '${command}'\n${USAGE}\n`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(CHECK_USAGE + "\n");
        return 0;
    }
    const verbose = rest.includes("--verbose");
    try {
        const options = parseCheckArgs(rest);
        const progress = options.json ? undefined : (line: string) => process.stderr.write(line + "\n");
        const report = await check(options, progress);
        process.stdout.write(render(report, options.json));
        return report.coverage.mandatoryViolations > 0 ? 1 : 0;
    } catch (err) {
        process.stderr.write(`error: ${describeFailure(err).split("\n")[0]}\n`);
        if (verbose && err instanceof Error) {
            process.stderr.write(`${(err as any).cause?.stack ?? err.stack}\n`);
        }
        return 2;
    }
}
