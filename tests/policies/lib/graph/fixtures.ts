/**
 * Graph-level fixtures: CLI-style input (wire-format outputs, dependencies as URN strings, providers as references),
 * the shape `buildStackGraph` gets from the `check` CLI; PolicyResource-shaped input is covered by the rule specs.
 */
import type { CodeOrigin, GraphResource } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN, urnOf } from "../../helpers";

export const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:aws::default_7_48_0";
export const PROVIDER_REF = `${PROVIDER_URN}::3f5c0f1e`;
export const ACCOUNT = "123456789012";
export const profileArn = (name: string, region = "us-east-1", account = ACCOUNT) => `arn:aws:signer:${region}:${account}:/signing-profiles/${name}`;

export function provider(region = "us-east-1", name = "default_7_48_0"): GraphResource {
    return { type: "pulumi:providers:aws", name, urn: `urn:pulumi:dev::proj::pulumi:providers:aws::${name}`, props: { region } };
}

export function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}, extra: Partial<GraphResource> = {}): GraphResource {
    return { type, name, urn: urnOf(type, name), props, propertyDependencies: deps, provider: PROVIDER_REF, ...extra };
}

export const profile = (name = "profile", props: Record<string, unknown> = {}, extra: Partial<GraphResource> = {}) =>
    res(T.profile, name, { name: `${name}_n`, versionArn: UNKNOWN, arn: UNKNOWN, ...props }, {}, extra);

export function job(name: string, p: GraphResource | string, props: Record<string, unknown> = {}, extra: Partial<GraphResource> = {}): GraphResource {
    const dep: Record<string, string[]> = typeof p === "string" ? {} : { profileName: [p.urn] };
    const profileName = typeof p === "string" ? p : (p.props as Record<string, unknown>).name;
    return res(T.job, name, {
        profileName,
        destination: { s3: { bucket: "artifacts", prefix: `signed/${name}/` } },
        signedObjects: UNKNOWN,
        ...props,
    }, dep, extra);
}

export function csc(name: string, publishers: GraphResource[], props: Record<string, unknown> = {}): GraphResource {
    return res(T.csc, name, {
        allowedPublishers: { signingProfileVersionArns: publishers.map(() => UNKNOWN) },
        policies: { untrustedArtifactOnDeployment: "Enforce" },
        arn: UNKNOWN,
        ...props,
    }, { allowedPublishers: publishers.map(p => p.urn) });
}

/** A classic function whose code comes from `j`'s signed object and whose CSC is `c`. */
export function fn(name: string, j: GraphResource | undefined, c: GraphResource | undefined, props: Record<string, unknown> = {}, deps: Record<string, string[]> = {}): GraphResource {
    return res(T.fn, name, {
        packageType: "Zip",
        handler: "index.handler",
        ...(j ? { s3Bucket: UNKNOWN, s3Key: UNKNOWN } : {}),
        ...(c ? { codeSigningConfigArn: UNKNOWN } : {}),
        ...props,
    }, {
        ...(j ? { s3Key: [j.urn], s3Bucket: [j.urn] } : {}),
        ...(c ? { codeSigningConfigArn: [c.urn] } : {}),
        ...deps,
    });
}

/** A compact, exact rendering of one code origin. */
export function showOrigin(o: CodeOrigin): string {
    switch (o.kind) {
        case "job":
            return `job ${o.job.name}${o.via.length ? ` via ${o.via.join(" > ")}` : ""}`;
        case "unsigned":
            return `unsigned: ${o.detail}`;
        case "location":
            return `location s3://${o.bucket ?? "?"}/${o.key} (${o.path})${o.via.length ? ` via ${o.via.join(" > ")}` : ""}`;
        default:
            return `unverifiable: ${o.reason}`;
    }
}
