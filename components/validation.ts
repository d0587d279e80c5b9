import * as pulumi from "@pulumi/pulumi";

/** Patterns shared by the components; each mirrors an AWS-side constraint. */
export const patterns = {
    signingProfileName: /^[0-9a-zA-Z_]{2,64}$/,
    // Terraform appends a 26-character unique suffix to a prefix, and the whole name must fit in 64.
    signingProfileNamePrefix: /^[0-9a-zA-Z_]{1,38}$/,
    signingProfileVersion: /^[0-9a-zA-Z]{10}$/,
    signingProfileVersionArn: /^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[0-9a-zA-Z_]{2,64}\/[0-9a-zA-Z]{10}$/,
    codeSigningConfigArn: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:code-signing-config:csc-[a-z0-9]{17}$/,
    layerVersionArn: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]{1,140}:\d+$/,
    roleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/,
    layerName: /^[a-zA-Z0-9_-]{1,64}$/,
    environmentKey: /^[a-zA-Z][a-zA-Z0-9_]*$/,
    // ISO 8601 date-time with an explicit offset, so the instant never depends on the machine's time zone.
    isoDateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
} as const;

/** Environment variables the Lambda runtime sets itself; CreateFunction rejects them. */
export const reservedEnvironmentKeys: ReadonlySet<string> = new Set([
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
]);

/** Throws the package's standard misuse error: "<argName>: <what is wrong>. <the fix>". */
export function fail(parent: pulumi.Resource, argName: string, problem: string, fix: string): never {
    throw new pulumi.ResourceError(`${argName}: ${problem}. ${fix}`, parent);
}

/** True when the value can be inspected now (not an Output or a Promise). */
export function isPlain<T>(value: pulumi.Input<T> | undefined): value is T | undefined {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * True when the value is (derived from) an output of another resource, e.g. a CodeSigningGuard's ARNs and names.
 * The user did not type it, and its shape depends on the provider (or on the mocks of a unit test): it is passed on
 * as it is and never rejected for its shape. `Output.resources()` is internal to the SDK; without it, every Output
 * counts as produced by a resource (never a false rejection).
 */
export function producedByResource(value: unknown): boolean {
    if (!pulumi.Output.isInstance(value)) {
        return false;
    }
    const resources = (value as unknown as { resources?: () => Set<unknown> }).resources?.();
    return !(resources instanceof Set) || resources.size > 0;
}

/**
 * Runs `check` on a value the user gave: right away for plain values (so misuse fails before any child exists),
 * inside `apply` for Outputs of plain values such as secrets (the dependent resource fails with the same message).
 * Outputs of other resources are passed through unchecked.
 */
export function checkWhenKnown<T>(value: pulumi.Input<T>, check: (v: T) => void): pulumi.Input<T> {
    if (isPlain(value)) {
        check(value as T);
        return value;
    }
    if (producedByResource(value)) {
        return value;
    }
    return pulumi.output(value).apply(v => {
        check(v as T);
        return v;
    }) as pulumi.Input<T>;
}

export function requireInteger(parent: pulumi.Resource, argName: string, value: number | undefined,
    min: number, max: number, unit: string): void {
    if (value === undefined) {
        return;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        fail(parent, argName, `${JSON.stringify(value)} is not a whole number between ${min} and ${max}`,
            `Pass a whole number of ${unit} from ${min} to ${max}`);
    }
}

export function requireNonEmptyString(parent: pulumi.Resource, argName: string, value: unknown, fix: string): void {
    if (typeof value !== "string" || value.trim() === "") {
        fail(parent, argName, value === undefined ? "is missing" : "must be a non-empty string", fix);
    }
}

/** Validates a required string Input: presence now, content now or when known. */
export function requiredStringInput(parent: pulumi.Resource, argName: string, value: pulumi.Input<string> | undefined,
    fix: string, pattern?: RegExp): pulumi.Input<string> {
    if (value === undefined || value === null) {
        fail(parent, argName, "is missing", fix);
    }
    return checkWhenKnown(value, v => {
        requireNonEmptyString(parent, argName, v, fix);
        if (pattern && !pattern.test(v)) {
            fail(parent, argName, `${JSON.stringify(v)} does not match ${pattern.source}`, fix);
        }
    });
}

/** Replaces every character outside `allowed` with `replacement`. */
export function sanitize(value: string, allowed: RegExp, replacement: string): string {
    return [...value].map(c => (allowed.test(c) ? c : replacement)).join("");
}

/**
 * Validates an ARN list: the count synchronously (when the list itself is plain) and each entry against `pattern`
 * once known. A list that arrives as one Output (multi-language callers) is checked entirely when known.
 */
export function checkArnList(parent: pulumi.Resource, argName: string,
    values: pulumi.Input<pulumi.Input<string>[]> | undefined, pattern: RegExp, maxCount: number,
    fix: string): pulumi.Input<pulumi.Input<string>[]> | undefined {
    const checkEntry = (v: unknown, i: number) => {
        if (typeof v !== "string" || !pattern.test(v)) {
            fail(parent, `${argName}[${i}]`, `${JSON.stringify(v)} is not a valid ARN of the expected kind`, fix);
        }
    };
    const checkCount = (count: number) => {
        if (count > maxCount) {
            fail(parent, argName, `has ${count} entries, more than the ${maxCount} AWS allows`,
                `Pass at most ${maxCount}`);
        }
    };
    if (values === undefined) {
        return undefined;
    }
    if (!Array.isArray(values)) {
        if (producedByResource(values)) {
            return values;
        }
        return pulumi.output(values).apply(list => {
            checkCount(list.length);
            list.forEach(checkEntry);
            return list;
        });
    }
    checkCount(values.length);
    return values.map((value, i) => checkWhenKnown(value, v => checkEntry(v, i)));
}
