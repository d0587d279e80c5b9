// Public API of the lambda-code-signing component package. Only the three components extend ComponentResource.
export { CodeSigningGuard, UntrustedArtifactAction } from "./components/codeSigningGuard";
export type { CodeSigningGuardArgs, SigningArgs } from "./components/codeSigningGuard";
export { SignedFunction } from "./components/signedFunction";
export type { SignedFunctionArgs } from "./components/signedFunction";
export { SignedLayer } from "./components/signedLayer";
export type { SignedLayerArgs } from "./components/signedLayer";
export { LambdaArchitecture } from "./components/lambdaArchitecture";
export type { CodeBuild, PresignedArtifact, SignedCodeArgs } from "./components/signingPipeline";
export type { ProfileVersionRevocation } from "./components/revocation";
export { AlertProtocol } from "./components/signatureAlerts";
export type { AlertSubscription } from "./components/signatureAlerts";
