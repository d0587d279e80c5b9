"use strict";
// Specs are TypeScript compiled by ts-node (CommonJS, transpile-only; `npm run typecheck` checks the types once).
// Node.js 22.6+ can strip types itself and then loads a .ts spec that mocha imports as an ES module, where
// CommonJS globals such as __dirname don't exist: turn that off where the flag exists.
const stripsTypes = process.allowedNodeEnvironmentFlags.has("--experimental-strip-types");
// Mocha adds spec files named on the command line to the configured list: `npx mocha tests/cli/check.spec.ts` would
// run every spec. Named files replace the list instead.
const namesSpecs = process.argv.slice(2).some(arg => /^(\.\/)?tests\/|\.spec\.ts$/.test(arg));

module.exports = {
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
    ...(namesSpecs ? {} : { spec: ["tests/**/*.spec.ts"] }),
    timeout: 60000,
    exit: true,
    ...(stripsTypes ? { "node-option": ["no-experimental-strip-types"] } : {}),
};
