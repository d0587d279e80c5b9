// Mocha root-hook plugin loaded only by Stryker runs (stryker.config.mjs): per-test coverage for `before` hooks.
//
// With coverageAnalysis "perTest", Stryker's mocha runner attributes the code a test executes to that test (it sets
// __stryker__.currentTestId in a root beforeEach). A suite's `before` hook runs before that beforeEach: what it executes
// would be counted for the previous suite's last test (a mutant then runs only that test, which cannot see it) or as
// static (a mutant then reruns every spec in a fresh process). Many of our suites deploy a program once in `before` and
// assert on it in several tests, so this plugin counts the code a `before` hook executes for every test of its suite,
// the tests whose selection makes mocha run that hook again.
"use strict";

const namespace = "__stryker__";

function context() {
    return global[namespace] || (global[namespace] = {});
}

/** Copies the coverage recorded under `from` to every test of `suite`, then forgets `from`. */
function attribute(from, suite) {
    const coverage = context().mutantCoverage;
    const hits = coverage && coverage.perTest[from];
    if (!hits) {
        return;
    }
    delete coverage.perTest[from];
    suite.eachTest(test => {
        const target = coverage.perTest[test.fullTitle()] || (coverage.perTest[test.fullTitle()] = {});
        for (const [mutant, count] of Object.entries(hits)) {
            target[mutant] = (target[mutant] || 0) + count;
        }
    });
}

function wrap(hook, suite) {
    if (hook.strykerCoverageWrapped) {
        return;
    }
    hook.strykerCoverageWrapped = true;
    const original = hook.fn;
    const id = `stryker-before-hook: ${suite.fullTitle()}: ${hook.title}`;
    const start = () => {
        context().currentTestId = id;
    };
    const finish = () => {
        attribute(id, suite);
        if (context().currentTestId === id) {
            context().currentTestId = undefined;
        }
    };
    // Mocha decided from the original's arity whether the hook takes `done`; keep that calling convention.
    hook.fn = hook.async
        ? function (done) {
            start();
            return original.call(this, err => {
                finish();
                done(err);
            });
        }
        : function () {
            start();
            let result;
            try {
                result = original.call(this);
            } catch (err) {
                finish();
                throw err;
            }
            if (result && typeof result.then === "function") {
                return result.then(value => {
                    finish();
                    return value;
                }, err => {
                    finish();
                    throw err;
                });
            }
            finish();
            return result;
        };
}

function wrapAll(suite) {
    for (const hook of suite._beforeAll || []) {
        wrap(hook, suite);
    }
    for (const child of suite.suites) {
        wrapAll(child);
    }
}

exports.mochaHooks = {
    beforeAll() {
        let root = this.test.parent;
        while (root.parent) {
            root = root.parent;
        }
        for (const child of root.suites) {
            wrapAll(child);
        }
    },
};
