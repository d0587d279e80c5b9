// What `npm run mutate` mutates, and which specs can kill those mutants.
// @ts-check

/**
 * Top-level source folders and the specs that exercise them in process. Tests mirror the source tree; the component
 * group adds the pack's component spec (real components analysed by the pack), cli and engine share their specs.
 * @type {Record<string, { mutate: string[]; specs: string[] }>}
 */
export const groups = {
    components: {
        mutate: ["components/**/*.ts"],
        specs: ["tests/components/**/*.spec.ts", "tests/policies/components.spec.ts"],
    },
    policies: {
        mutate: ["policies/**/*.ts", "!policies/bin/**", "!policies/node_modules/**"],
        specs: ["tests/policies/**/*.spec.ts"],
    },
    cli: {
        mutate: ["cli/**/*.ts"],
        specs: ["tests/cli/**/*.spec.ts", "tests/engine/**/*.spec.ts"],
    },
    engine: {
        // types.ts declares types only.
        mutate: ["engine/**/*.ts", "!engine/types.ts"],
        specs: ["tests/engine/**/*.spec.ts", "tests/cli/**/*.spec.ts"],
    },
};

/**
 * Specs whose tests run the code under test in another process (npm pack, the compiled CLI in dist/, the compiled pack
 * in policies/bin): a mutant in the sandbox's TypeScript never reaches them, so they cost minutes per run and can
 * kill nothing. `npm test` still runs them.
 */
export const outOfProcessSpecs = [
    "tests/install/**",
    "tests/policies/packaging.spec.ts",
];

/** The in-process specs of the given groups, without duplicates. */
export function inProcessSpecs(names) {
    return [...new Set(names.flatMap(n => groups[n].specs))];
}
