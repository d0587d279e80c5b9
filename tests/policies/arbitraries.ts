/**
 * fast-check arbitraries for property values as the engine sends them: unknown sentinels, secrets, assets and
 * archives, plain data of every JSON kind, nested at random depths. Shared by the in-process and wire-level suites.
 */
import * as fc from "fast-check";
import { SENTINELS, secret } from "./helpers";

export interface ValueOptions {
    /** Meaningful constants (ARNs, modes, template bodies) mixed into the leaves. */
    constants: unknown[];
    /** Keys of nested objects. */
    keys: string[];
    /** More shapes to draw from (special wire objects, wide or deep values). */
    extras?: Array<fc.Arbitrary<unknown>>;
}

export function leafValues(constants: unknown[]): fc.Arbitrary<unknown> {
    return fc.oneof(
        fc.constantFrom(...SENTINELS, ...constants),
        fc.string({ maxLength: 12 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
    );
}

export function wireValues(options: ValueOptions): fc.Arbitrary<unknown> {
    const leaf = leafValues(options.constants);
    return fc.letrec(tie => ({
        v: fc.oneof(
            { depthSize: "small", withCrossShrink: true },
            leaf,
            fc.array(tie("v"), { maxLength: 4 }),
            fc.dictionary(fc.constantFrom(...options.keys), tie("v"), { maxKeys: 4 }),
            tie("v").map(x => secret(x)),
            ...(options.extras ?? []),
        ),
    })).v;
}
