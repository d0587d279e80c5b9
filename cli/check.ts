import * as fs from "fs";
import * as path from "path";
import { PolicyPackSession, startPolicyPack } from "../engine/analyzer";
import { Answers, readInvokeAnswers, readStackOutputs } from "../engine/answers";
import { runIsolated } from "../engine/isolatedRun";
import { killProcessTree, newRunMarker } from "../engine/processTree";
import { loadProgram } from "../engine/program";
import { PolicyPackConfigFile } from "../engine/types";
import { CheckInputError, CheckOptions } from "./args";
import { summarizeFunctions } from "./functionSummary";
import { resourceLocations } from "./locations";
import { CheckReport, coverageOf, policyStates, reportGaps, reportResources, reportViolations } from "./report";
import { toolInfo } from "./tool";

export { CHECK_USAGE, CheckInputError, CheckOptions, parseCheckArgs } from "./args";

/** What a check reports while it runs (progress for a terminal, the program's own output with --verbose). */
export interface CheckEvents {
    phase?(phase: "program" | "pack" | "policies"): void;
    registered?(count: number): void;
    programOutput?(stream: "stdout" | "stderr", text: string): void;
}

function readPolicyConfig(file: string | undefined): PolicyPackConfigFile | undefined {
    if (file === undefined) {
        return undefined;
    }
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new CheckInputError(`policy pack config '${file}' cannot be read`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new CheckInputError(`policy pack config '${file}' is not valid JSON: ${(err as Error).message}`);
    }
}

function checkPackDir(dir: string): void {
    if (!fs.existsSync(path.join(dir, "package.json"))) {
        throw new CheckInputError(`--policy-pack '${dir}' is not a policy pack directory (it has no package.json)`);
    }
}

/** Every input read and validated, before any process starts. */
function prepare(options: CheckOptions) {
    const program = loadProgram(options.programDir, { stack: options.stack, config: options.config });
    const config = readPolicyConfig(options.policyPackConfig);
    checkPackDir(options.policyPackDir);
    const answers: Answers = {
        stackOutputs: options.stackOutputs ? readStackOutputs(options.stackOutputs) : new Map(),
        invokes: options.invokeAnswers ? readInvokeAnswers(options.invokeAnswers) : new Map(),
    };
    return { program, config, answers };
}

/**
 * Runs the offline check: validates every input, runs the program in its own process under the offline engine,
 * then (only once every process of the program is gone, so it can never reach the pack) starts the policy pack and
 * evaluates it from here. Throws on input, program and pack failures; every process started is killed on the way out.
 */
export async function check(options: CheckOptions, events: CheckEvents = {}): Promise<CheckReport> {
    const { program, config, answers } = prepare(options);
    const mode = options.update ? "update" : "preview";
    const marker = newRunMarker();
    const killAll = () => killProcessTree(undefined, marker);
    process.on("exit", killAll);
    const deadline = () => Date.now() + options.timeoutSeconds * 1000;
    let pack: PolicyPackSession | undefined;
    try {
        events.phase?.("program");
        const run = await runIsolated(program, {
            preview: !options.update, timeoutMs: options.timeoutSeconds * 1000, marker, answers,
            onRegistered: events.registered, onOutput: events.programOutput,
        });
        killAll();
        events.phase?.("pack");
        pack = await startPolicyPack(options.policyPackDir, {
            project: program.project, stack: program.stack.name, organization: program.stack.organization, dryRun: !options.update, marker, deadline: deadline(),
        });
        const resolved = pack.resolveConfig(config);
        events.phase?.("policies");
        const diagnostics = await pack.analyze(run, config);
        const locations = resourceLocations(run, program.dir);
        const violations = reportViolations(diagnostics, run, run.gaps, locations);
        const functions = summarizeFunctions(run, resolved);
        return {
            version: 1,
            tool: toolInfo(),
            program: path.relative(process.cwd(), program.dir) || ".",
            project: program.project,
            stack: program.stack.name,
            organization: program.stack.organization,
            stackSource: program.stack.source,
            mode,
            policyPack: { name: pack.info.name, version: pack.info.version },
            policyConfig: options.policyPackConfig ?? null,
            policies: policyStates(resolved, pack.info.policies),
            resources: reportResources(run, locations),
            functions,
            violations,
            coverage: coverageOf(functions, violations),
            gaps: reportGaps(run.gaps),
        };
    } finally {
        await pack?.close();
        killAll();
        process.off("exit", killAll);
    }
}
