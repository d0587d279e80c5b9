/**
 * The lambda-code-signing policy pack: the ONLY place that constructs the PolicyPack (constructing it starts the
 * analyzer's gRPC server; tests, the CLI and composing packs import library.ts instead).
 *
 * Runtime imports are kept tiny on purpose (cold start of every `pulumi preview --policy-pack`): @pulumi/policy,
 * which the pack needs anyway, plus our own small modules. @pulumi/aws is never loaded; rules compare type tokens.
 */
import { PolicyPack } from "@pulumi/policy";
import { installSharedDeserialization } from "./lib/sharedDeserialization";
import { lambdaCodeSigningPolicies } from "./library";

// Pack runtime only: every policy in this pack is ours and only reads resource properties, so each resource's
// properties are deserialized once per request for all of them (see the module's comment). A pack that composes
// these policies with its own doesn't get this by default: its policies may not be read-only. (The factory installs
// the tolerant deserializer and the server hooks for every pack; see library.ts.)
installSharedDeserialization({ memo: true });

// Type resolution that ignores package.json `exports` (TypeScript's "node" mode, Pulumi's templates) finds this
// directory's package.json for `lambda-code-signing/policies` and reads this module's declarations; at runtime Node
// follows `exports` to library.js, which has no side effects. Both expose the same names.
export * from "./library";

new PolicyPack("lambda-code-signing", {
    description:
        "Every AWS Lambda function runs only code signed by AWS Signer, behind a code signing config that enforces.",
    enforcementLevel: "mandatory",
    // The same factory an organisation uses to compose these policies into its own pack; it also evaluates the
    // three graph policies in one AnalyzeStack pass (falling back to one pass each with identical verdicts).
    policies: lambdaCodeSigningPolicies(),
});
