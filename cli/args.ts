import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR } from "../engine/analyzer";
import { INVOKE_ANSWERS_OPTION, STACK_OUTPUTS_OPTION } from "../engine/answers";

export const FORMATS = ["text", "json", "sarif", "github", "markdown"] as const;
export type Format = typeof FORMATS[number];

/** One document to write: a format and where (a file, or stdout when `file` is absent). */
export interface OutputTarget {
    format: Format;
    file?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 300;

export interface CheckOptions {
    programDir: string;
    /** `--stack`; absent: the only stack file, or the default stack `dev` without configuration. */
    stack?: string;
    policyPackConfig?: string;
    policyPackDir: string;
    update: boolean;
    outputs: OutputTarget[];
    timeoutSeconds: number;
    stackOutputs?: string;
    invokeAnswers?: string;
    /** `--config key=value` overrides of the stack configuration. */
    config: Record<string, string>;
    verbose: boolean;
}

export const CHECK_USAGE = `Usage: lambda-code-signing check [programDir] [options]

Runs a Pulumi program offline (no cloud credentials, no backend) the way \`pulumi preview\` would, in its own
process, evaluates the code signing policy pack like \`pulumi preview --policy-pack\`, and reports.

  programDir                      Pulumi program directory (default: .)
  -s, --stack <stack>             <stack>, <org>/<stack> or <org>/<project>/<stack>; reads Pulumi.<stack>.yaml
                                  (default: the only Pulumi.<stack>.yaml, or stack "dev" without configuration)
  -c, --config <key>=<value>      set a configuration value for this run (repeatable), e.g. a secret's plaintext
      --policy-pack-config <file> policy pack configuration, as for pulumi --policy-pack-config (default: none,
                                  every policy at the level the pack gives it)
      --policy-pack <dir>         policy pack directory (default: the pack bundled with this package)
      --update                    judge the stack as after \`pulumi up\`: outputs known, programs run in update mode
      ${STACK_OUTPUTS_OPTION} <file>     outputs of referenced stacks: { "<org>/<project>/<stack>": { "outputs": {…},
                                  "secretOutputNames": […] } } (default: their outputs are unknown)
      ${INVOKE_ANSWERS_OPTION} <file>    results of provider functions: { "<token>": { …result } }
                                  (built in: aws getCallerIdentity, getPartition, getRegion, s3 getBucket)
      --format <format>           text (default), json, sarif, github (workflow annotations) or markdown
      --json                      same as --format json
  -o, --output <file>             write the preceding --format's document (text if none) to <file>; repeat
                                  --format/--output pairs to write several documents from one run
      --timeout <seconds>         time limit for the program and for the policy pack (default: ${DEFAULT_TIMEOUT_SECONDS})
      --verbose                   show the program's own output and stack traces of errors (on stderr)
  -h, --help                      show this help
      --version                   print the version

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 the input, the program or the pack failed.`;

/** Bad usage or input: reported as one line, exit code 2. */
export class CheckInputError extends Error {}

function isFormat(value: string): value is Format {
    return (FORMATS as readonly string[]).includes(value);
}

/** Parses `check`'s arguments; every value is checked here, before anything starts. */
export function parseCheckArgs(argv: string[]): CheckOptions {
    const options: CheckOptions = {
        programDir: ".", policyPackDir: DEFAULT_PACK_DIR, update: false, outputs: [], timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, config: {}, verbose: false,
    };
    const seen = new Set<string>();
    const once = (name: string) => {
        if (seen.has(name)) throw new CheckInputError(`${name} given twice`);
        seen.add(name);
    };
    let positional: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        let arg = argv[i];
        let inline: string | undefined;
        const eq = arg.indexOf("=");
        if (arg.startsWith("--") && eq > 0) {
            inline = arg.slice(eq + 1);
            arg = arg.slice(0, eq);
        }
        const value = () => {
            if (inline !== undefined) return inline;
            const v = argv[++i];
            if (v === undefined || (v.startsWith("-") && v.length > 1)) {
                throw new CheckInputError(`${arg} needs a value`);
            }
            return v;
        };
        switch (arg) {
            case "-s": case "--stack": once("--stack"); options.stack = value(); break;
            case "-c": case "--config": {
                const pair = value();
                const at = pair.indexOf("=");
                if (at <= 0) throw new CheckInputError(`--config '${pair}' must be <key>=<value>`);
                options.config[pair.slice(0, at)] = pair.slice(at + 1);
                break;
            }
            case "--policy-pack-config": once(arg); options.policyPackConfig = value(); break;
            case "--policy-pack": once(arg); options.policyPackDir = path.resolve(value()); break;
            case "--update": options.update = true; break;
            case STACK_OUTPUTS_OPTION: once(arg); options.stackOutputs = value(); break;
            case INVOKE_ANSWERS_OPTION: once(arg); options.invokeAnswers = value(); break;
            case "--json": options.outputs.push({ format: "json" }); break;
            case "--format": {
                const format = value();
                if (!isFormat(format)) throw new CheckInputError(`--format '${format}' is not one of ${FORMATS.join(", ")}`);
                options.outputs.push({ format });
                break;
            }
            case "-o": case "--output": {
                const file = value();
                const last = options.outputs[options.outputs.length - 1];
                if (last && last.file === undefined) last.file = file;
                else options.outputs.push({ format: "text", file });
                break;
            }
            case "--timeout": {
                once(arg);
                const text = value();
                const seconds = Number(text);
                if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw new CheckInputError(`--timeout '${text}' must be a positive number of seconds`);
                options.timeoutSeconds = seconds;
                break;
            }
            case "--verbose": options.verbose = true; break;
            default:
                if (arg.startsWith("-")) {
                    throw new CheckInputError(`unknown option ${arg} (see lambda-code-signing check --help)`);
                }
                if (positional !== undefined) {
                    throw new CheckInputError(`unexpected argument '${arg}' (one program directory at most)`);
                }
                positional = arg;
        }
    }
    if (positional !== undefined) {
        options.programDir = positional;
    }
    if (options.outputs.length === 0) {
        options.outputs.push({ format: "text" });
    }
    validateOutputs(options.outputs);
    return options;
}

function validateOutputs(outputs: OutputTarget[]): void {
    const toStdout = outputs.filter((o) => o.file === undefined);
    if (toStdout.length > 1) {
        throw new CheckInputError(`--format ${toStdout.map((o) => o.format).join(" and ")} would both go to stdout: give all but one an --output file`);
    }
    const files = new Set<string>();
    for (const { file } of outputs) {
        if (file === undefined) continue;
        const resolved = path.resolve(file);
        if (files.has(resolved)) throw new CheckInputError(`--output ${file} given twice`);
        files.add(resolved);
        if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
            throw new CheckInputError(`--output ${file} is a directory`);
        }
        const parent = path.dirname(resolved);
        if (!fs.existsSync(parent) || !fs.statSync(parent).isDirectory()) {
            throw new CheckInputError(`--output ${file}: directory ${parent} does not exist`);
        }
    }
}
