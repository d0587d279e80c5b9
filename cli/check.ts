import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR, PolicyPackSession, startPolicyPack } from "../engine/analyzer";
import { runProgramDir } from "../engine/program";
import { PolicyPackConfigFile } from "../engine/types";
import { summarizeFunctions } from "./functionSummary";
import { CheckReport, coverageOf, reportResources, reportViolations } from "./report";
import { renderText } from "./render";

export const CHECK_USAGE = `Usage: lambda-code-signing check [programDir] [options]

Runs a Pulumi program offline (no cloud credentials, no backend) the way \`pulumi preview\` would,
evaluates the code signing policy pack like \`pulumi preview --policy-pack policies\`, and reports.

  programDir                     Pulumi program directory (default: examples/app)
  --policy-pack-config <file>    policy pack configuration, as for pulumi --policy-pack-config
                                 (default: <programDir>/policy-config.json when present)
  --policy-pack <dir>            policy pack directory (default: this package's policies/)
  --stack <name>                 stack name; reads Pulumi.<name>.yaml config (default: dev)
  --update                       fill outputs with plausible known values, as after \`pulumi up\`
  --json                         print one JSON document; no progress lines
  --verbose                      add stack traces to errors

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 the program or the pack failed.`;

export interface CheckOptions {
    programDir: string;
    policyPackConfig?: string;
    policyPackDir: string;
    stack: string;
    update: boolean;
    json: boolean;
    verbose: boolean;
}

/** Bad usage or input: reported as one line, exit code 2. */
export class CheckInputError extends Error {}

export function parseCheckArgs(argv: string[]): CheckOptions {
    const options: CheckOptions = { programDir: "examples/app", policyPackDir: DEFAULT_PACK_DIR, stack: "dev", update: false, json: false, verbose: false };
    let positional: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new CheckInputError(`${arg} needs a value`);
            }
            return v;
        };
        switch (arg) {
            case "--policy-pack-config": options.policyPackConfig = value(); break;
            case "--policy-pack": options.policyPackDir = path.resolve(value()); break;
            case "--stack": options.stack = value(); break;
            case "--update": options.update = true; break;
            case "--json": options.json = true; break;
            case "--verbose": options.verbose = true; break;
            default:
                if (arg.startsWith("-")) {
                    throw new CheckInputError(`unknown option ${arg}`);
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
    if (!/^[A-Za-z0-9_.-]+$/.test(options.stack)) {
        throw new CheckInputError(`--stack '${options.stack}' is not a valid stack name (letters, digits, _ . -)`);
    }
    return options;
}

function readPolicyConfig(options: CheckOptions): { file?: string; config?: PolicyPackConfigFile } {
    let file = options.policyPackConfig;
    if (file === undefined) {
        const beside = path.join(options.programDir, "policy-config.json");
        file = fs.existsSync(beside) ? beside : undefined;
    }
    if (file === undefined) {
        return {};
    }
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new CheckInputError(`policy pack config '${file}' cannot be read`);
    }
    try {
        return { file, config: JSON.parse(text) };
    } catch (err) {
        throw new CheckInputError(`policy pack config '${file}' is not valid JSON: ${(err as Error).message}`);
    }
}

/** Runs the offline check and returns the report (throws on program, pack or input failures). */
export async function check(options: CheckOptions, progress: (line: string) => void = () => undefined): Promise<CheckReport> {
    const { config } = readPolicyConfig(options);
    const mode = options.update ? "update" : "preview";
    progress(`Starting policy pack ${path.relative(process.cwd(), options.policyPackDir) || "."}…`);
    const packStarting = startPolicyPack(options.policyPackDir, { stack: options.stack, dryRun: !options.update });
    // Don't leave an unhandled rejection behind if the program fails first.
    packStarting.catch(() => undefined);
    let pack: PolicyPackSession | undefined;
    try {
        progress(`Running program ${options.programDir} (${mode})…`);
        const run = await runProgramDir(options.programDir, { preview: !options.update, stack: options.stack });
        pack = await packStarting;
        const resolvedConfig = pack.resolveConfig(config);
        progress("Evaluating policies…");
        const diagnostics = await pack.analyze(run, config);
        const violations = reportViolations(diagnostics);
        const functions = summarizeFunctions(run, resolvedConfig);
        return {
            version: 1,
            program: path.relative(process.cwd(), run.program.dir) || ".",
            project: run.project,
            stack: run.stack,
            mode,
            policyPack: { name: pack.info.name, version: pack.info.version },
            resources: reportResources(run),
            functions,
            violations,
            coverage: coverageOf(functions, violations),
        };
    } finally {
        pack = pack ?? (await packStarting.catch(() => undefined));
        await pack?.close();
    }
}

export function render(report: CheckReport, json: boolean): string {
    return json ? JSON.stringify(report, null, 2) + "\n" : renderText(report);
}
