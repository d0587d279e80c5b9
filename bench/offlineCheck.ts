import { spawnSync } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { median, RUNS } from "./timing";

/** Wall time of `npm start` (the offline check of examples/app) as a user runs it. */
export function offlineCheck(runs = RUNS): { wallMs: number; exitCode: number | null } {
    const times: number[] = [];
    let exitCode: number | null = null;
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const result = spawnSync("npm", ["start", "--silent"], { cwd: path.join(__dirname, ".."), stdio: "ignore" });
        times.push(performance.now() - start);
        exitCode = result.status;
    }
    return { wallMs: median(times), exitCode };
}
