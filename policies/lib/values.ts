/**
 * Raw-value access for policy props, without ever tripping @pulumi/policy's unknown-checking proxy.
 *
 * `args.props` (and `PolicyResource.props`) are wrapped in `unknownCheckingProxy`: reading a property whose value
 * is one of the engine's "unknown" sentinels throws `UnknownValueError`, which the policy server turns into an
 * ADVISORY "can't run policy ... during preview" diagnostic — even for mandatory policies. We unwrap the props ONCE
 * through the proxy's escape hatch (`__getSpecialProxyTarget`) and classify raw values ourselves.
 *
 * Values may also be: secrets (plain in Analyze/AnalyzeStack, `Secret` instances in Remediate, wire-format signature
 * objects when called by the CLI with captured outputs), assets/archives, nulls, wrong types. Nothing here throws.
 */

// `@pulumi/policy/proxy` exports the sentinels at runtime, but its .d.ts is `export {}`: local typed shim.
interface ProxyModule {
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
    isSpecialProxy: string;
    getSpecialProxyTarget: string;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxyModule: ProxyModule = require("@pulumi/policy/proxy");

const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    proxyModule.unknownStringValue,
    proxyModule.unknownBooleanValue,
    proxyModule.unknownNumberValue,
    proxyModule.unknownArrayValue,
    proxyModule.unknownAssetValue,
    proxyModule.unknownArchiveValue,
    proxyModule.unknownObjectValue,
]);

const IS_SPECIAL_PROXY = proxyModule.isSpecialProxy || "__isSpecialProxy";
const GET_SPECIAL_PROXY_TARGET = proxyModule.getSpecialProxyTarget || "__getSpecialProxyTarget";

/** Wire-format signature key/values (`@pulumi/pulumi/runtime/rpc`), for values that were not deserialized. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** Marker returned by readers when a value is one of the engine's unknown sentinels. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * Removes @pulumi/policy proxies (unknown-checking and secrets-preserving) around an object. The proxies' `get` trap
 * answers the escape-hatch keys before looking at the target, so this never throws `UnknownValueError`.
 * Plain objects are returned as they are.
 */
export function unwrapProxy(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 4 && cur !== null && typeof cur === "object"; i++) {
        let target: unknown;
        try {
            if ((cur as Record<string, unknown>)[IS_SPECIAL_PROXY] !== true) {
                break;
            }
            target = (cur as Record<string, unknown>)[GET_SPECIAL_PROXY_TARGET];
        } catch {
            break;
        }
        if (target === null || typeof target !== "object" || target === cur) {
            break;
        }
        cur = target;
    }
    return cur;
}

function isSecretInstance(v: object): v is { value: unknown } {
    // `@pulumi/policy`'s `Secret` (Remediate, proxySecrets=true). Duck-typed so that this module does not load
    // @pulumi/policy/policy (and through it the server) when used outside a pack.
    const proto = Object.getPrototypeOf(v);
    return proto !== null && proto !== Object.prototype && proto.constructor?.name === "Secret" && hasOwn(v, "value");
}

/**
 * A raw value with proxies and secret wrappers removed (one level: callers go field by field). Hot path: primitives
 * and plain data objects return after a couple of checks.
 */
export function plain(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 8; i++) {
        if (cur === null || typeof cur !== "object") {
            return cur;
        }
        if (Array.isArray(cur)) {
            return cur;
        }
        const o = cur as Record<string, unknown>;
        // Wire-format secret (CLI input). Constant-name loads: cheap on plain data objects.
        if (o["4dabf18193072939515e22adb298388d"] === SECRET_SIG) {
            cur = hasOwn(o, "value") ? o.value : null;
            continue;
        }
        const proto = Object.getPrototypeOf(o);
        if (proto !== Object.prototype && proto !== null && isSecretInstance(o)) {
            cur = o.value;
            continue;
        }
        // A proxy reports its target's prototype, so the marker is the only reliable test.
        let isProxy = false;
        try {
            isProxy = o.__isSpecialProxy === true;
        } catch {
            isProxy = false;
        }
        if (isProxy) {
            const unwrapped = unwrapProxy(o);
            if (unwrapped === o) {
                return o;
            }
            cur = unwrapped;
            continue;
        }
        return cur;
    }
    return cur;
}

/** The props of a resource as a raw record (never a proxy). Non-objects become `{}`. */
export function rawProps(props: unknown): Record<string, unknown> {
    const p = plain(props);
    if (p !== null && typeof p === "object" && !Array.isArray(p)) {
        return p as Record<string, unknown>;
    }
    return {};
}

/** Whether `v` is a plain (JSON-ish) object we may look into. */
export function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Own field of a raw object, with proxies/secrets removed; `undefined` when absent or when `obj` isn't an object. */
export function field(obj: unknown, key: string): unknown {
    const o = plain(obj);
    if (o === null || typeof o !== "object" || Array.isArray(o) || !hasOwn(o, key)) {
        return undefined;
    }
    try {
        return plain((o as Record<string, unknown>)[key]);
    } catch {
        return undefined; // exotic getters only: proxies were removed by plain()
    }
}

/**
 * Reads a string-typed field: `undefined` when absent, null or empty (the bridge reports unset strings as ""),
 * `UNKNOWN` for a sentinel, the string otherwise, `null` for a wrong type.
 */
export function readString(obj: unknown, key: string): string | Unknown | undefined | null {
    return asString(field(obj, key));
}

export function asString(v: unknown): string | Unknown | undefined | null {
    if (v === undefined || v === null || v === "") {
        return undefined;
    }
    if (typeof v === "string") {
        return UNKNOWN_SENTINELS.has(v) ? UNKNOWN : v;
    }
    return null;
}

/** True when `v` is "set": not undefined/null/"" (unknown counts as set). */
export function isSet(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

/** A short, safe rendering of a value for messages. */
export function describe(v: unknown): string {
    if (v === UNKNOWN || isUnknownSentinel(v)) {
        return "<unknown during preview>";
    }
    if (typeof v === "string") {
        return JSON.stringify(v.length > 200 ? v.slice(0, 200) + "…" : v);
    }
    if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean") {
        return String(v);
    }
    return Array.isArray(v) ? "a list" : "an object";
}

/** Parses the resource type out of a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function typeFromUrn(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return "";
    }
    const qualified = parts[2];
    const i = qualified.lastIndexOf("$");
    return i >= 0 ? qualified.slice(i + 1) : qualified;
}

/** Parses the resource name out of a URN. */
export function nameFromUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

/**
 * Glob match used for `trustedLayerArns`: `*` matches any run of characters (including `:` and `/`), everything
 * else is literal, and the whole string must match.
 */
export function globMatch(pattern: string, value: string): boolean {
    const parts = pattern.split("*");
    if (parts.length === 1) {
        return pattern === value;
    }
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) {
        return false;
    }
    let pos = first.length;
    const end = value.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
        const part = parts[i];
        if (part === "") {
            continue;
        }
        const found = value.indexOf(part, pos);
        if (found < 0 || found + part.length > end) {
            return false;
        }
        pos = found + part.length;
    }
    return true;
}

/** Keeps the string elements of a config value that should be a string list. */
export function stringList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
