/**
 * CloudFormation templates: parsing (JSON, or YAML with the short-form intrinsic tags `!Ref`, `!GetAtt`, `!Sub`, …)
 * and resolution of a template value to a `Reference`: a literal, a template resource (`Ref`/`Fn::GetAtt`), a
 * template parameter (the Pulumi stack's `parameters` input, whose dependencies are the Pulumi resources it derives
 * from, or the parameter's Default), or alternatives (`Fn::If`, `Fn::Select`). js-yaml is loaded only when a template
 * is not JSON, so the pack's cold start never pays for it.
 */
import { UNKNOWN_VALUE, asString, field, isRecord, isUnknownSentinel } from "../values";
import type { Reference, SourceRef } from "./model";
import { partitionOf } from "./publishers";

/** CloudFormation's own limit for an inline template body is 51,200 bytes; anything far larger is not parsed. */
const MAX_TEMPLATE_CHARS = 1_000_000;
const MAX_DEPTH = 32;

const SHORT_FORMS = [
    "Base64", "Cidr", "FindInMap", "GetAZs", "If", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
    "And", "Equals", "Not", "Or", "ToJsonString", "Length",
];

/** The part of js-yaml 4 used here (typed locally: the pack needs no @types package to build). */
interface YamlModule {
    Type: new (tag: string, options: { kind: "scalar" | "sequence" | "mapping"; construct: (data: unknown) => unknown }) => unknown;
    DEFAULT_SCHEMA: { extend(types: unknown[]): unknown };
    load(text: string, options: { schema: unknown }): unknown;
}

let cfnSchema: unknown;

function yamlSchema(yaml: YamlModule): unknown {
    if (!cfnSchema) {
        const kinds = ["scalar", "sequence", "mapping"] as const;
        const types = kinds.flatMap(kind => [
            new yaml.Type("!Ref", { kind, construct: (d: unknown) => ({ Ref: d }) }),
            new yaml.Type("!Condition", { kind, construct: (d: unknown) => ({ Condition: d }) }),
            new yaml.Type("!GetAtt", {
                kind,
                construct: (d: unknown) => {
                    if (typeof d === "string") {
                        const i = d.indexOf(".");
                        return { "Fn::GetAtt": i > 0 ? [d.slice(0, i), d.slice(i + 1)] : [d] };
                    }
                    return { "Fn::GetAtt": d };
                },
            }),
            ...SHORT_FORMS.map(name => new yaml.Type(`!${name}`, { kind, construct: (d: unknown) => ({ [`Fn::${name}`]: d }) })),
        ]);
        cfnSchema = yaml.DEFAULT_SCHEMA.extend(types);
    }
    return cfnSchema;
}

/** Parses a template body; never throws. */
export function parseTemplate(body: string): { template?: Record<string, unknown>; error?: string } {
    if (body.length > MAX_TEMPLATE_CHARS) {
        return { error: `it is ${body.length} characters long, far above CloudFormation's 51,200-byte limit` };
    }
    let parsed: unknown;
    let error: string | undefined;
    if (body.trimStart().startsWith("{")) {
        try {
            parsed = JSON.parse(body);
        } catch (err) {
            error = (err as Error).message;
        }
    }
    if (parsed === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const yaml: YamlModule = require("js-yaml");
            parsed = yaml.load(body, { schema: yamlSchema(yaml) });
            error = undefined;
        } catch (err) {
            error = error ?? String((err as Error).message).split("\n")[0];
        }
    }
    if (!isRecord(parsed)) {
        return { error: error ?? "it is not a JSON or YAML object" };
    }
    return { template: parsed };
}

export interface TemplateScope {
    stackUrn: string;
    stackName: string;
    region?: string;
    resources: Record<string, unknown>;
    parameters: Record<string, unknown>;
    /** The Pulumi stack resource's `parameters` input and its dependencies. */
    stackParameters: { value: unknown; sources: SourceRef[] };
}

export function templateSource(scope: TemplateScope, logicalId: string): SourceRef {
    const r = field(scope.resources, logicalId);
    const type = typeof field(r, "Type") === "string" ? (field(r, "Type") as string) : "AWS::CloudFormation::Resource";
    return { urn: `${scope.stackUrn}#${logicalId}`, type, name: `${scope.stackName}/${logicalId}` };
}

const unknown = (path: string, sources: SourceRef[] = []): Reference => ({ value: UNKNOWN_VALUE, sources, path });

function parameterRef(scope: TemplateScope, name: string, path: string, depth: number): Reference {
    const given = scope.stackParameters.value;
    if (isUnknownSentinel(given)) {
        return { value: UNKNOWN_VALUE, sources: scope.stackParameters.sources, path, shared: true };
    }
    const v = field(given, name);
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
        // Known or not, the value may derive from any resource the `parameters` input derives from (Pulumi records
        // dependencies per top-level input): the same sources in preview and in update, so both modes agree.
        return { value: isUnknownSentinel(v) ? UNKNOWN_VALUE : String(v), sources: scope.stackParameters.sources, path, shared: true };
    }
    const dflt = field(field(scope.parameters, name), "Default");
    return dflt === undefined ? unknown(path) : resolveValue(scope, dflt, path, depth + 1);
}

