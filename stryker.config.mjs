// StrykerJS configuration: `npm run mutate` (scripts/mutate.mjs) sets MUTATE_SPECS and MUTATE_REPORT for one folder
// or file at a time; `npx stryker run` without them mutates every target against every in-process spec.
// How to run it and the recorded scores: MUTATION.md.
// @ts-check
import { groups, inProcessSpecs, outOfProcessSpecs, sourceTextSpecs } from "./scripts/mutationTargets.mjs";

const report = process.env.MUTATE_REPORT ?? "all";
const specs = process.env.MUTATE_SPECS ? JSON.parse(process.env.MUTATE_SPECS) : inProcessSpecs(Object.keys(groups));

// Node.js 22.6+ strips types itself and would load the .ts specs as ES modules (see .mocharc.js); Stryker starts its
// test-runner workers with plain `node`, so the flag goes here.
const stripsTypes = process.allowedNodeEnvironmentFlags.has("--experimental-strip-types");

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    testRunnerNodeArgs: stripsTypes ? ["--no-experimental-strip-types"] : [],
    mochaOptions: {
        config: ".mocharc.js",
        require: ["ts-node/register/transpile-only", "./scripts/strykerHookCoverage.cjs"],
        spec: specs,
        ignore: [...outOfProcessSpecs, ...sourceTextSpecs],
    },
    // Each mutant runs only the tests that executed it in the initial run.
    coverageAnalysis: "perTest",
    checkers: ["typescript"],
    tsconfigFile: process.env.MUTATE_TSCONFIG || "tsconfig.stryker.json",
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    mutate: Object.values(groups).flatMap(g => g.mutate),
    // Previous results are reused for unchanged code and tests; one file per target (reports/ is not committed).
    incremental: true,
    incrementalFile: `reports/mutation/${report}.incremental.json`,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: `reports/mutation/${report}.html` },
    jsonReporter: { fileName: `reports/mutation/${report}.json` },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    // The machine has 2 cores; override with `--concurrency`.
    concurrency: 2,
    // Pulumi programs under mocks settle asynchronously: leave room over the measured test time.
    timeoutMS: 15000,
    timeoutFactor: 2,
    thresholds: { high: 90, low: 80, break: null },
    // Build outputs stay in the sandbox: some in-process specs start the compiled pack (policies/bin) as a helper.
    ignorePatterns: ["reports", ".stryker-tmp", "bench/packs/*/node_modules", "*.tgz"],
    tempDirName: ".stryker-tmp",
    cleanTempDir: true,
};
