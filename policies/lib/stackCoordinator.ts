/**
 * PACK RUNTIME ONLY (installed from policies/index.ts; tests of the rules and the CLI never load it implicitly).
 *
 * Why: for EVERY stack policy, @pulumi/policy's AnalyzeStack handler rebuilds a PolicyResource (proxy, options,
 * provider, property dependencies, URN maps) for every resource of the stack before calling `validateStack`. That
 * per-policy loop, not our rules, dominates AnalyzeStack on large stacks: three graph policies cost ~1.6× one policy
 * even with shared deserialization and a shared graph. So the three graph policies are evaluated in ONE server pass.
 *
 * How:
 *  - The pack captures the `Configure` request (the per-policy enforcement levels and config the engine sends after
 *    reconciling `--policy-pack-config` and schema defaults) when, and only when, the server has accepted it
 *    (serverHooks.ts wraps the server's Configure handler): a refused Configure leaves both the server's config and the
 *    captured one unchanged.
 *  - Each coordinated policy's `validateStack` becomes a getter. Once a Configure has been captured, the LEADER (the
 *    first coordinated policy whose level is not "disabled") returns a function that runs every non-disabled
 *    coordinated policy's own `validateStack`, each with its own config, reporting under its own name, description
 *    and level through the object form of `reportViolation`. The other coordinated policies return `undefined`, so
 *    the server treats them as "not a stack policy" for that request and skips them silently.
 *  - Before the first Configure the server uses each policy's own level and an empty config; the coordinator assumes
 *    exactly that (an empty captured map), so a single pass is used from the first request on.
 *  - If the capture can't be installed, every getter returns the policy's own `validateStack`: each policy runs by
 *    itself, exactly as @pulumi/policy intends (still sharing the graph cache).
 *
 * Verdicts are identical either way: same rule code, same config, same level, same name, same message
 * ("description\nmessage", as the server formats string violations).
 */
import * as path from "path";
import type { EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { installServerHooks, onAcceptedConfigure } from "./serverHooks";

interface CapturedPolicyConfig {
    level: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * The last Configure request's per-policy config: an empty map (server defaults) until the first Configure;
 * undefined when the capture isn't installed (coordination off).
 */
let captured: Map<string, CapturedPolicyConfig> | undefined;
let installed = false;
/** True while the server describes the pack (GetAnalyzerInfo): every policy must then show its real kind. */
let describing = false;

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** The server's reading of a Configure request (levels and properties per policy), or undefined if it differs. */
export function parseConfigure(request: any): Map<string, CapturedPolicyConfig> | undefined {
    let out: Map<string, CapturedPolicyConfig> | undefined = new Map();
    try {
        // Policy names are the keys of a protobuf map<string, PolicyConfig>: always strings.
        for (const [name, v] of request.getPolicyconfigMap().entries()) {
            const level = LEVELS[v.getEnforcementlevel()];
            if (!level) {
                return undefined;
            }
            const props = v.getProperties().toJavaScript();
            delete props.enforcementLevel;
            out.set(name, { level, properties: props });
        }
    } catch {
        out = undefined;
    }
    return out;
}

/** Records an accepted Configure request (serverHooks calls this from the server's success callback). */
export function captureAcceptedConfigure(request: unknown): void {
    captured = parseConfigure(request);
}

/**
 * Installs the Configure capture once per process. Returns false when the server's modules can't be found or
 * patched (then coordination simply stays inactive).
 */
export function installConfigureCapture(): boolean {
    if (installed) {
        return true;
    }
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const protoutil = require(path.join(policyDir, "protoutil"));
        const makeAnalyzerInfo = protoutil.makeAnalyzerInfo;
        if (typeof makeAnalyzerInfo !== "function" || !installServerHooks()) {
            return false;
        }
        // GetAnalyzerInfo reads `validateStack` to tell stack from resource policies: answer truthfully there.
        protoutil.makeAnalyzerInfo = function (this: unknown, ...rest: unknown[]) {
            describing = true;
            try {
                return makeAnalyzerInfo.apply(this, rest);
            } finally {
                describing = false;
            }
        };
        onAcceptedConfigure(captureAcceptedConfigure);
        installed = true;
        captured = new Map();
        return true;
    } catch {
        return false;
    }
}

/**
 * For tests: "defaults" forgets the captured Configure (server defaults again); "off" disables coordination as if
 * the capture could not be installed.
 */
export function resetConfigureCapture(mode: "defaults" | "off" = "defaults"): void {
    captured = mode === "defaults" && installed ? new Map() : undefined;
}

function effectiveLevel(p: StackValidationPolicy, packLevel: EnforcementLevel): EnforcementLevel {
    return captured?.get(p.name)?.level || p.enforcementLevel || packLevel;
}

/**
 * Wraps stack policies so that, once the engine's Configure has been captured, a single server pass evaluates all of
 * them. The returned objects are new; the originals (exported by the rule modules) are untouched.
 */
export function coordinateStackPolicies(policies: StackValidationPolicy[], packLevel: EnforcementLevel): StackValidationPolicy[] {
    const originals = policies.map(p => ({ policy: p, validate: p.validateStack }));

    const runAll = (args: StackValidationArgs, reportViolation: ReportViolation, leader: StackValidationPolicy) => {
        for (const { policy, validate } of originals) {
            const level = effectiveLevel(policy, packLevel);
            if (level === "disabled") {
                continue;
            }
            const entry = captured?.get(policy.name);
            if (policy === leader) {
                // The server applies the leader's own level and description; its config is the same Configure entry.
                validate(entry ? { ...args, getConfig: <T extends object>() => ({ ...entry.properties }) as T } : args, reportViolation);
                continue;
            }
            const properties = entry?.properties ?? {};
            const report = ((message: string, urn?: string) => {
                (reportViolation as unknown as (v: object) => void)({
                    name: policy.name,
                    description: policy.description,
                    message: message ? `${policy.description}\n${message}` : policy.description,
                    urn,
                    // Stack policies can't remediate: the server reports "remediate" as "mandatory".
                    enforcementLevel: level === "remediate" ? "mandatory" : level,
                });
            }) as ReportViolation;
            validate({ ...args, getConfig: <T extends object>() => ({ ...properties }) as T }, report);
        }
    };

    return originals.map(({ policy, validate }) => {
        const wrapped: StackValidationPolicy = { ...policy };
        Object.defineProperty(wrapped, "validateStack", {
            enumerable: true,
            configurable: true,
            get() {
                if (!captured || describing) {
                    return validate;
                }
                const leader = originals.find(o => effectiveLevel(o.policy, packLevel) !== "disabled")?.policy;
                if (leader !== policy) {
                    return undefined;
                }
                return (args: StackValidationArgs, reportViolation: ReportViolation) => runAll(args, reportViolation, policy);
            },
        });
        return wrapped;
    });
}