function refRef(scope: TemplateScope, name: unknown, path: string, depth: number): Reference {
    if (typeof name !== "string") {
        return unknown(path);
    }
    if (field(scope.resources, name) !== undefined) {
        return unknown(path, [templateSource(scope, name)]);
    }
    if (field(scope.parameters, name) !== undefined) {
        return parameterRef(scope, name, path, depth);
    }
    switch (name) {
        case "AWS::Region":
            return scope.region ? { value: scope.region, sources: [], path } : unknown(path);
        case "AWS::Partition":
            return scope.region ? { value: partitionOf(scope.region), sources: [], path } : unknown(path);
        case "AWS::NoValue":
            return { value: undefined, sources: [], path };
        default:
            return unknown(path);
    }
}

function getAttRef(scope: TemplateScope, arg: unknown, path: string): Reference {
    const id: unknown = typeof arg === "string" ? arg.split(".")[0] : Array.isArray(arg) ? arg[0] : undefined;
    return typeof id === "string" && field(scope.resources, id) !== undefined ? unknown(path, [templateSource(scope, id)]) : unknown(path);
}

/** `Fn::Sub` / `Fn::Join`: a literal when every part is known, else unknown deriving from every part's sources. */
function composite(parts: Reference[], join: (values: string[]) => string, path: string): Reference {
    const values = parts.map(p => asString(p.value));
    const sources = parts.flatMap(p => [...p.sources]);
    if (values.every((v): v is string => typeof v === "string" || v === undefined)) {
        return { value: join(values.map(v => v ?? "")), sources, path, shared: parts.some(p => p.shared) };
    }
    return { value: UNKNOWN_VALUE, sources, path, shared: parts.some(p => p.shared) };
}

function subRef(scope: TemplateScope, arg: unknown, path: string, depth: number): Reference {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof text !== "string") {
        return unknown(path);
    }
    const names = [...text.matchAll(/\$\{(?!!)([^}]+)\}/g)].map(m => m[1].trim());
    const resolveName = (n: string): Reference =>
        field(vars, n) !== undefined
            ? resolveValue(scope, field(vars, n), path, depth + 1)
            : n.includes(".") ? getAttRef(scope, n, path) : refRef(scope, n, path, depth + 1);
    if (text.trim() === `\${${names[0]}}`) { // the whole text is one variable (so `names` has exactly one)
        return resolveName(names[0]);
    }
    const parts = names.map(resolveName);
    return composite(parts, values => {
        let i = 0;
        return text.replace(/\$\{(?!!)([^}]+)\}/g, () => values[i++]).replace(/\$\{!/g, "${");
    }, path);
}

function intrinsicRef(scope: TemplateScope, key: string, arg: unknown, path: string, depth: number): Reference {
    switch (key) {
        case "Ref":
            return refRef(scope, arg, path, depth);
        case "Fn::GetAtt":
            return getAttRef(scope, arg, path);
        case "Fn::Sub":
            return subRef(scope, arg, path, depth);
        case "Fn::Join": {
            // Stryker disable next-line ArrayDeclaration: a one-element array in place of [] leaves `list` undefined too, so the result is unknown either way
            const [delim, list] = Array.isArray(arg) ? arg : [];
            return Array.isArray(list) && typeof delim === "string"
                ? composite(list.map(x => resolveValue(scope, x, path, depth + 1)), v => v.join(delim), path)
                : unknown(path);
        }
        case "Fn::If": {
            const branches = Array.isArray(arg) ? arg.slice(1, 3) : [];
            return { value: UNKNOWN_VALUE, sources: [], path, alternatives: branches.map(b => resolveValue(scope, b, path, depth + 1)) };
        }
        case "Fn::Select": {
            // Stryker disable next-line ArrayDeclaration: a one-element array in place of [] leaves `list` undefined too, so the result is unknown either way
            const [index, list] = Array.isArray(arg) ? arg : [];
            if (!Array.isArray(list)) {
                return unknown(path);
            }
            const i = typeof index === "number" ? index : typeof index === "string" && /^\d+$/.test(index) ? Number(index) : undefined;
            return i !== undefined && i < list.length
                ? resolveValue(scope, list[i], path, depth + 1)
                : { value: UNKNOWN_VALUE, sources: [], path, alternatives: list.map(x => resolveValue(scope, x, path, depth + 1)) };
        }
        default:
            return unknown(path); // Fn::ImportValue, Fn::FindInMap, …: not known from the template alone
    }
}

/** A template value as a Reference. Never throws; bounded depth. */
export function resolveValue(scope: TemplateScope, v: unknown, path: string, depth = 0): Reference {
    if (depth > MAX_DEPTH) {
        return unknown(path);
    }
    if (typeof v === "number" || typeof v === "boolean") {
        return { value: String(v), sources: [], path };
    }
    if (v === null) {
        return { value: undefined, sources: [], path };
    }
    if (isRecord(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"))) {
            return intrinsicRef(scope, keys[0], v[keys[0]], path, depth);
        }
    }
    return { value: v, sources: [], path }; // strings, undefined, lists and plain objects as they are
}
