/**
 * Adapters for Pulumi resources: the classic AWS provider (`aws:…`, flat `s3Bucket`/`s3Key`, `policies`) and
 * aws-native (`aws-native:…`, nested `code`/`content`, `codeSigningPolicies`). Each turns a resource's raw props
 * and property dependencies into the normalized specs of specs.ts.
 */
import { field, isRecord, isSet, isUnknownSentinel, readString } from "../values";
import type { PackageType, Reference } from "./model";
import type { CodeSpec, CopySpec, CscSpec, FunctionSpec, JobSpec, LayerSpec, ProfileSpec } from "./specs";
import type { Entry, StackIndex } from "./stackIndex";
import { flavorOf } from "./tokens";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const INLINE_ARCHIVE = `its code is an inline \`code\` archive uploaded as-is, which is not signed`;
const INLINE_CLOSURE = `its code is an inline archive of a serialized closure (aws.lambda.CallbackFunction), which is never signed`;
const NO_SOURCE = {
    "the function": "the function has no code source (neither s3Bucket/s3Key nor code is set)",
    "the layer": "the layer has no code source (neither s3Bucket/s3Key nor code is set)",
};

function base(e: Entry) {
    return { id: e.id, urn: e.id, name: e.name, type: e.type, flavor: flavorOf(e.type) };
}

function ref(index: StackIndex, e: Entry, key: string): Reference {
    return { value: field(e.props, key), sources: index.deps(e.res, key), path: key };
}

function knownStrings(e: Entry, keys: string[]): string[] {
    return keys.map(k => str(readString(e.props, k))).filter((a): a is string => a !== undefined);
}

function packageTypeOf(e: Entry): PackageType {
    const pt = readString(e.props, "packageType");
    return pt === undefined ? "Zip" : pt === "Image" ? "Image" : typeof pt === "string" ? "Zip" : "unknown";
}

/** Classic Function / LayerVersion code: `code` archive, or `s3Bucket`/`s3Key`/`s3ObjectVersion`. */
function classicCode(index: StackIndex, e: Entry, what: keyof typeof NO_SOURCE, packageType?: PackageType, handler?: string): CodeSpec {
    const callbackFunction = handler === "__index.handler";
    return {
        what,
        packageType,
        inline: isSet(field(e.props, "code")) ? { callbackFunction, detail: callbackFunction ? INLINE_CLOSURE : INLINE_ARCHIVE } : undefined,
        image: isSet(field(e.props, "imageUri")),
        s3: { bucket: ref(index, e, "s3Bucket"), key: ref(index, e, "s3Key"), version: ref(index, e, "s3ObjectVersion") },
        noSource: NO_SOURCE[what],
    };
}

/** aws-native Function (`code`) / LayerVersion (`content`): one object, one set of dependencies for all its fields. */
function nativeCode(index: StackIndex, e: Entry, what: string, key: "code" | "content", packageType?: PackageType): CodeSpec {
    const c = field(e.props, key);
    const sources = index.deps(e.res, key);
    const sub = (k: string): Reference => ({
        value: isRecord(c) ? field(c, k) : k === "s3Key" && isUnknownSentinel(c) ? c : undefined,
        sources,
        path: `${key}.${k}`,
        shared: true,
    });
    const spec: CodeSpec = {
        what,
        packageType,
        inline: isRecord(c) && isSet(field(c, "zipFile"))
            ? { callbackFunction: false, detail: `its code is inline source (\`${key}.zipFile\`), which is not signed` }
            : undefined,
        image: isRecord(c) && isSet(field(c, "imageUri")),
        s3: { bucket: sub("s3Bucket"), key: sub("s3Key"), version: sub("s3ObjectVersion") },
        noSource: isSet(c) ? `${what} has no code source (${key}.s3Key is not set)` : `${what} has no \`${key}\``,
    };
    if (isSet(c) && !isRecord(c) && !isUnknownSentinel(c) && sources.length === 0) {
        spec.unverifiable = `its \`${key}\` is not an object and does not trace to a SigningJob in this stack`;
    }
    return spec;
}

