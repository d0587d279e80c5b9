// What `npm run mutate` mutates, and which specs can kill those mutants.
// @ts-check
import * as fs from "fs";
import * as path from "path";

/**
 * Top-level source folders and the specs that exercise them in process. Tests mirror the source tree; the component
 * group adds the pack's component spec (real components analysed by the pack), cli and engine share their specs.
 * `specs` are spec files or `<folder>/**` + `/*.spec.ts` globs, fast and sensitive ones first: a mutant Stryker must
 * test against every spec (one in module-level code) stops at the first failing test. `tsconfig` is the project the
 * TypeScript checker compiles each mutant in: the policy pack stands alone, and leaving @pulumi/aws's 2,700 declaration
 * files out of its project makes the checker (the bottleneck on 2 cores) several times faster.
 * @type {Record<string, { mutate: string[]; specs: string[]; tsconfig?: string }>}
 */
export const groups = {
    components: {
        mutate: ["components/**/*.ts"],
        specs: [
            "tests/components/misuse.spec.ts", "tests/components/contentHash.spec.ts",
            "tests/components/signedFunction.spec.ts", "tests/components/signedLayer.spec.ts",
            "tests/components/presignedCode.spec.ts", "tests/components/codeSigningGuard.spec.ts",
            "tests/components/**/*.spec.ts", "tests/policies/components.spec.ts",
        ],
    },
    policies: {
        mutate: ["policies/**/*.ts", "!policies/bin/**", "!policies/node_modules/**"],
        specs: ["tests/policies/**/*.spec.ts"],
        tsconfig: "tsconfig.stryker.policies.json",
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
    // These run `bin/lambda-code-signing.js`, i.e. the compiled CLI and engine in dist/ (tests/cli/helpers.ts `check`).
    "tests/cli/action.spec.ts",
    "tests/cli/check.spec.ts",
    "tests/cli/fidelity.spec.ts",
    "tests/cli/isolation.spec.ts",
    "tests/cli/programs.spec.ts",
];

/** Specs that read the source text (README reference), which Stryker rewrites in its sandbox: they test no behaviour. */
export const sourceTextSpecs = [
    "tests/components/readme.spec.ts",
];

const excluded = [...outOfProcessSpecs, ...sourceTextSpecs].map(p => p.replace(/\*\*$/, ""));

/** Spec files under `dir` (relative to the repository root), sorted. */
function specsUnder(root, dir) {
    if (!fs.existsSync(path.join(root, dir))) {
        return [];
    }
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
        .filter(e => e.isFile() && e.name.endsWith(".spec.ts"))
        .map(e => path.relative(root, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join("/"))
        .sort();
}

/** The in-process spec files of the given groups, in the order their `specs` list them, without duplicates. */
export function inProcessSpecs(names, root = process.cwd()) {
    const files = names.flatMap(n => groups[n].specs).flatMap(p => {
        const folder = /^(.*)\/\*\*\/\*\.spec\.ts$/.exec(p);
        return folder ? specsUnder(root, folder[1]) : fs.existsSync(path.join(root, p)) ? [p] : [];
    });
    return [...new Set(files)].filter(f => !excluded.some(e => f === e || (e.endsWith("/") && f.startsWith(e))));
}
