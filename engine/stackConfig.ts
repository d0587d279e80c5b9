// Stack configuration as the Pulumi CLI hands it to a program: project-level `config:` from Pulumi.yaml (values and
// defaults), then `Pulumi.<stack>.yaml`, then `--config key=value` from the command line. Every value reaches the
// program as a string (objects and lists as JSON), keys fully qualified (`<namespace>:<name>`), and the keys of
// `secure:` values listed as secret. The offline check cannot decrypt `secure:` values: the program gets a
// placeholder of the right secretness instead (override it with `--config`).

/** The plaintext every `secure:` value has offline. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The stack's configuration is unusable: one line naming the key and the fix. */
export class StackConfigError extends Error {}

export interface StackConfig {
    /** `<namespace>:<name>` → value as the program reads it. */
    values: Record<string, string>;
    /** Keys whose value is a secret. */
    secretKeys: string[];
}

function qualify(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isSecure(v: unknown): boolean {
    return isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string";
}

/** A YAML config value as the string the program reads, and whether any part of it was `secure:`. */
export function configValue(value: unknown): { text: string; secret: boolean } {
    let secret = false;
    const plain = (v: unknown): unknown => {
        if (isSecure(v)) {
            secret = true;
            return SECRET_PLACEHOLDER;
        }
        if (Array.isArray(v)) return v.map(plain);
        if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, plain(e)]));
        return v;
    };
    const converted = plain(value);
    if (typeof converted === "string") return { text: converted, secret };
    if (converted === null || converted === undefined) return { text: "", secret };
    if (typeof converted === "object") return { text: JSON.stringify(converted), secret };
    return { text: String(converted), secret };
}

interface ProjectConfigEntry {
    value?: unknown;
    hasValue: boolean;
    secret: boolean;
    required: boolean;
}

/** A project-level declaration: a plain value, or `{ type, default, value, secret, description }`. */
function projectEntry(declared: unknown): ProjectConfigEntry {
    if (isRecord(declared) && !isSecure(declared) && ("type" in declared || "default" in declared || "value" in declared || "description" in declared || "secret" in declared)) {
        const hasValue = "value" in declared || "default" in declared;
        return { value: "value" in declared ? declared.value : declared.default, hasValue, secret: declared.secret === true, required: !hasValue };
    }
    return { value: declared, hasValue: true, secret: false, required: false };
}

/**
 * Resolves the configuration of `stack` from the project's declarations, the stack file's `config:` section and
 * command-line overrides. A declared key with neither a default nor a stack value fails like the CLI does.
 */
export function resolveStackConfig(
    project: string,
    stack: string,
    projectConfig: unknown,
    stackConfig: unknown,
    overrides: Record<string, string> = {},
): StackConfig {
    if (projectConfig !== undefined && projectConfig !== null && !isRecord(projectConfig)) {
        throw new StackConfigError("Pulumi.yaml: 'config' must be a map of keys to values or declarations");
    }
    if (stackConfig !== undefined && stackConfig !== null && !isRecord(stackConfig)) {
        throw new StackConfigError(`Pulumi.${stack}.yaml: 'config' must be a map of keys to values`);
    }
    const values: Record<string, string> = {};
    const secret = new Set<string>();
    const required: string[] = [];
    const set = (key: string, value: unknown, forceSecret = false) => {
        const converted = configValue(value);
        values[key] = converted.text;
        if (converted.secret || forceSecret) secret.add(key);
        else secret.delete(key);
    };
    for (const [key, declared] of Object.entries(projectConfig ?? {})) {
        const entry = projectEntry(declared);
        const qualified = qualify(key, project);
        if (entry.hasValue) set(qualified, entry.value, entry.secret);
        else if (entry.required) required.push(qualified);
    }
    for (const [key, value] of Object.entries(stackConfig ?? {})) {
        set(qualify(key, project), value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        set(qualify(key, project), value, secret.has(qualify(key, project)));
    }
    const missing = required.filter((k) => !(k in values));
    if (missing.length > 0) {
        throw new StackConfigError(`Stack '${stack}' is missing configuration value '${missing[0]}': set it with \`pulumi config set ${missing[0]} <value>\` (or --config ${missing[0]}=<value>)`);
    }
    return { values, secretKeys: [...secret].sort() };
}

/** `PULUMI_CONFIG` as the Node.js language host sets it (`<namespace>:config:<name>` keys, for every SDK version). */
export function configEnvironment(config: StackConfig): Record<string, string> {
    const legacy: Record<string, string> = {};
    for (const [key, value] of Object.entries(config.values)) {
        const at = key.indexOf(":");
        legacy[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
    }
    return { PULUMI_CONFIG: JSON.stringify(legacy), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys) };
}
