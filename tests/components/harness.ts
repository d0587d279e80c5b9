import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

// Shared mock engine for the component specs: records every registration, answers the AWS invokes, and in update
// mode returns plausible, deterministic outputs (same inputs → same ids), like a real provider would.

export const account = "123456789012";
export const region = "us-east-1";
export const profileVersion = "AbCdEf1234";

export interface Registered {
    type: string;
    name: string;
    inputs: any;
    provider?: string;
    urn: string;
}

const sha = (v: unknown) => crypto.createHash("sha256").update(JSON.stringify(v)).digest("hex");

function plausibleOutputs(type: string, name: string, inputs: any): Record<string, unknown> {
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
    switch (type) {
        case "aws:signer/signingProfile:SigningProfile": {
            const profileName = inputs.name ?? `${inputs.namePrefix}20250101000000000000000001`;
            const profileArn = arn("signer", `/signing-profiles/${profileName}`);
            return { name: profileName, arn: profileArn, version: profileVersion, versionArn: `${profileArn}/${profileVersion}` };
        }
        case "aws:lambda/codeSigningConfig:CodeSigningConfig":
            return { arn: arn("lambda", `code-signing-config:csc-${sha(name).slice(0, 17)}`) };
        case "aws:kms/key:Key":
            return { arn: arn("kms", `key/${sha(name).slice(0, 32)}`), keyId: sha(name).slice(0, 32) };
        case "aws:s3/bucket:Bucket":
            return { bucket: `${name}-0001`, arn: `arn:aws:s3:::${name}-0001` };
        case "aws:s3/bucketObjectv2:BucketObjectv2":
            return { versionId: `v${sha([inputs.bucket, inputs.key]).slice(0, 31)}` };
        case "aws:signer/signingJob:SigningJob": {
            const jobId = sha([inputs.profileName, inputs.source, inputs.destination]).slice(0, 36);
            const dest = inputs.destination.s3;
            return { jobId, status: "Succeeded", signedObjects: [{ s3s: [{ bucket: dest.bucket, key: `${dest.prefix}${jobId}.zip` }] }] };
        }
        case "aws:lambda/function:Function":
            return { arn: arn("lambda", `function:${name}`), name, signingProfileVersionArn: "signed-by-mock" };
        case "aws:lambda/layerVersion:LayerVersion":
            return { arn: arn("lambda", `layer:${inputs.layerName}:1`), layerArn: arn("lambda", `layer:${inputs.layerName}`), version: "1", signingProfileVersionArn: "signed-by-mock" };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::${account}:policy/${name}` };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${account}:role/${name}`, name };
        case "aws:sns/topic:Topic":
            return { arn: arn("sns", name) };
        case "aws:cloudwatch/eventRule:EventRule":
            return { name, arn: arn("events", `rule/${name}`) };
        case "command:local:Command":
            return inputs.archivePaths
                ? { archive: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("built") }), stdout: "" }
                : { stdout: "" };
        default:
            return {};
    }
}

export class MockEngine {
    registered: Registered[] = [];
    warnings: string[] = [];

    /** Installs the mocks (call from `before()`); preview=true leaves provider-computed outputs unknown. */
    async install(preview: boolean): Promise<void> {
        const self = this;
        await pulumi.runtime.setMocks({
            newResource(args: pulumi.runtime.MockResourceArgs) {
                self.registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, urn: "" });
                const state = preview ? { ...args.inputs } : { ...args.inputs, ...plausibleOutputs(args.type, args.name, args.inputs) };
                return { id: preview ? undefined as any : `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                switch (args.token) {
                    case "aws:index/getPartition:getPartition":
                        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: account, arn: `arn:aws:iam::${account}:user/ci`, userId: "AIDA", id: account };
                    case "aws:index/getRegion:getRegion":
                        return { region, name: region, id: region };
                    default:
                        throw new Error(`Mock not implemented: ${args.token}`);
                }
            },
        }, "project", "stack", preview);
        (pulumi.log as any).warn = async (msg: string) => { self.warnings.push(msg); };
    }

    reset(): void {
        this.registered = [];
        this.warnings = [];
    }

    /** Waits until registrations stop arriving, then attaches URNs (parentage) from the mock monitor. */
    async settle(): Promise<Registered[]> {
        let last = -1;
        let stable = 0;
        while (stable < 3) {
            await new Promise(r => setTimeout(r, 15));
            stable = this.registered.length === last ? stable + 1 : 0;
            last = this.registered.length;
        }
        const monitor = require("@pulumi/pulumi/runtime/settings").getMonitor();
        const urns: string[] = [...monitor.getRegisteredResources().keys()];
        for (const r of this.registered) {
            r.urn = urns.find(u => u.endsWith(`::${r.name}`) && u.split("::")[2].split("$").pop() === r.type) ?? "";
        }
        return this.registered;
    }

    /** Resources registered for the component `name` (its children, named `${name}-<role>`). */
    childrenOf(name: string): Registered[] {
        return this.registered.filter(r => r.name.startsWith(`${name}-`) && !r.type.startsWith("lambda-code-signing:"));
    }

    one(type: string, name: string): Registered {
        const found = this.registered.filter(r => r.type === type && r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} named ${name}, found ${found.length}: ` +
                this.registered.map(r => `${r.type}::${r.name}`).join(", "));
        }
        return found[0];
    }

    ofType(type: string): Registered[] {
        return this.registered.filter(r => r.type === type);
    }
}

/** Resolves an Output's value (update mode, or known values in preview). */
export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise(resolve => output.apply(v => { resolve(v); return v; }));
}

/** True when the Output is known (works in preview, where `apply` never fires on unknowns). */
export function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as any).isKnown;
}

/** Every Action string of a policy document (for the "no wildcard actions" assertions). */
export function actionsOf(doc: any): string[] {
    return doc.Statement.flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** A fresh temporary directory holding `files` (relative path → content). */
export function tempDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lcs-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}
