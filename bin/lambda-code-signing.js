#!/usr/bin/env node
"use strict";
// The compiled CLI (dist/, built by `npm run build`, shipped in the package). No TypeScript toolchain of ours runs
// here: a user's TypeScript program is loaded with that program's own ts-node/typescript (see engine/programLoader).
let cli;
try {
    cli = require("../dist/cli/main");
} catch (err) {
    if (err && err.code === "MODULE_NOT_FOUND" && /dist[\\/]cli[\\/]main/.test(err.message)) {
        process.stderr.write("error: lambda-code-signing is not built: run `npm run build` in its directory\n");
        process.exit(2);
    }
    throw err;
}
cli.main(process.argv.slice(2)).then(
    // Exit only once stdout is flushed: a large --json document written to a pipe is asynchronous.
    (code) => process.stdout.write("", () => process.exit(code)),
    (err) => {
        process.stderr.write(`error: unexpected failure: ${err && err.message ? err.message : err}\n`);
        process.exit(2);
    },
);
