/**
 * The lambda-code-signing policies as a library (`lambda-code-signing/policies`): compose them into your own pack.
 *
 *     policies: [...lambdaCodeSigningPolicies({ all: "mandatory", "lambda-signed-layers": { trustedLayerArns } }), ...own]
 *
 * Importing this module has no side effects: no server starts and nothing is patched. Calling the factory installs,
 * in the `@pulumi/policy` this library resolves, what every pack serving these policies needs to stay correct: a
 * deserializer that accepts every value the engine sends (an empty text asset would otherwise fail every policy of the
 * request) and handlers that answer every request (see lib/sharedDeserialization.ts, lib/serverHooks.ts). The shipped
 * pack (policies/index.ts) is built from the same factory.
 */
import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel, Policy, PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { installServerHooks } from "./lib/serverHooks";
import { installSharedDeserialization } from "./lib/sharedDeserialization";
import { coordinateStackPolicies, installConfigureCapture } from "./lib/stackCoordinator";
import { lambdaCloudformationTemplateUrl } from "./rules/lambda-cloudformation-template-url";
import { lambdaCscEnforceMode } from "./rules/lambda-csc-enforce-mode";
import { LambdaEnforceCodeSigningConfig, lambdaEnforceCodeSigning } from "./rules/lambda-enforce-code-signing";
import { LambdaImageFunctionsConfig, lambdaImageFunctions } from "./rules/lambda-image-functions";
import { LambdaSignedCodeConfig, lambdaSignedCode } from "./rules/lambda-signed-code";
import { LambdaSignedLayersConfig, lambdaSignedLayers } from "./rules/lambda-signed-layers";
import { signerJobNoIgnoreFailure } from "./rules/signer-job-no-ignore-failure";
import { SignerProfileHygieneConfig, signerProfileHygiene } from "./rules/signer-profile-hygiene";

export {
    lambdaCloudformationTemplateUrl, lambdaCscEnforceMode, lambdaEnforceCodeSigning, lambdaImageFunctions, lambdaSignedCode,
    lambdaSignedLayers, signerJobNoIgnoreFailure, signerProfileHygiene,
};
export type {
    LambdaEnforceCodeSigningConfig, LambdaImageFunctionsConfig, LambdaSignedCodeConfig, LambdaSignedLayersConfig, SignerProfileHygieneConfig,
};

/** Every policy, in the order the shipped pack declares them. The first three are stack policies. */
const ALL_POLICIES = [
    lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode,
    lambdaImageFunctions, signerProfileHygiene, signerJobNoIgnoreFailure, lambdaCscEnforceMode, lambdaCloudformationTemplateUrl,
] as const;

/** The graph policies evaluated in one AnalyzeStack pass when possible (see lib/stackCoordinator.ts). */
const GRAPH_POLICIES: ReadonlySet<Policy> = new Set([lambdaEnforceCodeSigning, lambdaSignedLayers, lambdaSignedCode]);

/** Names of the policies, as they appear in policy configs and violations. `lambda-cloudformation-template-url` is advisory by default. */
export const lambdaCodeSigningPolicyNames: readonly string[] = ALL_POLICIES.map(p => p.name);

/** The enforcement level of one policy, optionally with its configuration: the `--policy-pack-config` format. */
export type PolicySetting<C extends object = {}> = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & C);

/**
 * Levels and configuration of the policies, in the format of a `--policy-pack-config` file: `all` first, then each
 * policy. Levels default to each policy's own (`mandatory`, `advisory` for lambda-cloudformation-template-url). Configuration given here becomes the policy's default:
 * the CLI's `--policy-pack-config` and Pulumi Cloud policy group configs still override it.
 */
export interface LambdaCodeSigningPolicyConfig {
    /** Level for every policy of this library (a per-policy level wins). */
    all?: EnforcementLevel;
    "lambda-enforce-code-signing"?: PolicySetting<LambdaEnforceCodeSigningConfig>;
    "lambda-signed-layers"?: PolicySetting<LambdaSignedLayersConfig>;
    "lambda-signed-code"?: PolicySetting<LambdaSignedCodeConfig>;
    "lambda-image-functions"?: PolicySetting<LambdaImageFunctionsConfig>;
    "signer-profile-hygiene"?: PolicySetting<SignerProfileHygieneConfig>;
    "signer-job-no-ignore-failure"?: PolicySetting;
    "lambda-csc-enforce-mode"?: PolicySetting;
    /** Advisory by default: CloudFormation stacks given only by `templateUrl` can't be checked. */
    "lambda-cloudformation-template-url"?: PolicySetting;
}

