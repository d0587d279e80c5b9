/**
 * What a Pulumi program registered, in the shape the Pulumi engine hands to analyzers (policy packs).
 *
 * Values are in wire format: unknowns are the engine's sentinel strings (e.g. "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
 * secrets are `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`,
 * assets and archives carry the asset/archive signature. This is what `pulumi preview` sends to a policy pack.
 */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** true for custom (provider-backed) resources, false for components and the stack. */
    custom: boolean;
    /** URN of the parent resource (the stack for top-level resources, none for the stack itself). */
    parent?: string;
    /** Provider reference `<provider urn>::<provider id>`; default providers are synthesised like the engine does. */
    provider?: string;
    id?: string;
    /** Inputs as registered (what `Analyze`/`Remediate` receive). */
    inputs: Record<string, unknown>;
    /** Outputs (what `AnalyzeStack` receives): in preview, inputs plus unknown computed outputs. */
    outputs: Record<string, unknown>;
    dependencies: string[];
    /** Top-level input name → URNs of the resources that value came from (components expanded to their custom children). */
    propertyDependencies: Record<string, string[]>;
    /** Read (`Resource.get`, `StackReference`), not managed: not analyzed per resource, only in AnalyzeStack. */
    external?: boolean;
    /** Where the SDK says the resource was constructed (`sourcePosition` of the registration). */
    source?: SourceLocation;
    /** The call stack of the construction, innermost first (`stackTrace` of the registration). */
    stackTrace?: SourceLocation[];
}

/** A position in a source file as the SDK reports it (a `file://` URI, 1-based line and column). */
export interface SourceLocation {
    uri: string;
    line: number;
    column?: number;
}

export interface CapturedStack {
    project: string;
    stack: string;
    organization: string;
    /** true when captured in preview mode (outputs of new resources unknown). */
    preview: boolean;
    /** Every resource in registration order, including `pulumi:pulumi:Stack` and default providers. */
    resources: CapturedResource[];
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** A policy verdict as the CLI reports it (remediate already mapped to mandatory, like the engine does). */
export interface PolicyDiagnostic {
    policy: string;
    policyPack: string;
    level: "advisory" | "mandatory";
    urn: string;
    message: string;
    /** Which analyzer call produced it. */
    phase: "remediate" | "analyze" | "analyzeStack";
}

/** The contents of a `--policy-pack-config` file: policy name (or "all") → level or `{ enforcementLevel?, ...properties }`. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;
