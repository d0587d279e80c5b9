"use strict";
// Specs are TypeScript compiled by ts-node (CommonJS, transpile-only; `npm run typecheck` checks the types once).
// Node.js 22.6+ can strip types itself and then loads a .ts spec that mocha imports as an ES module, where
// CommonJS globals such as __dirname don't exist: turn that off where the flag exists.
const stripsTypes = process.allowedNodeEnvironmentFlags.has("--experimental-strip-types");

module.exports = {
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
    spec: ["tests/**/*.spec.ts"],
    timeout: 60000,
    exit: true,
    ...(stripsTypes ? { "node-option": ["no-experimental-strip-types"] } : {}),
};
