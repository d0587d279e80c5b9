import { EnforcementLevel, PolicyPackConfigFile } from "./types";

export const ENFORCEMENT_LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy as the pack describes itself in GetAnalyzerInfo. */
export interface PolicyDescription {
    name: string;
    /** What the policy checks, as the pack describes it. */
    description?: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, JsonSchema>; required?: string[] };
}

export interface JsonSchema {
    type?: string;
    enum?: unknown[];
    items?: JsonSchema;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    maxItems?: number;
    default?: unknown;
    description?: string;
}

export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A policy pack configuration that the Pulumi CLI would refuse. */
export class PolicyConfigError extends Error {}

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as string[]).includes(value);
}

function typeMatches(schemaType: string, value: unknown): boolean {
    switch (schemaType) {
        case "array": return Array.isArray(value);
        case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
        case "integer": return Number.isInteger(value);
        case "number": return typeof value === "number" && Number.isFinite(value);
        case "string": return typeof value === "string";
        case "boolean": return typeof value === "boolean";
        default: return true;
    }
}

/** Validates a value against the JSON-schema subset policy packs use for their configuration. */
export function schemaErrors(schema: JsonSchema, value: unknown, where: string): string[] {
    if (schema.type && !typeMatches(schema.type, value)) {
        return [`${where} must be of type ${schema.type}, got ${JSON.stringify(value)}`];
    }
    const errors: string[] = [];
    if (schema.enum && !schema.enum.some((e) => e === value)) {
        errors.push(`${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${where} must be >= ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${where} must be <= ${schema.maximum}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${where} needs at least ${schema.minItems} items`);
        if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${where} allows at most ${schema.maxItems} items`);
        if (schema.items) {
            value.forEach((item, i) => errors.push(...schemaErrors(schema.items!, item, `${where}[${i}]`)));
        }
    }
    return errors;
}

function applyEntry(target: ResolvedPolicyConfig, entry: unknown, where: string, policy: PolicyDescription | undefined): void {
    if (isLevel(entry)) {
        target.enforcementLevel = entry;
        return;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
        throw new PolicyConfigError(`${where}: expected an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object, got ${JSON.stringify(entry)}`);
    }
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
        if (key === "enforcementLevel") {
            if (!isLevel(value)) {
                throw new PolicyConfigError(`${where}.enforcementLevel: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(value)}`);
            }
            target.enforcementLevel = value;
        } else if (policy) {
            if (!policy.configSchema || !(key in policy.configSchema.properties)) {
                const known = Object.keys(policy.configSchema?.properties ?? {});
                throw new PolicyConfigError(`${where}.${key}: unknown property for policy '${policy.name}'` +
                    (known.length ? ` (it accepts ${known.join(", ")})` : " (it takes no configuration)"));
            }
            target.properties[key] = value;
        }
    }
}

/**
 * Reconciles a policy pack's configuration like the Pulumi engine does before `Configure`: the pack's own levels
 * and schema defaults, then its initial config, then the file's "all" entry, then per-policy entries; finally
 * validation against each policy's schema. Unlike the CLI, unknown policy names and properties are errors: a typo
 * in a policy config silently weakening enforcement is exactly what a platform team must not ship.
 */
export function reconcilePolicyConfig(
    policies: PolicyDescription[],
    file: PolicyPackConfigFile | undefined,
    initialConfig: Record<string, unknown> = {},
): Record<string, ResolvedPolicyConfig> {
    if (file !== undefined && (file === null || typeof file !== "object" || Array.isArray(file))) {
        throw new PolicyConfigError("policy config: expected a JSON object mapping policy names to settings");
    }
    const byName = new Map(policies.map((p) => [p.name, p]));
    for (const key of Object.keys(file ?? {})) {
        if (key !== "all" && !byName.has(key)) {
            throw new PolicyConfigError(`policy config: unknown policy '${key}' (known: all, ${[...byName.keys()].join(", ")})`);
        }
    }
    const resolved: Record<string, ResolvedPolicyConfig> = {};
    for (const policy of policies) {
        const entry: ResolvedPolicyConfig = { enforcementLevel: policy.enforcementLevel, properties: {} };
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (schema.default !== undefined) {
                entry.properties[key] = schema.default;
            }
        }
        if (initialConfig[policy.name] !== undefined) {
            applyEntry(entry, initialConfig[policy.name], `initialConfig.${policy.name}`, policy);
        }
        if (file?.all !== undefined) {
            if (!isLevel(file.all)) {
                throw new PolicyConfigError(`policy config: "all" must be one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(file.all)}`);
            }
            entry.enforcementLevel = file.all;
        }
        if (file?.[policy.name] !== undefined) {
            applyEntry(entry, file[policy.name], policy.name, policy);
        }
        const schema = policy.configSchema;
        const errors: string[] = [];
        for (const required of schema?.required ?? []) {
            if (!(required in entry.properties)) errors.push(`${policy.name}.${required} is required`);
        }
        for (const [key, value] of Object.entries(entry.properties)) {
            errors.push(...schemaErrors(schema!.properties[key], value, `${policy.name}.${key}`));
        }
        if (errors.length > 0) {
            throw new PolicyConfigError(`policy config: ${errors.join("; ")}`);
        }
        resolved[policy.name] = entry;
    }
    return resolved;
}
