import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LambdaCodeSigningMocks } from "../../testing";

// Shared mock engine for the component specs: records every registration and answers with the project's one mock
// model (lambda-code-signing/testing): plausible, deterministic outputs in update mode (same inputs, same ids),
// unknown provider outputs in preview.

export const account = "123456789012";
export const region = "us-east-1";

export interface Registered {
    type: string;
    name: string;
    inputs: any;
    provider?: string;
    urn: string;
}

export class MockEngine {
    registered: Registered[] = [];
    warnings: string[] = [];
    private readonly model = new LambdaCodeSigningMocks({ account: { accountId: account, region } });

    /** Installs the mocks (call from `before()`); preview=true leaves provider-computed outputs unknown. */
    async install(preview: boolean): Promise<void> {
        const self = this;
        const model = this.model;
        await pulumi.runtime.setMocks({
            newResource(args: pulumi.runtime.MockResourceArgs) {
                self.registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, urn: "" });
                return model.newResource(args);
            },
            call: args => model.call(args),
        }, "project", "stack", preview);
        (pulumi.log as any).warn = async (msg: string) => { self.warnings.push(msg); };
    }

    reset(): void {
        this.model.reset();
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
