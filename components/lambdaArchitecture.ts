import * as pulumi from "@pulumi/pulumi";
import { fail } from "./validation";

/** Instruction set architecture of a Lambda function or layer. */
export const LambdaArchitecture = {
    /** 64-bit x86. */
    X86_64: "x86_64",
    /** 64-bit ARM (Graviton). */
    Arm64: "arm64",
} as const;
export type LambdaArchitecture = (typeof LambdaArchitecture)[keyof typeof LambdaArchitecture];

const allowed: readonly string[] = Object.values(LambdaArchitecture);

export function validateArchitectures(parent: pulumi.Resource, argName: string,
    values: LambdaArchitecture[] | undefined, maxCount: number): void {
    if (values === undefined) {
        return;
    }
    if (!Array.isArray(values) || values.length > maxCount) {
        fail(parent, argName, `must be a list of at most ${maxCount} architecture(s)`,
            maxCount === 1 ? "Pass [\"x86_64\"] or [\"arm64\"]" : "Pass a subset of [\"x86_64\", \"arm64\"]");
    }
    for (const value of values) {
        if (!allowed.includes(value)) {
            fail(parent, argName, `${JSON.stringify(value)} is not a Lambda architecture`, "Use \"x86_64\" or \"arm64\"");
        }
    }
    if (new Set(values).size !== values.length) {
        fail(parent, argName, "lists an architecture twice", "List each architecture once");
    }
}
