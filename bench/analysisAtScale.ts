import { PolicyPackSession, startPolicyPack } from "../engine/analyzer";
import { CapturedStack } from "../engine/types";
import { PACKS } from "./coldStart";
import { scaleStack } from "./scaleStack";
import { medianMs, RUNS } from "./timing";

export interface ScaleResult {
    functions: number;
    resources: number;
    stack: { ours: number; empty: number };
    perResource: { ours: number; empty: number };
    oursMandatory: number;
}

async function measure(pack: PolicyPackSession, stack: CapturedStack, runs: number) {
    await pack.configure(stack, pack.resolveConfig());
    const prepared = pack.analyzeStackRequest(stack);
    const stackMs = await medianMs(() => pack.analyzeStack(prepared), runs);
    // One run: ~1 ms per resource round trip makes this the slowest step, and it is a reference figure, not a target.
    const perResourceMs = await medianMs(() => pack.analyzeResources(stack), 1, 0);
    const verdicts = await pack.analyzeStack(prepared);
    return { stackMs, perResourceMs, mandatory: verdicts.filter((d) => d.level === "mandatory").length };
}

/** AnalyzeStack (and the per-resource Analyze path) over large stacks, for our pack and an empty stack policy. */
export async function analysisAtScale(sizes: number[], runs = RUNS): Promise<ScaleResult[]> {
    const ours = await startPolicyPack(PACKS.ours);
    const empty = await startPolicyPack(PACKS.empty);
    try {
        const results: ScaleResult[] = [];
        for (const functions of sizes) {
            const stack = await scaleStack(functions);
            const a = await measure(ours, stack, runs);
            const b = await measure(empty, stack, runs);
            results.push({
                functions, resources: stack.resources.length,
                stack: { ours: a.stackMs, empty: b.stackMs },
                perResource: { ours: a.perResourceMs, empty: b.perResourceMs },
                oursMandatory: a.mandatory,
            });
        }
        return results;
    } finally {
        await ours.close();
        await empty.close();
    }
}
