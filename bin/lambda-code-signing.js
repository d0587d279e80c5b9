#!/usr/bin/env node
"use strict";
// Transpile-only: the offline check must start in seconds, so nothing here type-checks @pulumi/aws.
require("ts-node").register({
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { target: "ES2020", module: "commonjs", esModuleInterop: true, resolveJsonModule: true },
});
require("../cli/main").main(process.argv.slice(2)).then(
    // Exit only once stdout is flushed: a large --json document written to a pipe is asynchronous.
    (code) => process.stdout.write("", () => process.exit(code)),
    (err) => {
        process.stderr.write(`error: unexpected failure: ${err && err.message ? err.message : err}\n`);
        process.exit(2);
    },
);