export function functionSpec(index: StackIndex, e: Entry): FunctionSpec {
    const flavor = flavorOf(e.type);
    const packageType = packageTypeOf(e);
    const handler = str(readString(e.props, "handler"));
    const spec: FunctionSpec = {
        ...base(e),
        packageType,
        handler,
        code: flavor === "native"
            ? nativeCode(index, e, "the function", "code", packageType)
            : classicCode(index, e, "the function", packageType, handler),
        csc: ref(index, e, "codeSigningConfigArn"),
        layers: { value: field(e.props, "layers"), sources: index.deps(e.res, "layers"), path: "layers" },
    };
    const parent = e.res.parent;
    const parentUrn = typeof parent === "string" ? parent : parent && typeof parent.urn === "string" ? parent.urn : undefined;
    if (parentUrn !== undefined) {
        spec.parentUrn = parentUrn;
    }
    return spec;
}

export function layerSpec(index: StackIndex, e: Entry): LayerSpec {
    const native = flavorOf(e.type) === "native";
    return {
        ...base(e),
        code: native ? nativeCode(index, e, "the layer", "content") : classicCode(index, e, "the layer"),
        arns: knownStrings(e, native ? ["layerVersionArn", "arn"] : ["arn", "layerArn"]),
    };
}

export function cscSpec(index: StackIndex, e: Entry): CscSpec {
    const native = flavorOf(e.type) === "native";
    const policiesKey = native ? "codeSigningPolicies" : "policies";
    const ap = field(e.props, "allowedPublishers");
    return {
        ...base(e),
        policies: field(e.props, policiesKey),
        policiesPath: `${policiesKey}.untrustedArtifactOnDeployment`,
        modeKey: "untrustedArtifactOnDeployment",
        publishers: {
            value: ap === null ? undefined : isRecord(ap) ? field(ap, "signingProfileVersionArns") : ap,
            sources: index.deps(e.res, "allowedPublishers"),
            path: "allowedPublishers.signingProfileVersionArns",
        },
        arns: knownStrings(e, native ? ["codeSigningConfigArn", "arn"] : ["arn"]),
    };
}

export function profileSpec(index: StackIndex, e: Entry): ProfileSpec {
    const native = flavorOf(e.type) === "native";
    return {
        ...base(e),
        region: index.regionOf(e),
        providerUrn: index.providerUrn(e.res),
        known: {
            name: str(readString(e.props, native ? "profileName" : "name")),
            arn: str(readString(e.props, "arn")),
            versionArn: str(readString(e.props, native ? "profileVersionArn" : "versionArn")),
            version: str(readString(e.props, native ? "profileVersion" : "version")),
        },
    };
}

export function jobSpec(index: StackIndex, e: Entry): JobSpec {
    const s3 = field(field(e.props, "destination"), "s3");
    const signed = field(e.props, "signedObjects");
    const signedKeys: string[] = [];
    // Stryker disable next-line ArrayDeclaration: a string element has no "s3s" field, so ["Stryker was here"] adds no key either
    for (const o of Array.isArray(signed) ? signed : []) {
        const s3s = field(o, "s3s");
        // Stryker disable next-line ArrayDeclaration: a non-array `s3s` iterated as ["Stryker was here"] yields a string, whose "key" field() reads as undefined, so nothing is pushed either way
        for (const x of Array.isArray(s3s) ? s3s : []) {
            const k = str(readString(x, "key"));
            if (k !== undefined) {
                signedKeys.push(k);
            }
        }
    }
    return {
        id: e.id, urn: e.id, name: e.name, type: e.type, flavor: "classic",
        place: () => ({ region: index.regionOf(e), providerUrn: index.providerUrn(e.res) }),
        profileName: ref(index, e, "profileName"),
        destination: { bucket: str(readString(s3, "bucket")), prefix: str(readString(s3, "prefix")) },
        signedKeys,
        owner: str(readString(e.props, "jobOwner")),
        profileVersion: str(readString(e.props, "profileVersion")),
    };
}

export function copySpec(index: StackIndex, e: Entry): CopySpec {
    return {
        id: e.id,
        name: e.name,
        type: e.type,
        source: { ...ref(index, e, "source"), shared: true },
        bucket: str(readString(e.props, "bucket")),
        key: str(readString(e.props, "key")),
    };
}
