import * as fs from "fs";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "./wireValues";

// What the offline engine cannot know without a cloud or a backend, supplied by the user: the outputs of the stacks a
// program references (`new pulumi.StackReference(...)`) and the results of provider functions (invokes).

/** An answers file is unusable: one line naming the file and the fix. */
export class AnswersError extends Error {}

/** One referenced stack, as the engine's StackReference resource carries it. */
export interface StackOutputs {
    outputs: Record<string, unknown>;
    secretOutputNames: string[];
}

/** The option that supplies answers of each kind: named in every message about a missing answer. */
export const STACK_OUTPUTS_OPTION = "--stack-outputs";
export const INVOKE_ANSWERS_OPTION = "--invoke-answers";

function readJson(file: string, option: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new AnswersError(`${option} file '${file}' cannot be read`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new AnswersError(`${option} file '${file}' is not valid JSON: ${(err as Error).message}`);
    }
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Reads `{ "<org>/<project>/<stack>": { "outputs": {...}, "secretOutputNames": [...] } }`: `outputs` is what
 * `pulumi stack output --json --show-secrets` prints for that stack; names listed in `secretOutputNames` reach the
 * program as secrets.
 */
export function readStackOutputs(file: string): Map<string, StackOutputs> {
    const doc = readJson(file, STACK_OUTPUTS_OPTION);
    const where = `${STACK_OUTPUTS_OPTION} file '${file}'`;
    if (!isRecord(doc)) {
        throw new AnswersError(`${where}: expected an object mapping stack names to { "outputs": {...} }`);
    }
    const answers = new Map<string, StackOutputs>();
    for (const [stack, entry] of Object.entries(doc)) {
        if (!isRecord(entry) || !isRecord(entry.outputs)) {
            throw new AnswersError(`${where}: "${stack}" needs an "outputs" object`);
        }
        const unknownKeys = Object.keys(entry).filter((k) => k !== "outputs" && k !== "secretOutputNames");
        if (unknownKeys.length > 0) {
            throw new AnswersError(`${where}: "${stack}" has unknown key "${unknownKeys[0]}" (allowed: outputs, secretOutputNames)`);
        }
        const secrets = entry.secretOutputNames ?? [];
        if (!Array.isArray(secrets) || secrets.some((s) => typeof s !== "string")) {
            throw new AnswersError(`${where}: "${stack}".secretOutputNames must be a list of output names`);
        }
        const missing = (secrets as string[]).find((s) => !(s in (entry.outputs as Record<string, unknown>)));
        if (missing !== undefined) {
            throw new AnswersError(`${where}: "${stack}".secretOutputNames names "${missing}", which is not in its outputs`);
        }
        answers.set(stack, { outputs: entry.outputs, secretOutputNames: secrets as string[] });
    }
    return answers;
}

/** The properties of a `pulumi:pulumi:StackReference` resource in wire format, secret outputs wrapped. */
export function stackReferenceState(name: string, answer: StackOutputs): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(answer.outputs)) {
        outputs[key] = answer.secretOutputNames.includes(key) ? { [SPECIAL_SIG_KEY]: SECRET_SIG, value } : value;
    }
    return { name, outputs, secretOutputNames: answer.secretOutputNames };
}

/**
 * Finds the answer for a referenced stack name: exactly as written in the program, or once both names are fully
 * qualified with the program's own organization and project (`prod` = `<org>/<project>/prod`).
 */
export function findStackOutputs(answers: Map<string, StackOutputs>, name: string, organization: string, project: string): StackOutputs | undefined {
    const exact = answers.get(name);
    if (exact) {
        return exact;
    }
    const qualify = (n: string): string => {
        const parts = n.split("/");
        return parts.length === 1 ? `${organization}/${project}/${n}` : parts.length === 2 ? `${parts[0]}/${project}/${parts[1]}` : n;
    };
    const wanted = qualify(name);
    for (const [key, value] of answers) {
        if (qualify(key) === wanted) {
            return value;
        }
    }
    return undefined;
}

/** Reads `{ "<invoke token>": { ...result } }`, e.g. `{ "aws:ec2/getVpc:getVpc": { "id": "vpc-1", "cidrBlock": "10.0.0.0/16" } }`. */
export function readInvokeAnswers(file: string): Map<string, Record<string, unknown>> {
    const doc = readJson(file, INVOKE_ANSWERS_OPTION);
    const where = `${INVOKE_ANSWERS_OPTION} file '${file}'`;
    if (!isRecord(doc)) {
        throw new AnswersError(`${where}: expected an object mapping invoke tokens (e.g. "aws:ec2/getVpc:getVpc") to results`);
    }
    const answers = new Map<string, Record<string, unknown>>();
    for (const [token, result] of Object.entries(doc)) {
        if (!/^[^:\s]+:[^:\s]*:[^:\s]+$/.test(token)) {
            throw new AnswersError(`${where}: "${token}" is not an invoke token (<package>:<module>:<function>, e.g. "aws:ec2/getVpc:getVpc")`);
        }
        if (!isRecord(result)) {
            throw new AnswersError(`${where}: the result for "${token}" must be an object of the function's outputs`);
        }
        answers.set(token, result);
    }
    return answers;
}

/** Everything the user answered for this run. */
export interface Answers {
    stackOutputs: Map<string, StackOutputs>;
    invokes: Map<string, Record<string, unknown>>;
}

export function noAnswers(): Answers {
    return { stackOutputs: new Map(), invokes: new Map() };
}