export interface LambdaCodeSigningPolicyOptions {
    /**
     * Evaluate the three graph policies in a single AnalyzeStack server pass (each still reports under its own name,
     * level and config). `true` (default) turns it on only where it is exact: when the `@pulumi/policy` that serves
     * your pack is the 1.21.x copy this library resolves; otherwise every policy runs by itself, with the same
     * verdicts. `false` never turns it on.
     */
    singlePass?: boolean;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Thrown for a malformed argument of `lambdaCodeSigningPolicies`. */
export class PolicyConfigurationError extends Error {}

function invalid(where: string, problem: string, fix: string): never {
    throw new PolicyConfigurationError(`lambdaCodeSigningPolicies: ${where} ${problem}. ${fix}`);
}

function checkLevel(where: string, level: unknown): EnforcementLevel {
    if (!LEVELS.includes(level as EnforcementLevel)) {
        invalid(where, `is ${JSON.stringify(level)}, not an enforcement level`, `Use one of ${LEVELS.join(", ")}`);
    }
    return level as EnforcementLevel;
}

type JsonSchema = { type?: string; items?: JsonSchema; enum?: unknown[]; minimum?: number; maximum?: number };

/** The subset of JSON Schema the policies' config schemas use. */
function schemaProblem(value: unknown, schema: JsonSchema): string | undefined {
    // Exactly the types the policies' schemas use (tests/policies/library.validation.spec.ts checks every schema stays within them).
    const isType: Record<string, (v: unknown) => boolean> = {
        array: Array.isArray,
        string: v => typeof v === "string",
        integer: v => Number.isInteger(v),
    };
    if (schema.type && isType[schema.type] && !isType[schema.type](value)) {
        return `must be of type ${schema.type}`;
    }
    if (schema.enum && !schema.enum.includes(value)) {
        return `must be one of ${schema.enum.map(e => JSON.stringify(e)).join(", ")}`;
    }
    if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
        return `must be at least ${schema.minimum}`;
    }
    if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) {
        return `must be at most ${schema.maximum}`;
    }
    if (Array.isArray(value) && schema.items) {
        for (const [i, item] of value.entries()) {
            const problem = schemaProblem(item, schema.items);
            if (problem) {
                return `[${i}] ${problem}`;
            }
        }
    }
    return undefined;
}

/** Validates one policy's properties against its own config schema; returns them. */
function checkProperties(policy: Policy, properties: Record<string, unknown>): Record<string, unknown> {
    const schema = (policy.configSchema?.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, value] of Object.entries(properties)) {
        const where = `"${policy.name}".${key}`;
        if (!(key in schema)) {
            const known = Object.keys(schema);
            invalid(where, "is not a property of this policy",
                known.length ? `Use ${known.join(", ")}` : "This policy takes no properties besides enforcementLevel");
        }
        const problem = schemaProblem(value, schema[key]);
        if (problem) {
            invalid(where, problem, "Fix the value (see the policy's configuration reference)");
        }
    }
    return properties;
}

interface Resolved {
    level?: EnforcementLevel;
    properties: Record<string, unknown>;
}

function resolveSettings(config: LambdaCodeSigningPolicyConfig): Map<string, Resolved> {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        invalid("config", "must be an object", "Pass e.g. { all: \"mandatory\" }");
    }
    const byName = new Map(ALL_POLICIES.map(p => [p.name, p as Policy]));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !byName.has(key)) {
            invalid(`"${key}"`, "is not a lambda-code-signing policy", `Use "all" or one of ${[...byName.keys()].join(", ")}`);
        }
    }
    const all = config.all === undefined ? undefined : checkLevel("all", config.all);
    const resolved = new Map<string, Resolved>();
    for (const [name, policy] of byName) {
        const setting = (config as Record<string, unknown>)[name];
        if (setting === undefined || typeof setting === "string") {
            resolved.set(name, { level: setting === undefined ? all : checkLevel(`"${name}"`, setting), properties: {} });
            continue;
        }
        if (setting === null || typeof setting !== "object" || Array.isArray(setting)) {
            invalid(`"${name}"`, "must be an enforcement level or an object", "Pass e.g. \"mandatory\" or { enforcementLevel: \"advisory\" }");
        }
        const { enforcementLevel, ...properties } = setting as Record<string, unknown>;
        resolved.set(name, {
            level: enforcementLevel === undefined ? all : checkLevel(`"${name}".enforcementLevel`, enforcementLevel),
            properties: checkProperties(policy, properties),
        });
    }
    return resolved;
}

/** The schema with `defaults` as the properties' defaults (what the CLI fills in before the user's own config). */
function withSchemaDefaults(schema: PolicyConfigSchema | undefined, defaults: Record<string, unknown>): PolicyConfigSchema | undefined {
    if (!schema) {
        return schema;
    }
    const properties: PolicyConfigSchema["properties"] = {};
    for (const [key, prop] of Object.entries(schema.properties)) {
        properties[key] = key in defaults ? { ...prop, default: structuredClone(defaults[key]) } as typeof prop : prop;
    }
    return { ...schema, properties };
}

