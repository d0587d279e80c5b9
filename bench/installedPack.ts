/**
 * Cold start of the policy pack as users get it: packed, installed into a fresh project outside the repository, and
 * started from `node_modules/lambda-code-signing/policies` the way the CLI's language host starts a pack; against a
 * pack with one empty policy in the same project (same @pulumi/policy, same @pulumi/pulumi launcher).
 * Run alone: `node -r ts-node/register/transpile-only bench/installedPack.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import { installedConsumer } from "../tests/install/consumer";
import { timeToServe } from "./coldStart";
import { median, ms, ratio, RUNS, verdict } from "./timing";

export interface InstalledColdStart {
    installed: number;
    empty: number;
    packDir: string;
}

export async function installedPackColdStart(runs = RUNS): Promise<InstalledColdStart> {
    const consumer = installedConsumer();
    const packDir = path.join(consumer.packageDir, "policies");
    const emptyDir = path.join(consumer.dir, "bench-empty-pack");
    fs.cpSync(path.join(__dirname, "packs", "empty"), emptyDir, { recursive: true });
    const times = { installed: [] as number[], empty: [] as number[] };
    // Interleaved, so machine noise hits both alike; the first round warms the OS file cache and is not counted.
    for (let i = 0; i <= runs; i++) {
        const installed = await timeToServe(packDir);
        const empty = await timeToServe(emptyDir);
        if (i > 0) {
            times.installed.push(installed);
            times.empty.push(empty);
        }
    }
    return { installed: median(times.installed), empty: median(times.empty), packDir };
}

export function describeInstalledColdStart(result: InstalledColdStart): string[] {
    return [
        "Packed with `npm pack`, installed into a fresh project outside the repository, started from",
        "`node_modules/lambda-code-signing/policies` as the CLI's language host starts a pack; the floor is a pack with one",
        "empty policy in the same project.",
        "",
        `- installed pack: ${ms(result.installed)}; empty pack: ${ms(result.empty)}; ratio ${ratio(result.installed / result.empty)} ` +
            `(target ≤ 1.15×: ${verdict(result.installed / result.empty, 1.15)})`,
    ];
}

if (require.main === module) {
    installedPackColdStart().then(
        result => process.stdout.write(`${describeInstalledColdStart(result).join("\n")}\n`),
        err => {
            process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
            process.exit(1);
        },
    );
}
