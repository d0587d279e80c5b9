/**
 * Adapter for CloudFormation stacks (`aws.cloudformation.Stack`, aws-native `cloudformation.Stack`): the Lambda
 * functions (incl. SAM `AWS::Serverless::Function` with `Globals`), layers, code signing configs and signing profiles
 * an inline template declares become specs like any Pulumi resource's, so the same rules judge them. References
 * inside the template (`Ref`, `Fn::GetAtt`, `Fn::Sub`) point at template resources; parameters point at the Pulumi
 * resources the stack's `parameters` input derives from. A template given only by URL can't be read.
 */
import { UNKNOWN_VALUE, asString, field, isRecord, isSet, isUnknownSentinel, readString } from "../values";
import { TemplateScope, parseTemplate, resolveValue } from "./cfnTemplate";
import type { PackageType, Reference, TemplateNode, TemplateOrigin } from "./model";
import type { CodeSpec, CscSpec, FunctionSpec, LayerSpec, ProfileSpec } from "./specs";
import { Entry, GraphResource, StackIndex } from "./stackIndex";
import { CFN, flavorOf, kindOf } from "./tokens";

export interface TemplateSpecs {
    node: TemplateNode;
    profiles: ProfileSpec[];
    cscs: CscSpec[];
    layers: LayerSpec[];
    functions: FunctionSpec[];
}

interface Declared {
    id: string;
    props: Record<string, unknown>;
    template: TemplateOrigin;
    base: { id: string; urn: string; name: string; type: string; flavor: "cloudformation"; template: TemplateOrigin };
}

const isIntrinsic = (v: unknown): boolean => isRecord(v) && Object.keys(v).length === 1 && /^(Ref|Fn::.+)$/.test(Object.keys(v)[0]);

/**
 * SAM `Globals`: maps merge (the resource wins), lists are additive, anything else (including an intrinsic function)
 * is overridden by the resource.
 */
function mergeGlobals(globals: unknown, props: Record<string, unknown>): Record<string, unknown> {
    if (!isRecord(globals)) {
        return props;
    }
    const out: Record<string, unknown> = { ...globals };
    for (const [k, v] of Object.entries(props)) {
        const g = out[k];
        const maps = isRecord(g) && isRecord(v) && !isIntrinsic(g) && !isIntrinsic(v);
        out[k] = Array.isArray(g) && Array.isArray(v) ? [...g, ...v] : maps ? mergeGlobals(g, v as Record<string, unknown>) : v;
    }
    return out;
}

/** A property's resolved value as a string (the reference's path is not needed: only the value is read). */
const stringOf = (scope: TemplateScope, props: Record<string, unknown>, key: string) => asString(resolveValue(scope, field(props, key), key).value);

function packageTypeOf(scope: TemplateScope, props: Record<string, unknown>): PackageType {
    const v = stringOf(scope, props, "PackageType");
    return v === undefined ? "Zip" : v === "Image" ? "Image" : typeof v === "string" ? "Zip" : "unknown";
}

const none = (path: string): Reference => ({ value: undefined, sources: [], path });

/** `s3://bucket/key` or `{ Bucket, Key, Version }` (SAM CodeUri / ContentUri). */
function samUri(scope: TemplateScope, uri: unknown, path: string): Pick<CodeSpec, "s3" | "unverifiable"> {
    if (isRecord(uri) && ("Bucket" in uri || "Key" in uri)) {
        const r = (k: string) => resolveValue(scope, field(uri, k), `${path}.${k}`);
        return { s3: { bucket: r("Bucket"), key: r("Key"), version: r("Version") } };
    }
    const ref = resolveValue(scope, uri, path);
    const s = asString(ref.value);
    if (typeof s === "string") {
        const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(s);
        return m
            ? { s3: { bucket: { value: m[1], sources: [], path }, key: { value: m[2], sources: [], path }, version: none(path) } }
            : { s3: { bucket: none(path), key: none(path), version: none(path) }, unverifiable: `its ${path} ${JSON.stringify(s)} is a local path: SAM packages and uploads it unsigned` };
    }
    return { s3: { bucket: { ...ref, value: undefined }, key: ref, version: none(path) } };
}

