import * as assert from "assert";
import { resolveValue, TemplateScope } from "../../../../policies/lib/graph/cfnTemplate";
import type { Reference, SourceRef } from "../../../../policies/lib/graph/model";
import { UNKNOWN_VALUE } from "../../../../policies/lib/values";
import { T, UNKNOWN } from "../../helpers";

const JOB: SourceRef = { urn: "urn:job", type: T.job, name: "job" };

const SCOPE: TemplateScope = {
    stackUrn: "urn:s", stackName: "s", region: "eu-west-1",
    resources: {
        Res: { Type: "AWS::Lambda::CodeSigningConfig" },
        NoType: { Properties: {} },
        BadType: { Type: 7 },
        5: { Type: "AWS::S3::Bucket" },
    },
    parameters: {
        Given: { Type: "String" }, Num: { Type: "Number" }, Bool: { Type: "String" }, Obj: { Type: "String", Default: "dflt" },
        Unk: { Type: "String" }, Missing: { Type: "String" }, Dflt: { Type: "String", Default: "dflt" },
        SelfRef: { Default: { Ref: "SelfRef" } },
        SelfSub: { Default: { "Fn::Sub": "${SelfSub}" } },
        SelfSubVar: { Default: { "Fn::Sub": ["${v}", { v: { Ref: "SelfSubVar" } }] } },
    },
    stackParameters: { value: { Given: "given", Num: 5, Bool: false, Obj: { a: 1 }, Unk: UNKNOWN }, sources: [JOB] },
};

const v = (x: unknown): Reference => resolveValue(SCOPE, x, "X");
const lit = (value: unknown): Reference => ({ value, sources: [], path: "X" });
const unknown = (sources: SourceRef[] = []): Reference => ({ value: UNKNOWN_VALUE, sources, path: "X" });
const param = (value: string): Reference => ({ value, sources: [JOB], path: "X", shared: true });
const RES: SourceRef = { urn: "urn:s#Res", type: "AWS::Lambda::CodeSigningConfig", name: "s/Res" };
const IF = { "Fn::If": ["c", "a", { Ref: "Res" }] };
const IF_REF: Reference = { value: UNKNOWN_VALUE, sources: [], path: "X", alternatives: [lit("a"), unknown([RES])] };

/** `wrap` applied n times around the literal "x". */
const nest = (n: number, wrap: (x: unknown) => unknown): unknown => (n === 0 ? "x" : wrap(nest(n - 1, wrap)));
/** The reference of that nesting: `expect` applied n times around the leaf, which is past the depth bound at 33. */
const nested = (n: number, expect: (inner: Reference) => Reference): Reference => {
    let r = n > 32 ? unknown() : lit("x");
    for (let i = 0; i < n; i++) {
        r = expect(r);
    }
    return r;
};

