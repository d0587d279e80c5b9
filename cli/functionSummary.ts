import { RunResult } from "../engine/capture";
import { ResolvedPolicyConfig } from "../engine/policyConfig";
import { FunctionSummary } from "./report";

// TEMPORARY until the policy graph module lands.
export function summarizeFunctions(_run: RunResult, _config: Record<string, ResolvedPolicyConfig>): FunctionSummary[] {
    return [];
}
