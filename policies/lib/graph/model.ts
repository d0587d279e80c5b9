/**
 * The model of a stack's Lambda code-signing graph: what every rule of the pack and the `check` CLI ask about.
 *
 *   Function ──codeSigningConfigArn──▶ CodeSigningConfig ──allowedPublishers──▶ SigningProfile
 *      │  └──s3Key/s3Bucket (native: code; through ObjectCopy)──▶ SigningJob ──profileName──▶ SigningProfile
 *      └──layers──▶ LayerVersion ──s3Key/… (native: content)──▶ SigningJob ──profileName──▶ SigningProfile
 *
 * Every computed reference resolves to a list of CANDIDATES (the in-stack resources it may derive from, plus what a
 * known value names). The rules' one rule: a reference is compliant iff every candidate is compliant.
 */
import type { Flavor, SourceKind } from "./tokens";

export type PackageType = "Zip" | "Image" | "unknown";

/**
 * An in-stack resource a value may derive from: a Pulumi resource, or a template resource (`urn` is then
 * `<stack urn>#<logical id>`). PolicyResource objects have this shape already and are used as they are.
 */
export interface SourceRef {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
}

/**
 * A property's value and the resources it may derive from. `shared` sources are recorded for a whole object whose
 * fields are read separately (aws-native `code`, a CloudFormation stack's `parameters`): each field may come from any
 * of them, so sources of an unrelated kind are left out when one field is resolved.
 */
export interface Reference {
    readonly value: unknown;
    readonly sources: readonly SourceRef[];
    /** Where the value was read, for messages (`s3Key`, `code.s3Key`, `Code.S3Key`). */
    readonly path: string;
    readonly shared?: boolean;
    /** Template `Fn::If`/`Fn::Select` over several values: each alternative is a candidate. */
    readonly alternatives?: readonly Reference[];
}

interface NodeBase {
    /** Pulumi URN of the resource, or of the CloudFormation stack resource declaring it. */
    urn: string;
    /** Resource name (template resources: `<stack name>/<logical id>`). */
    name: string;
    type: string;
    flavor: Flavor;
}

/** Where a template resource is declared. */
export interface TemplateOrigin {
    stackUrn: string;
    stackName: string;
    logicalId: string;
}

/** A signing profile (version) as Lambda compares it: by partition, Region, account, name and version. */
export interface PublisherIdentity {
    /** Id of the in-stack resource (Pulumi URN or template id): two identities with ids are equal iff the ids are. */
    resource?: string;
    /** How messages name it: `SigningProfile "x" (us-east-1)`, an ARN, `profile "x" in us-east-1`. */
    label: string;
    partition?: string;
    region?: string;
    account?: string;
    name?: string;
    version?: string;
}

export type ProfileCandidate = { kind: "profile"; identity: PublisherIdentity } | { kind: "unidentifiable"; reason: string };

export interface SigningProfileNode extends NodeBase {
    identity: PublisherIdentity;
    /** Known ARNs (profile and profile version). */
    arns: string[];
}

export interface SigningJobNode extends NodeBase {
    /** Every profile the job may sign with (all must be allowed). */
    profiles: ProfileCandidate[];
    /** Known destination bucket and key prefix. */
    destination: { bucket?: string; prefix?: string };
    /** Known keys of its signed objects (update mode). */
    signedKeys: string[];
}

export type CscMode = "Enforce" | "Warn" | "unknown";

export interface AllowedPublisher {
    identity: PublisherIdentity;
    /** Set when the entry can't be proven to be listed (e.g. one list element computed from several profiles). */
    ambiguous?: string;
}

export interface CodeSigningConfigNode extends NodeBase {
    mode: CscMode;
    /** How the mode was determined: explicit value, AWS default (no policies / no field), or unknown/invalid. */
    modeSource: "explicit" | "default-no-policies" | "default-no-field" | "unknown";
    /** The property holding the mode, for messages. */
    policiesPath: string;
    publisherCount: number | "unknown";
    allowed: AllowedPublisher[];
    /** Known ARNs of this CSC (update mode). */
    arns: string[];
    template?: TemplateOrigin;
}

export type CscCandidate =
    | { kind: "in-stack"; csc: CodeSigningConfigNode }
    | { kind: "external"; arn: string }
    | { kind: "unverifiable"; reason: string };

export type CscRef = { kind: "missing" } | { kind: "referenced"; candidates: CscCandidate[] };

/** One place the deployed code may come from. */
export type CodeOrigin =
    /** A SigningJob's signed object (`via`: the ObjectCopy chain); `mismatch`: a known key/bucket that isn't its output. */
    | { kind: "job"; job: SigningJobNode; via: string[]; mismatch?: string }
    /** An object the stack writes itself, or a key that derives from something else than a signed object. */
    | { kind: "unsigned"; detail: string }
    /** A known object outside the stack: signed iff it matches trustedSignedArtifacts. `bucket` undefined = not known. */
    | { kind: "location"; bucket?: string; key: string; path: string; via: string[] }
    | { kind: "unverifiable"; reason: string };

export type CodeSource =
    | { kind: "image" }
    | { kind: "inline"; detail: string; callbackFunction: boolean }
    | { kind: "s3"; origins: CodeOrigin[] }
    | { kind: "unverifiable"; reason: string };

export interface LayerVersionNode extends NodeBase {
    code: CodeSource;
    /** Known ARNs (classic `arn`/`layerArn`, native `layerVersionArn`). */
    arns: string[];
    template?: TemplateOrigin;
}

export type LayerRef =
    | { kind: "in-stack"; layer: LayerVersionNode }
    | { kind: "external"; arn: string }
    | { kind: "unverifiable"; reason: string };

export interface FunctionNode extends NodeBase {
    parentUrn?: string;
    packageType: PackageType;
    handler?: string;
    csc: CscRef;
    code: CodeSource;
    layers: LayerRef[];
    template?: TemplateOrigin;
}

/** A CloudFormation stack resource and whether its template could be read. */
export interface TemplateNode extends NodeBase {
    status: "inline" | "url-only" | "unreadable" | "none";
    /** Why it is unreadable / how it is given. */
    detail?: string;
}

export interface StackGraph {
    functions: FunctionNode[];
    codeSigningConfigs: CodeSigningConfigNode[];
    layerVersions: LayerVersionNode[];
    signingJobs: SigningJobNode[];
    signingProfiles: SigningProfileNode[];
    templates: TemplateNode[];
}

export type { Flavor, SourceKind };
