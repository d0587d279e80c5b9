/**
 * The one model of a stack's Lambda code-signing graph, shared by every rule of the pack and by the `check` CLI.
 * This module is the public entry; the implementation lives in ./graph, split along its seams:
 *
 *  - graph/model.ts, graph/tokens.ts — the model and the resource kinds;
 *  - graph/stackIndex.ts — the input (PolicyResources or captured resources), dependencies, providers, Regions;
 *  - graph/pulumiAdapters.ts, graph/cloudformation.ts (+ cfnTemplate.ts) — classic/aws-native resources and
 *    CloudFormation templates turned into one normalized shape (graph/specs.ts);
 *  - graph/context.ts, graph/publishers.ts, graph/codeSources.ts, graph/nodes.ts — reference resolution: every
 *    computed reference becomes all of its candidates; publisher identity; code provenance;
 *  - graph/verdicts.ts — the questions the rules ask, answered once; graph/build.ts, graph/cache.ts — assembly.
 *
 * Edges are found through `propertyDependencies` (present in preview, where every ARN of a resource created in the
 * same stack is unknown, AND in update) and through known values. Unknown values are never read through the policy
 * proxy. Whatever cannot be resolved is reported as `unverifiable` with a reason, and the rules fail closed on it.
 */
export * from "./graph/model";
export { CFN, CLOUDFORMATION_STACK_TYPES, CSC_TYPES, FUNCTION_TYPES, LAYER_TYPES, MAX_PUBLISHERS, MIN_PUBLISHERS, OBJECT_COPY_TYPE, SIGNING_JOB_TYPE, SIGNING_PROFILE_TYPES } from "./graph/tokens";
export type { GraphDependency, GraphProvider, GraphResource } from "./graph/stackIndex";
export { buildStackGraph } from "./graph/build";
export { stackGraphFor } from "./graph/cache";
export { arnIdentity, candidateLabel, comparePublishers, describeAllowed, parseSignerArn, partitionOf, profileAllowed, profileNameFromArn } from "./graph/publishers";
export { CodeFinding, codeFindings, codeJobs, cscLabel, functionLabel, inStackCscs, jobsNotAllowed } from "./graph/verdicts";
export { parseCopySource } from "./graph/codeSources";
export { templateOfResource } from "./graph/cloudformation";
export type { TemplateSpecs } from "./graph/cloudformation";
export { cscMode } from "./graph/nodes";
