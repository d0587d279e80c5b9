import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_ASSET, UNKNOWN_ARCHIVE, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT } from "./wireValues";

// The engine's view of property values while it runs transforms (pulumi/pulumi pkg/resource/deploy/source_eval.go,
// `RegisterResource`): unknowns and secrets are upgraded to output values before a transform sees them, a resource's
// own transforms also get its property dependencies attached, and everything is downgraded again afterwards.

export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

const UNKNOWNS = new Set<unknown>([UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_ASSET, UNKNOWN_ARCHIVE]);

type Wire = unknown;
type WireObject = Record<string, unknown>;

interface OutputValue {
    [SPECIAL_SIG_KEY]: typeof OUTPUT_VALUE_SIG;
    value?: Wire;
    secret?: boolean;
    dependencies?: string[];
}

function isObject(v: Wire): v is WireObject {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function sigOf(v: Wire): unknown {
    return isObject(v) ? v[SPECIAL_SIG_KEY] : undefined;
}

export function isOutputValue(v: Wire): v is OutputValue {
    return sigOf(v) === OUTPUT_VALUE_SIG;
}

export function isUnknownValue(v: Wire): boolean {
    return typeof v === "string" && UNKNOWNS.has(v);
}

/** Rebuilds a wire value: `special` maps signature objects (undefined: kept), everything else maps through `self`. */
function rebuild(v: Wire, self: (e: Wire) => Wire, special: (obj: WireObject, sig: unknown) => Wire | undefined): Wire {
    if (Array.isArray(v)) {
        return v.map(self);
    }
    if (!isObject(v)) {
        return v;
    }
    const sig = sigOf(v);
    if (sig !== undefined) {
        return special(v, sig) ?? v;
    }
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, self(e)]));
}

/** `UnmarshalProperties(UpgradeToOutputValues)`: unknowns and secrets, at any depth, become output values. */
export function upgradeToOutputValues(v: Wire): Wire {
    if (isUnknownValue(v)) {
        return { [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG };
    }
    return rebuild(v, upgradeToOutputValues, (obj, sig) => {
        if (sig === SECRET_SIG) {
            const inner = upgradeToOutputValues(obj.value);
            return isOutputValue(inner) ? { ...inner, secret: true } : { [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG, value: inner, secret: true };
        }
        return sig === OUTPUT_VALUE_SIG && "value" in obj ? { ...obj, value: upgradeToOutputValues(obj.value) } : undefined;
    });
}

/** The resource URNs an (upgraded) value depends on through its output values (`addOutputDependencies`). */
export function outputDependencies(v: Wire, into: Set<string> = new Set()): Set<string> {
    if (Array.isArray(v)) {
        v.forEach((e) => outputDependencies(e, into));
    } else if (isObject(v)) {
        const sig = sigOf(v);
        if (sig === OUTPUT_VALUE_SIG) {
            if ("value" in v) outputDependencies(v.value, into);
            for (const d of Array.isArray(v.dependencies) ? v.dependencies : []) into.add(String(d));
        } else if (sig === SECRET_SIG) {
            outputDependencies(v.value, into);
        } else if (sig === RESOURCE_REFERENCE_SIG) {
            outputDependencies(v.id, into);
        } else if (sig === undefined) {
            Object.values(v).forEach((e) => outputDependencies(e, into));
        }
    }
    return into;
}

/** `upgradeOutputValues`: a property with dependencies the value does not carry yet becomes an output value that does. */
export function attachPropertyDependencies(props: WireObject, propertyDependencies: Record<string, string[]>): WireObject {
    const out: WireObject = {};
    for (const [k, pv] of Object.entries(props)) {
        const deps = propertyDependencies[k];
        const current = outputDependencies(pv);
        if (!deps || deps.every((d) => current.has(d))) {
            out[k] = pv;
            continue;
        }
        const output: OutputValue = isOutputValue(pv) ? { ...pv } : { [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG, value: pv };
        output.dependencies = [...new Set([...(output.dependencies ?? []), ...deps])];
        out[k] = output;
    }
    return out;
}

/** `downgradeOutputValues`: output values become their value, an unknown, or a secret of either. */
export function downgradeOutputValues(v: Wire): Wire {
    return rebuild(v, downgradeOutputValues, (obj, sig) => {
        if (sig === OUTPUT_VALUE_SIG) {
            const result = "value" in obj ? downgradeOutputValues(obj.value) : UNKNOWN;
            return obj.secret === true ? { [SPECIAL_SIG_KEY]: SECRET_SIG, value: result } : result;
        }
        if (sig === SECRET_SIG) {
            return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: downgradeOutputValues(obj.value) };
        }
        return sig === RESOURCE_REFERENCE_SIG && "id" in obj ? { ...obj, id: downgradeOutputValues(obj.id) } : undefined;
    });
}

/**
 * How analyzers see a resource reference (the engine marshals them with `KeepResources: false`): its ID when it has
 * one (unknown while the ID is), otherwise its URN.
 */
export function withoutResourceReferences(v: Wire): Wire {
    return rebuild(v, withoutResourceReferences, (obj, sig) => {
        if (sig === RESOURCE_REFERENCE_SIG) {
            return "id" in obj ? (obj.id === "" ? UNKNOWN : withoutResourceReferences(obj.id)) : obj.urn;
        }
        return sig === SECRET_SIG ? { [SPECIAL_SIG_KEY]: SECRET_SIG, value: withoutResourceReferences(obj.value) } : undefined;
    });
}
