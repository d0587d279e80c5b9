import * as assert from "assert";
import { attachPropertyDependencies, downgradeOutputValues, OUTPUT_VALUE_SIG, outputDependencies, RESOURCE_REFERENCE_SIG, upgradeToOutputValues, withoutResourceReferences } from "../../engine/outputValues";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN } from "../../engine/wireValues";

const out = (fields: Record<string, unknown>) => ({ [SPECIAL_SIG_KEY]: OUTPUT_VALUE_SIG, ...fields });
const secret = (value: unknown) => ({ [SPECIAL_SIG_KEY]: SECRET_SIG, value });

describe("engine/outputValues: values as the engine's transforms see them", () => {
    it("upgrades unknowns and secrets at any depth to output values, and leaves the rest", () => {
        const wire = { a: UNKNOWN, b: secret("s"), c: [1, secret(UNKNOWN)], d: { e: "x" } };
        assert.deepStrictEqual(upgradeToOutputValues(wire), {
            a: out({}), b: out({ value: "s", secret: true }), c: [1, out({ secret: true })], d: { e: "x" },
        });
    });

    it("attaches a property's dependencies only when its value does not already carry them", () => {
        const props = { arn: "arn:x", tags: out({ value: { a: 1 }, dependencies: ["urn:a"] }), name: "n" };
        const attached = attachPropertyDependencies(props, { arn: ["urn:csc"], tags: ["urn:a"], name: [] });
        assert.deepStrictEqual(attached, { arn: out({ value: "arn:x", dependencies: ["urn:csc"] }), tags: props.tags, name: "n" });
        assert.deepStrictEqual([...outputDependencies(attached.arn)], ["urn:csc"]);
    });

    it("downgrades output values to values, unknowns and secrets", () => {
        const upgraded = { a: out({}), b: out({ value: "s", secret: true }), c: [out({ value: 2, dependencies: ["urn:x"] })], d: out({ secret: true }) };
        assert.deepStrictEqual(downgradeOutputValues(upgraded), { a: UNKNOWN, b: secret("s"), c: [2], d: secret(UNKNOWN) });
    });

    it("round-trips wire values untouched by a transform", () => {
        const wire = { a: UNKNOWN, b: secret("s"), c: [1, { d: "e" }] };
        assert.deepStrictEqual(downgradeOutputValues(upgradeToOutputValues(wire)), wire);
    });

    it("shows analyzers a resource reference as its ID (unknown while it is), a component's as its URN", () => {
        const ref = (fields: Record<string, unknown>) => ({ [SPECIAL_SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:r", ...fields });
        assert.deepStrictEqual(withoutResourceReferences({ a: ref({ id: "i-1" }), b: ref({ id: "" }), c: [ref({})] }), { a: "i-1", b: UNKNOWN, c: ["urn:r"] });
    });
});