/** `AWS::Lambda::Function` `Code` / `AWS::Lambda::LayerVersion` `Content`. */
function lambdaCode(scope: TemplateScope, props: Record<string, unknown>, what: string, key: "Code" | "Content", packageType?: PackageType): CodeSpec {
    const code = field(props, key);
    const r = (k: string) => resolveValue(scope, field(code, k), `${key}.${k}`);
    return {
        what,
        packageType,
        inline: isSet(field(code, "ZipFile")) ? { callbackFunction: false, detail: `its code is inline source (\`${key}.ZipFile\`), which is not signed` } : undefined,
        image: isSet(field(code, "ImageUri")),
        s3: { bucket: r("S3Bucket"), key: r("S3Key"), version: r("S3ObjectVersion") },
        noSource: `${what} has no code source (${key}.S3Key is not set)`,
    };
}

function serverlessCode(scope: TemplateScope, props: Record<string, unknown>, what: string, uriKey: string, packageType?: PackageType): CodeSpec {
    const uri = field(props, uriKey);
    const inline = isSet(field(props, "InlineCode"));
    return {
        what,
        packageType,
        inline: inline ? { callbackFunction: false, detail: `its code is inline source (\`InlineCode\`), which is not signed` } : undefined,
        image: isSet(field(props, "ImageUri")),
        ...(isSet(uri) ? samUri(scope, uri, uriKey) : { s3: { bucket: none(uriKey), key: none(uriKey), version: none(uriKey) } }),
        noSource: `${what} has no code source (${uriKey} is not set)`,
    };
}

function listRefs(scope: TemplateScope, v: unknown, path: string): { value: unknown; elements?: Reference[] } {
    if (v === undefined || v === null) {
        return { value: undefined, elements: [] };
    }
    return Array.isArray(v) ? { value: v, elements: v.map(x => resolveValue(scope, x, path)) } : { value: UNKNOWN_VALUE };
}

function functionSpec(scope: TemplateScope, d: Declared, serverless: boolean, globals: unknown): FunctionSpec {
    const props = serverless ? mergeGlobals(field(globals, "Function"), d.props) : d.props;
    const packageType = packageTypeOf(scope, props);
    const handler = stringOf(scope, props, "Handler");
    const layers = listRefs(scope, field(props, "Layers"), "Layers");
    return {
        ...d.base,
        packageType,
        handler: typeof handler === "string" ? handler : undefined,
        code: serverless ? serverlessCode(scope, props, "the function", "CodeUri", packageType) : lambdaCode(scope, props, "the function", "Code", packageType),
        csc: resolveValue(scope, field(props, "CodeSigningConfigArn"), "CodeSigningConfigArn"),
        layers: { value: layers.value, sources: [], path: "Layers", elements: layers.elements },
    };
}

const MODE_PATH = "CodeSigningPolicies.UntrustedArtifactOnDeployment";

function cscSpec(scope: TemplateScope, d: Declared): CscSpec {
    const policies = field(d.props, "CodeSigningPolicies");
    const mode = isRecord(policies) ? resolveValue(scope, field(policies, "UntrustedArtifactOnDeployment"), MODE_PATH) : undefined;
    const list = field(field(d.props, "AllowedPublishers"), "SigningProfileVersionArns");
    const publishers = listRefs(scope, list, "AllowedPublishers.SigningProfileVersionArns");
    return {
        ...d.base,
        policies: policies === undefined ? undefined : mode ? { UntrustedArtifactOnDeployment: mode.alternatives ? UNKNOWN_VALUE : mode.value } : UNKNOWN_VALUE,
        policiesPath: MODE_PATH,
        modeKey: "UntrustedArtifactOnDeployment",
        publishers: { value: publishers.value, sources: [], path: "AllowedPublishers.SigningProfileVersionArns" },
        publisherElements: publishers.elements && list !== undefined ? publishers.elements : undefined,
        arns: [],
    };
}

