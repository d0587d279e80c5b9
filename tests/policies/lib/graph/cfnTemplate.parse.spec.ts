import * as assert from "assert";
import * as path from "path";
import { parseTemplate } from "../../../../policies/lib/graph/cfnTemplate";

type CfnTemplateModule = typeof import("../../../../policies/lib/graph/cfnTemplate");

const MODULE = require.resolve("../../../../policies/lib/graph/cfnTemplate");
const YAML_PATH = require.resolve("js-yaml", { paths: [path.dirname(MODULE)] });

/**
 * A second instance of the module, as in a new process: its YAML schema is not built yet and js-yaml is required
 * anew. The cached instance (the one every other spec imports) stays in place.
 */
function freshModule(): CfnTemplateModule {
    const cached = require.cache[MODULE];
    delete require.cache[MODULE];
    try {
        return require(MODULE) as CfnTemplateModule;
    } finally {
        if (cached) {
            require.cache[MODULE] = cached;
        }
    }
}

const errorOf = (f: () => unknown): string => {
    try {
        f();
    } catch (err) {
        return (err as Error).message;
    }
    throw new Error("expected a throw");
};

const SHORT_FORMS = [
    "Base64", "Cidr", "FindInMap", "GetAZs", "If", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
    "And", "Equals", "Not", "Or", "ToJsonString", "Length",
];

describe("policies/lib/graph/cfnTemplate parseTemplate", () => {
    it("reads every short-form tag in scalar, sequence and mapping form, in a fresh process", () => {
        const { parseTemplate: parse } = freshModule();
        const tags = ["Ref", "Condition", ...SHORT_FORMS];
        const lines = tags.flatMap(t => [`${t}S: !${t} s`, `${t}Q: !${t} [a, 1]`, `${t}M: !${t} { k: v }`]);
        const long = (t: string) => (t === "Ref" || t === "Condition" ? t : `Fn::${t}`);
        const expected = Object.fromEntries(tags.flatMap(t => [
            [`${t}S`, { [long(t)]: "s" }], [`${t}Q`, { [long(t)]: ["a", 1] }], [`${t}M`, { [long(t)]: { k: "v" } }],
        ]));
        assert.deepStrictEqual(parse(lines.join("\n")), { template: expected });
    });

    it("splits a scalar !GetAtt at its first dot only when a logical id precedes it", () => {
        const { parseTemplate: parse } = freshModule();
        assert.deepStrictEqual(parse([
            "A: !GetAtt Res.Arn", "B: !GetAtt Res.Outputs.Url", "C: !GetAtt Res", "D: !GetAtt .Arn",
            "E: !GetAtt [Res, Arn]", "F: !GetAtt { Res: Arn }",
        ].join("\n")), { template: {
            A: { "Fn::GetAtt": ["Res", "Arn"] }, B: { "Fn::GetAtt": ["Res", "Outputs.Url"] }, C: { "Fn::GetAtt": ["Res"] },
            D: { "Fn::GetAtt": [".Arn"] }, E: { "Fn::GetAtt": ["Res", "Arn"] }, F: { "Fn::GetAtt": { Res: "Arn" } },
        } });
    });

    it("builds the YAML schema once per process, not per template", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const yaml = require(YAML_PATH) as { DEFAULT_SCHEMA: { extend(types: unknown[]): unknown } };
        const extend = yaml.DEFAULT_SCHEMA.extend;
        let calls = 0;
        yaml.DEFAULT_SCHEMA.extend = function (this: unknown, types: unknown[]) {
            calls++;
            return extend.call(this, types);
        };
        try {
            const { parseTemplate: parse } = freshModule();
            assert.deepStrictEqual(parse("A: !Ref B"), { template: { A: { Ref: "B" } } });
            assert.deepStrictEqual(parse("C: !Sub x"), { template: { C: { "Fn::Sub": "x" } } });
            assert.strictEqual(calls, 1);
        } finally {
            delete (yaml.DEFAULT_SCHEMA as { extend?: unknown }).extend;
        }
    });

    it("loads js-yaml only for a template that is not JSON", () => {
        const loaded = require.cache[YAML_PATH];
        delete require.cache[YAML_PATH];
        try {
            const { parseTemplate: parse } = freshModule();
            assert.deepStrictEqual(parse(' \n{"Resources": {"A": {"Type": "X"}}}'), { template: { Resources: { A: { Type: "X" } } } });
            assert.strictEqual(require.cache[YAML_PATH], undefined, "a JSON body never loads js-yaml");
            assert.deepStrictEqual(parse("Resources: { A: { Type: X } }"), { template: { Resources: { A: { Type: "X" } } } });
            assert.notStrictEqual(require.cache[YAML_PATH], undefined);
        } finally {
            if (loaded) {
                require.cache[YAML_PATH] = loaded;
            }
        }
    });

    it("reads a body that starts with { as JSON: JSON semantics, JSON's own error", () => {
        assert.deepStrictEqual(parseTemplate('\n  {"A": 1, "A": 2}'), { template: { A: 2 } }, "the last duplicate key wins (YAML would reject it)");
        const broken = '{"Resources": ["unclosed"';
        assert.deepStrictEqual(parseTemplate(broken), { error: errorOf(() => JSON.parse(broken)) });
        assert.deepStrictEqual(parseTemplate('{"a": [1, 2,]}'), { template: { a: [1, 2] } }, "YAML flow style that is not JSON");
    });

    it("reports YAML's first error line for a body that is not JSON", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const yaml = require(YAML_PATH) as { load(text: string): unknown };
        const body = "Resources: [unclosed";
        assert.deepStrictEqual(parseTemplate(body), { error: errorOf(() => yaml.load(body)).split("\n")[0] });
        assert.deepStrictEqual(parseTemplate("- a\n- b"), { error: "it is not a JSON or YAML object" });
    });

    it("parses a body up to 1,000,000 characters and refuses a longer one", () => {
        const atLimit = `{"a": "${"x".repeat(1_000_000 - 9)}"}`;
        assert.strictEqual(atLimit.length, 1_000_000);
        assert.deepStrictEqual(parseTemplate(atLimit), { template: { a: "x".repeat(1_000_000 - 9) } });
        assert.deepStrictEqual(parseTemplate(`${atLimit} `), { error: "it is 1000001 characters long, far above CloudFormation's 51,200-byte limit" });
    });
});