describe("policies/lib/graph/cfnTemplate resolveValue", () => {
    it("literals: numbers and booleans as strings; strings, lists and plain objects as they are; null is not set", () => {
        assert.deepStrictEqual([v("s"), v(5), v(true), v(null), v(undefined)], [lit("s"), lit("5"), lit("true"), lit(undefined), lit(undefined)]);
        assert.deepStrictEqual(v(["a", { Ref: "Res" }]), lit(["a", { Ref: "Res" }]));
        for (const o of [{}, { Bucket: "b" }, { Condition: "c" }, { Ref: "Res", Other: 1 }, { "Fn::Sub": "a", Ref: "Res" }, { Reference: "Res" }]) {
            assert.deepStrictEqual(v(o), lit(o), JSON.stringify(o));
        }
    });

    it("template resources: the source is the resource with its Type, or AWS::CloudFormation::Resource without one", () => {
        assert.deepStrictEqual(v({ Ref: "Res" }), unknown([RES]));
        assert.deepStrictEqual(v({ "Fn::GetAtt": "Res.Arn" }), unknown([RES]));
        assert.deepStrictEqual(v({ "Fn::GetAtt": ["Res", "Arn"] }), unknown([RES]));
        const typeless = [{ urn: "urn:s#NoType", type: "AWS::CloudFormation::Resource", name: "s/NoType" }];
        assert.deepStrictEqual(v({ Ref: "NoType" }), unknown(typeless));
        assert.deepStrictEqual(v({ Ref: "BadType" }), unknown([{ urn: "urn:s#BadType", type: "AWS::CloudFormation::Resource", name: "s/BadType" }]));
        assert.deepStrictEqual(v({ "Fn::GetAtt": "R.Arn" }), unknown(), "the whole logical id before the dot, not its first letter");
        assert.deepStrictEqual(v({ "Fn::GetAtt": [5, "Arn"] }), unknown(), "a logical id is a string");
        assert.deepStrictEqual(v({ "Fn::GetAtt": { Res: "Arn" } }), unknown());
        assert.deepStrictEqual(v({ "Fn::GetAtt": { 0: "Res", 1: "Arn" } }), unknown(), "only a list is read by position");
    });

    it("parameters: a given string, number or boolean is shared with the stack's dependencies; else the Default, else unknown", () => {
        assert.deepStrictEqual([v({ Ref: "Given" }), v({ Ref: "Num" }), v({ Ref: "Bool" })], [param("given"), param("5"), param("false")]);
        assert.deepStrictEqual(v({ Ref: "Unk" }), { value: UNKNOWN_VALUE, sources: [JOB], path: "X", shared: true });
        assert.deepStrictEqual(v({ Ref: "Obj" }), lit("dflt"), "a given value that is not a scalar is not used");
        assert.deepStrictEqual(v({ Ref: "Dflt" }), lit("dflt"));
        assert.deepStrictEqual(v({ Ref: "Missing" }), unknown());
        assert.deepStrictEqual(v({ Ref: "AWS::AccountId" }), unknown());
    });

    it("Fn::Join: a literal when every part is known (AWS::NoValue joins as empty), shared when any part is", () => {
        assert.deepStrictEqual(v({ "Fn::Join": ["-", ["a", { Ref: "AWS::NoValue" }, "b"]] }), { ...lit("a--b"), shared: false });
        assert.deepStrictEqual(v({ "Fn::Join": ["/", ["a", { Ref: "Given" }]] }), { value: "a/given", sources: [JOB], path: "X", shared: true });
        assert.deepStrictEqual(v({ "Fn::Join": ["/", [{ Ref: "Res" }, { Ref: "Given" }]] }), { ...unknown([RES, JOB]), shared: true });
        assert.deepStrictEqual(v({ "Fn::Join": ["/", [{ Ref: "Res" }, "a"]] }), { ...unknown([RES]), shared: false });
        assert.deepStrictEqual(v({ "Fn::Join": [5, ["a", "b"]] }), unknown(), "the delimiter must be a string");
        assert.deepStrictEqual(v({ "Fn::Join": ["/", "ab"] }), unknown());
        assert.deepStrictEqual(v({ "Fn::Join": "ab" }), unknown());
    });

    it("Fn::Sub: variables (trimmed) from the map, parameters, resources; a Sub of one variable is that variable's reference", () => {
        assert.deepStrictEqual(v({ "Fn::Sub": "a-${ Given }-${Dflt}-${!Lit}" }), { value: "a-given-dflt-${Lit}", sources: [JOB], path: "X", shared: true });
        assert.deepStrictEqual(v({ "Fn::Sub": ["${x}/${y}", { x: "1", y: { Ref: "Res" } }] }), { ...unknown([RES]), shared: false });
        assert.deepStrictEqual(v({ "Fn::Sub": ["${x}", { x: IF }] }), IF_REF, "alternatives survive");
        assert.deepStrictEqual(v({ "Fn::Sub": [" ${x}\n", { x: IF }] }), IF_REF, "surrounding whitespace is ignored");
        assert.deepStrictEqual(v({ "Fn::Sub": "${Res.Arn}" }), unknown([RES]));
        assert.deepStrictEqual(v({ "Fn::Sub": "${Res}" }), unknown([RES]));
        assert.deepStrictEqual(v({ "Fn::Sub": "${Res}-x" }), { ...unknown([RES]), shared: false });
        for (const arg of [5, [5, {}], { a: 1 }]) {
            assert.deepStrictEqual(v({ "Fn::Sub": arg }), unknown(), JSON.stringify(arg));
        }
    });

    it("Fn::If: each branch is an alternative", () => {
        assert.deepStrictEqual(v(IF), IF_REF);
        assert.deepStrictEqual(v({ "Fn::If": ["c", "a", "b", "extra"] }), { ...unknown(), alternatives: [lit("a"), lit("b")] });
        assert.deepStrictEqual(v({ "Fn::If": "c" }), { ...unknown(), alternatives: [] });
    });

    it("Fn::Select: a number or digit-string index within the list selects; any other index makes every element an alternative", () => {
        const list = ["a", "b"];
        const all = { ...unknown(), alternatives: [lit("a"), lit("b")] };
        for (const index of [1, "1", "01"]) {
            assert.deepStrictEqual(v({ "Fn::Select": [index, list] }), lit("b"), JSON.stringify(index));
        }
        for (const index of [2, "2", "", "1.0", " 1", "1 ", "x1", [1], { Ref: "Given" }]) {
            assert.deepStrictEqual(v({ "Fn::Select": [index, list] }), all, JSON.stringify(index));
        }
        assert.deepStrictEqual(v({ "Fn::Select": [0, "ab"] }), unknown());
        assert.deepStrictEqual(v({ "Fn::Select": 0 }), unknown());
    });

    it("stops at nesting depth 32: the value beyond is unknown, for every intrinsic that nests", () => {
        const cases: [string, (x: unknown) => unknown, (inner: Reference) => Reference][] = [
            ["Select by index", x => ({ "Fn::Select": [0, [x]] }), r => r],
            ["Select alternatives", x => ({ "Fn::Select": [{ Ref: "Res" }, [x]] }), r => ({ ...unknown(), alternatives: [r] })],
            ["If", x => ({ "Fn::If": ["c", x] }), r => ({ ...unknown(), alternatives: [r] })],
            ["Join", x => ({ "Fn::Join": ["", [x]] }), r => ({ value: r.value, sources: [], path: "X", shared: false })],
            ["Sub variable", x => ({ "Fn::Sub": ["${v}", { v: x }] }), r => r],
        ];
        for (const [name, wrap, expect] of cases) {
            assert.deepStrictEqual(v(nest(32, wrap)), nested(32, expect), `${name} x32`);
            assert.deepStrictEqual(v(nest(33, wrap)), nested(33, expect), `${name} x33`);
        }
    });

    it("a parameter whose Default refers to itself (directly, through Sub, through a Sub variable) is unknown", () => {
        assert.deepStrictEqual(v({ Ref: "SelfRef" }), unknown());
        assert.deepStrictEqual(v({ Ref: "SelfSub" }), unknown());
        assert.deepStrictEqual(v({ Ref: "SelfSubVar" }), unknown());
    });
});
