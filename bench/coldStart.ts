import { spawn } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { DEFAULT_PACK_DIR } from "../engine/analyzer";
import { median, RUNS } from "./timing";

export const PACKS = {
    ours: DEFAULT_PACK_DIR,
    empty: path.join(__dirname, "packs", "empty"),
    templateStyle: path.join(__dirname, "packs", "template-style"),
};

/** Time until a pack started as the CLI's language host starts it prints the port it serves on. */
export function timeToServe(packDir: string): Promise<number> {
    const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn(process.execPath, [launcher, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        let served: number | undefined;
        child.stderr.on("data", (d) => (stderr += d));
        child.stdout.once("data", () => {
            served = performance.now() - start;
            child.kill();
        });
        child.once("exit", (code) => served !== undefined
            ? resolve(served)
            : reject(new Error(`pack ${packDir} exited with ${code} before serving: ${stderr.trim().split("\n").pop()}`)));
    });
}

/** Median cold start of each pack, runs interleaved so that machine noise hits all three alike. */
export async function coldStarts(runs = RUNS): Promise<Record<keyof typeof PACKS, number>> {
    const times: Record<string, number[]> = { ours: [], empty: [], templateStyle: [] };
    for (let i = 0; i <= runs; i++) {
        for (const [name, dir] of Object.entries(PACKS)) {
            const t = await timeToServe(dir);
            if (i > 0) {
                times[name].push(t); // the first round warms the OS file cache
            }
        }
    }
    return { ours: median(times.ours), empty: median(times.empty), templateStyle: median(times.templateStyle) };
}