function declare(scope: TemplateScope, logicalId: string, type: string, props: Record<string, unknown>): Declared {
    const template: TemplateOrigin = { stackUrn: scope.stackUrn, stackName: scope.stackName, logicalId };
    const id = `${scope.stackUrn}#${logicalId}`;
    return { id, props, template, base: { id, urn: scope.stackUrn, name: `${scope.stackName}/${logicalId}`, type, flavor: "cloudformation", template } };
}

function addResource(out: TemplateSpecs, scope: TemplateScope, d: Declared, type: string, globals: unknown): void {
    switch (type) {
        case CFN.function:
        case CFN.serverlessFunction:
            out.functions.push(functionSpec(scope, d, type === CFN.serverlessFunction, globals));
            break;
        case CFN.layer:
        case CFN.serverlessLayer:
            out.layers.push({
                ...d.base,
                code: type === CFN.layer ? lambdaCode(scope, d.props, "the layer", "Content") : serverlessCode(scope, d.props, "the layer", "ContentUri"),
                arns: [],
            });
            break;
        case CFN.csc:
            out.cscs.push(cscSpec(scope, d));
            break;
        case CFN.profile: {
            const name = stringOf(scope, d.props, "ProfileName");
            out.profiles.push({ ...d.base, region: scope.region, known: { name: typeof name === "string" ? name : undefined } });
            break;
        }
    }
}

function templateOf(e: Entry): { template?: Record<string, unknown>; status: TemplateNode["status"]; detail?: string } {
    const body = field(e.props, "templateBody");
    if (!isSet(body)) {
        const url = readString(e.props, "templateUrl");
        return url === undefined ? { status: "none" } : { status: "url-only", detail: `its template is given only by templateUrl` };
    }
    if (isUnknownSentinel(body)) {
        return { status: "unreadable", detail: `its templateBody is unknown during preview` };
    }
    if (isRecord(body)) {
        return { template: body, status: "inline" };
    }
    if (typeof body !== "string") {
        return { status: "unreadable", detail: `its templateBody is not a string` };
    }
    const parsed = parseTemplate(body);
    return parsed.template ? { template: parsed.template, status: "inline" } : { status: "unreadable", detail: `its templateBody can't be parsed as JSON or YAML (${parsed.error})` };
}

/** The template node of a CloudFormation stack resource and the specs of what its template declares. */
export function templateSpecs(index: StackIndex, e: Entry): TemplateSpecs {
    const { template, status, detail } = templateOf(e);
    const node: TemplateNode = { urn: e.id, name: e.name, type: e.type, flavor: flavorOf(e.type), status };
    if (detail) {
        node.detail = detail;
    }
    const out: TemplateSpecs = { node, profiles: [], cscs: [], layers: [], functions: [] };
    const resources = field(template, "Resources");
    if (!isRecord(resources)) {
        return out;
    }
    const scope: TemplateScope = {
        stackUrn: e.id,
        stackName: e.name,
        region: index.regionOf(e),
        resources,
        parameters: isRecord(field(template, "Parameters")) ? (field(template, "Parameters") as Record<string, unknown>) : {},
        stackParameters: { value: field(e.props, "parameters"), sources: index.deps(e.res, "parameters") },
    };
    const globals = field(template, "Globals");
    for (const logicalId of Object.keys(resources)) {
        const r = field(resources, logicalId);
        const type = field(r, "Type");
        const props = field(r, "Properties");
        if (typeof type === "string") {
            addResource(out, scope, declare(scope, logicalId, type, isRecord(props) ? props : {}), type, globals);
        }
    }
    return out;
}

/** The template of one CloudFormation stack resource (resource policies: Analyze sees one resource at a time). */
export function templateOfResource(res: GraphResource): TemplateSpecs | undefined {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut only: StackIndex indexes stack resources alone (and skips a missing one), so without it `entries.stack[0]` is undefined and undefined is returned just the same
    if (!res || kindOf(res.type) !== "stack") {
        return undefined;
    }
    const index = new StackIndex([res]);
    const e = index.entries.stack[0];
    return e ? templateSpecs(index, e) : undefined;
}
