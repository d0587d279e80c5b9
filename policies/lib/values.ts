/**
 * Raw-value access for policy props, without ever tripping @pulumi/policy's unknown-checking proxy and without
 * trusting anything a program can write.
 *
 * `args.props` (and `PolicyResource.props`) are wrapped in `unknownCheckingProxy`: reading a property whose value
 * is one of the engine's "unknown" sentinels throws `UnknownValueError`, which the policy server turns into an
 * ADVISORY "can't run policy ... during preview" diagnostic — even for mandatory policies. We unwrap the props ONCE
 * and classify raw values ourselves.
 *
 * A proxy is recognised by what it is (a JavaScript Proxy, `util.types.isProxy`, whose trap answers the SDK's marker),
 * never by keys: a program can register inputs named `__isSpecialProxy`, `__getSpecialProxyTarget` or the wire
 * signature key, and those must stay ordinary data. Secrets are recognised by the policy SDK's own `Secret` class
 * (Remediate) or, for wire-format values that never went through deserialization (the `check` CLI), by their
 * signature. Values the pack's deserializer could not read arrive as `Unreadable`. Nothing here throws.
 */
import { types } from "util";

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

/** The keys @pulumi/policy's proxies answer themselves (and its serializer trusts on plain data). */
export const PROXY_MARKER_KEYS: readonly string[] = [
    proxyModule.isSpecialProxy || "__isSpecialProxy",
    proxyModule.getSpecialProxyTarget || "__getSpecialProxyTarget",
];
const [IS_SPECIAL_PROXY, GET_SPECIAL_PROXY_TARGET] = PROXY_MARKER_KEYS;

/** Wire-format signature key/values (`@pulumi/pulumi/runtime/rpc`), for values that were not deserialized. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** The engine's sentinel for an unknown value (what the Node SDK sends for every unknown). */
export const UNKNOWN_VALUE: string = proxyModule.unknownStringValue;

/** Marker returned by readers when a value is one of the engine's unknown sentinels. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** A value the pack could not read (e.g. an unrecognised wire signature): never a string, never "set to nothing". */
export class Unreadable {
    constructor(readonly reason: string) {
        Object.freeze(this);
    }
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * The target of one of @pulumi/policy's proxies (unknown-checking or secrets-preserving), or undefined when `v` is
 * not such a proxy. The SDK's traps answer the marker keys before looking at the target, so reading them never
 * throws `UnknownValueError` and never returns program data; a plain object with those keys is not a proxy at all.
 */
function proxyTarget(v: object): object | undefined {
    if (!types.isProxy(v)) {
        return undefined;
    }
    try {
        const o = v as Record<string, unknown>;
        if (o[IS_SPECIAL_PROXY] !== true) {
            return undefined;
        }
        const target = o[GET_SPECIAL_PROXY_TARGET];
        return target !== null && typeof target === "object" && target !== v ? target : undefined;
    } catch {
        // A trap that throws on the marker keys is not the SDK's proxy.
    }
    return undefined;
}

/** Removes @pulumi/policy proxies around an object. Anything else is returned as it is. */
export function unwrapProxy(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 4 && cur !== null && typeof cur === "object"; i++) {
        const target = proxyTarget(cur);
        if (target === undefined) {
            break;
        }
        cur = target;
    }
    return cur;
}

let secretClass: Function | null | undefined;

/** `@pulumi/policy`'s `Secret` (Remediate, proxySecrets=true), loaded only when a non-plain object shows up. */
function isPolicySecret(v: object): v is { value: unknown } {
    if (secretClass === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            secretClass = require("@pulumi/policy/policy").Secret ?? null;
        } catch {
            secretClass = null;
        }
    }
    return typeof secretClass === "function" && v instanceof secretClass;
}

function isWireSecret(o: object): boolean {
    const proto = Object.getPrototypeOf(o);
    return (proto === Object.prototype || proto === null) && hasOwn(o, SIG_KEY) && (o as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * A raw value with proxies and secret wrappers removed (one level: callers go field by field). Hot path: primitives
 * and plain data objects return after a couple of checks.
 */
export function plain(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 8; i++) {
        if (cur === null || typeof cur !== "object" || Array.isArray(cur)) {
            return cur;
        }
        const target = proxyTarget(cur);
        if (target !== undefined) {
            cur = target;
            continue;
        }
        if (isWireSecret(cur)) {
            cur = hasOwn(cur, "value") ? (cur as { value: unknown }).value : null;
            continue;
        }
        const proto = Object.getPrototypeOf(cur);
        if (proto !== Object.prototype && isPolicySecret(cur)) {
            cur = cur.value;
            continue;
        }
        return cur;
    }
    return cur;
}

/** The props of a resource as a raw record (never a proxy). Non-objects become `{}`. */
export function rawProps(props: unknown): Record<string, unknown> {
    const p = plain(props);
    if (p !== null && typeof p === "object" && !Array.isArray(p) && !(p instanceof Unreadable)) {
        return p as Record<string, unknown>;
    }
    return {};
}

/** Whether `v` is a plain (JSON-ish) object we may look into. */
export function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Unreadable);
}

/** Own field of a raw object, with proxies/secrets removed; `undefined` when absent or when `obj` isn't an object. */
export function field(obj: unknown, key: string): unknown {
    const o = plain(obj);
    if (!isRecord(o) || !hasOwn(o, key)) {
        return undefined;
    }
    try {
        return plain(o[key]);
    } catch {
        return new Unreadable(`its ${key} has an exotic getter`);
    }
}

/**
 * Reads a string-typed field: `undefined` when absent, null or empty (the bridge reports unset strings as ""),
 * `UNKNOWN` for a sentinel, the string otherwise, `null` for a wrong type (or an unreadable value).
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

/** True when `v` is "set": not undefined/null/"" (unknown and unreadable count as set). */
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
    if (v instanceof Unreadable) {
        return `an unreadable value (${v.reason})`;
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
    // Without a "$", lastIndexOf is -1 and this is the whole string.
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Parses the resource name out of a URN. */
export function nameFromUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

/**
 * Glob match: `*` matches any run of characters (including `:` and `/`), everything else is literal, and the whole
 * string must match.
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
        const found = value.indexOf(part, pos);
        if (found < 0 || found + part.length > end) {
            return false;
        }
        pos = found + part.length;
    }
    return true;
}