/** Wraps a validation/remediation function so `getConfig()` falls back to `defaults` for absent properties. */
function withConfigDefaults<A extends { getConfig: <T extends object>() => T }, R>(
    fn: (args: A, ...rest: any[]) => R, defaults: Record<string, unknown>): (args: A, ...rest: any[]) => R {
    const wrapped = (args: A, ...rest: any[]) => fn({
        ...args,
        getConfig: <T extends object>() => ({ ...structuredClone(defaults), ...args.getConfig<T>() }) as T,
    }, ...rest);
    // Keep markers @pulumi/policy attaches to validation functions (e.g. the resource type of validateResourceOfType).
    return Object.assign(wrapped, fn);
}

function configured<P extends Policy>(policy: P, settings: Resolved): P {
    const copy: any = { ...policy };
    if (settings.level !== undefined) {
        copy.enforcementLevel = settings.level;
    }
    const defaults = settings.properties;
    if (Object.keys(defaults).length === 0) {
        return copy;
    }
    copy.configSchema = withSchemaDefaults(policy.configSchema, defaults);
    const stack = policy as unknown as StackValidationPolicy;
    if (typeof stack.validateStack === "function") {
        copy.validateStack = withConfigDefaults<StackValidationArgs, unknown>(stack.validateStack, defaults);
    }
    const resource = policy as unknown as ResourceValidationPolicy;
    if (resource.validateResource !== undefined) {
        const validations = Array.isArray(resource.validateResource) ? resource.validateResource : [resource.validateResource];
        const wrapped = validations.map(v => withConfigDefaults<ResourceValidationArgs, unknown>(v, defaults));
        copy.validateResource = Array.isArray(resource.validateResource) ? wrapped : wrapped[0];
    }
    // No remediating policy takes properties (tests/policies/library.validation.spec.ts checks it), so remediateResource never needs defaults.
    return copy;
}

function realpath(file: string): string {
    try {
        return fs.realpathSync(file);
    } catch {
        return file;
    }
}

/**
 * True when the single-pass wrap can see what the serving `@pulumi/policy` sees: the copy this library resolves is
 * 1.21.x (the internals it wraps) and no other copy is loaded or resolvable from the pack's directory.
 */
export function singlePassAvailable(): boolean {
    let ours: string;
    try {
        ours = realpath(require.resolve("@pulumi/policy/server"));
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { version } = require(path.join(path.dirname(ours), "version"));
        if (!/^1\.21\./.test(String(version))) {
            return false;
        }
    } catch {
        return false;
    }
    const serverFile = `${path.sep}@pulumi${path.sep}policy${path.sep}server.js`;
    const candidates = Object.keys(require.cache).filter(f => f.endsWith(serverFile));
    try {
        // The pack's own package (cwd) is where the CLI's language host runs `new PolicyPack` from.
        candidates.push(require.resolve("@pulumi/policy/server", { paths: [process.cwd()] }));
    } catch {
        // Not resolvable from the working directory: only the loaded copies count.
    }
    return candidates.every(f => realpath(f) === ours);
}

/**
 * Returns the lambda-code-signing policies configured with `config` (levels and properties), ready to be listed in a
 * PolicyPack's `policies`. Throws a `PolicyConfigurationError` naming the setting for an unknown policy or property, a
 * malformed level or a value its schema rejects. The exported policy constants are never modified.
 */
export function lambdaCodeSigningPolicies(config: LambdaCodeSigningPolicyConfig = {},
    options: LambdaCodeSigningPolicyOptions = {}): Policy[] {
    const settings = resolveSettings(config);
    const policies: Policy[] = ALL_POLICIES.map(p => configured<Policy>(p, settings.get(p.name)!));
    // Correctness, not speed: both are sound for any pack (no memo, no change to what a policy sees).
    installServerHooks();
    // Stryker disable next-line ObjectLiteral: {} leaves the memo off too (only memo === true turns it on)
    installSharedDeserialization({ memo: false });
    if (options.singlePass === false || !singlePassAvailable() || !installConfigureCapture()) {
        return policies;
    }
    const graph = policies.filter((_, i) => GRAPH_POLICIES.has(ALL_POLICIES[i])) as StackValidationPolicy[];
    // Every policy carries its own level, so the pack-level fallback is never consulted.
    const coordinated = coordinateStackPolicies(graph, "mandatory");
    return policies.map(p => {
        const i = graph.indexOf(p as StackValidationPolicy);
        return i >= 0 ? coordinated[i] : p;
    });
}
