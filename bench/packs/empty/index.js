// The floor: a pack with one empty stack policy. Cold start and AnalyzeStack cost nothing but @pulumi/policy itself.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-empty", {
    policies: [{ name: "empty", description: "Does nothing.", enforcementLevel: "mandatory", validateStack: () => undefined }],
});
