/**
 * What the adapters (classic and aws-native Pulumi resources, CloudFormation templates) extract from a resource:
 * one normalized shape per kind, so that reference resolution and the rules never look at provider-specific keys.
 */
import type { Flavor } from "./tokens";
import type { PackageType, Reference, TemplateOrigin } from "./model";

interface SpecBase {
    /** Node id: the Pulumi URN, or `<stack urn>#<logical id>` for template resources. */
    id: string;
    /** URN violations are reported on (the template's stack resource for template resources). */
    urn: string;
    name: string;
    type: string;
    flavor: Flavor;
    template?: TemplateOrigin;
}

export interface ProfileSpec extends SpecBase {
    region?: string;
    providerUrn?: string;
    known: { name?: string; arn?: string; versionArn?: string; version?: string };
}

export interface JobSpec extends SpecBase {
    /** Region and provider (same provider ⇒ same account): computed on demand, only a literal profile name needs them. */
    place: () => { region?: string; providerUrn?: string };
    profileName: Reference;
    destination: { bucket?: string; prefix?: string };
    signedKeys: string[];
    /** Known outputs (update mode): the account that ran the job and the profile version it used. */
    owner?: string;
    profileVersion?: string;
}

export interface CscSpec extends SpecBase {
    /** The raw policies object (`policies`, `codeSigningPolicies`, `CodeSigningPolicies`), undefined when absent. */
    policies: unknown;
    policiesPath: string;
    modeKey: string;
    /** The raw `signingProfileVersionArns` value (`undefined`: absent) and the sources of the whole property. */
    publishers: Reference;
    /** Per-element references (templates resolve each element separately). */
    publisherElements?: Reference[];
    arns: string[];
}

export interface S3Spec {
    bucket: Reference;
    key: Reference;
    version: Reference;
}

export interface CodeSpec {
    /** "the function" / "the layer", for messages. */
    what: string;
    packageType?: PackageType;
    inline?: { detail: string; callbackFunction: boolean };
    /** An image URI is set (decides packageType "unknown"). */
    image: boolean;
    s3: S3Spec;
    /** Message when no code source at all is set. */
    noSource: string;
    /** A code source that is neither inline, image nor S3 (e.g. a local SAM CodeUri): unverifiable with this reason. */
    unverifiable?: string;
}

export interface LayerSpec extends SpecBase {
    code: CodeSpec;
    arns: string[];
}

export interface LayerListSpec {
    value: unknown;
    sources: Reference["sources"];
    path: string;
    /** Per-element references (templates). */
    elements?: Reference[];
}

export interface FunctionSpec extends SpecBase {
    parentUrn?: string;
    packageType: PackageType;
    handler?: string;
    code: CodeSpec;
    csc: Reference;
    layers: LayerListSpec;
}

export interface CopySpec {
    id: string;
    name: string;
    type: string;
    /** `bucket/key[?versionId=…]` of the copied object. */
    source: Reference;
    bucket?: string;
    key?: string;
}

/** The alternatives of a reference (template `Fn::If`), flattened; a plain reference is its own only alternative. */
export function alternativesOf(ref: Reference): Reference[] {
    return ref.alternatives && ref.alternatives.length > 0 ? ref.alternatives.flatMap(alternativesOf) : [ref];
}
