import * as assert from "assert";
import type { Reference } from "../../../../policies/lib/graph/model";
import { alternativesOf } from "../../../../policies/lib/graph/specs";

const ref = (value: unknown, alternatives?: Reference[]): Reference => ({ value, sources: [], path: "Code.S3Key", ...(alternatives ? { alternatives } : {}) });

describe("policies/lib/graph/specs", () => {
    it("alternativesOf: a plain reference, or one with an empty list of alternatives, is its own only alternative", () => {
        const plain = ref("k");
        assert.deepStrictEqual(alternativesOf(plain), [plain]);
        assert.strictEqual(alternativesOf(plain)[0], plain);
        const none = ref("k", []);
        assert.deepStrictEqual(alternativesOf(none), [none]);
    });

    it("alternativesOf: nested alternatives (Fn::If inside Fn::If) are flattened in order", () => {
        const [a, b, c] = [ref("a"), ref("b"), ref("c")];
        assert.deepStrictEqual(alternativesOf(ref(undefined, [a, ref(undefined, [b, c])])), [a, b, c]);
    });
});
