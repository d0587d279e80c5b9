/**
 * Template references (`Fn::If` alternatives, per-element layer lists), resolved by the module's own functions:
 * every alternative and every element is a candidate of its own.
 */
import * as assert from "assert";
import { GraphContext } from "../../../../policies/lib/graph/context";
import { cscRef, layerRefs } from "../../../../policies/lib/graph/nodes";
import { StackIndex } from "../../../../policies/lib/graph/stackIndex";
import { CscRef, LayerRef, LayerVersionNode, Reference } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN } from "../../helpers";
import { res } from "./fixtures";

const ARN_X = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-x";
const ARN_Y = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-y";
const LAYER_ARN = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1";

const comp = res("acme:index:Layers", "layers", {});
const layerRes = res(T.layer, "shared", {}, {}, { parent: comp.urn });
const bucket = res(T.bucket, "bkt", {});
const src = (r: ReturnType<typeof res>) => ({ urn: r.urn, type: r.type, name: r.name });

function context(): GraphContext {
    const ctx = new GraphContext(new StackIndex([comp, layerRes, bucket]));
    const node: LayerVersionNode = { urn: layerRes.urn, name: "shared", type: T.layer, flavor: "classic", code: { kind: "image" }, arns: [] };
    ctx.layers.set(layerRes.urn, node);
    return ctx;
}

function showCsc(ref: CscRef): string[] {
    return ref.kind === "missing" ? ["missing"] : ref.candidates.map(c => (c.kind === "external" ? `external ${c.arn}` : c.kind === "in-stack" ? `in-stack ${c.csc.name}` : `unverifiable: ${c.reason}`));
}

function showLayers(refs: LayerRef[]): string[] {
    return refs.map(r => (r.kind === "in-stack" ? `in-stack ${r.layer.name}` : r.kind === "external" ? `external ${r.arn}` : `unverifiable: ${r.reason}`));
}

const path = "CodeSigningConfigArn";
const alt = (value: unknown, sources: Reference["sources"] = []): Reference => ({ value, sources, path });
const conditional = (...alternatives: Reference[]): Reference => ({ value: UNKNOWN, sources: [], path, alternatives });

describe("policies/lib/graph/nodes: template references", () => {
    it("a conditional CSC reference: each alternative is a candidate; one that sets none is unverifiable, all none is missing", () => {
        const ctx = context();
        assert.deepStrictEqual(showCsc(cscRef(ctx, conditional(alt(undefined), alt(ARN_X)))), [
            "unverifiable: its CodeSigningConfigArn is conditional and one alternative sets none",
            `external ${ARN_X}`,
        ]);
        assert.deepStrictEqual(showCsc(cscRef(ctx, conditional(alt(ARN_X), alt(ARN_Y), alt(ARN_X)))), [`external ${ARN_X}`, `external ${ARN_Y}`]);
        assert.deepStrictEqual(showCsc(cscRef(ctx, conditional(alt(undefined), alt("")))), ["missing"]);
    });

    it("a template layer list: each element is an in-stack layer, a known ARN or unverifiable; AWS::NoValue is no element", () => {
        const ctx = context();
        const el = (value: unknown, sources: Reference["sources"] = []): Reference => ({ value, sources, path: "Layers" });
        const refs = layerRefs(ctx, { value: UNKNOWN, sources: [], path: "Layers", elements: [
            el(UNKNOWN, [src(comp)]), // a parameter whose value derives from a component: its LayerVersion member
            el(UNKNOWN, [src(bucket)]),
            el(UNKNOWN),
            el(undefined),
            el(LAYER_ARN),
        ] });
        assert.deepStrictEqual(showLayers(refs), [
            "in-stack shared",
            `unverifiable: a Layers element derives from aws:s3/bucketV2:BucketV2 "bkt", which is not a LayerVersion of this stack`,
            "unverifiable: a Layers element is <unknown during preview> and traces to no LayerVersion",
            `external ${LAYER_ARN}`,
        ]);
    });
});
