import { randomUUID } from "crypto";
import * as fs from "fs";

// The processes `check` starts (the program and the policy pack) run in their own process groups and carry a marker
// in their environment, so that everything they started can be found and killed, even a grandchild that left the
// group or lost its parent. Linux exposes both through /proc; elsewhere only the process groups are killed.

/** The environment variable that marks every process a `check` run started. */
export const RUN_MARKER_VARIABLE = "LAMBDA_CODE_SIGNING_CHECK_RUN";

export function newRunMarker(): string {
    return randomUUID();
}

function readProc(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

function processIds(): number[] {
    try {
        return fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number);
    } catch {
        return [];
    }
}

function parentOf(pid: number): number | undefined {
    const stat = readProc(`/proc/${pid}/stat`);
    if (!stat) return undefined;
    // The command name (field 2) is in parentheses and may contain spaces: fields after its closing one are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
}

/** Every live descendant of `pid` (children, grandchildren, …). */
export function descendantsOf(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const p of processIds()) {
        const parent = parentOf(p);
        if (parent !== undefined) {
            children.set(parent, [...(children.get(parent) ?? []), p]);
        }
    }
    const out: number[] = [];
    const queue = [...(children.get(pid) ?? [])];
    while (queue.length > 0) {
        const next = queue.shift()!;
        out.push(next);
        queue.push(...(children.get(next) ?? []));
    }
    return out;
}

/** Every live process (other than this one) whose environment carries the run marker. */
export function markedProcesses(marker: string): number[] {
    const needle = `${RUN_MARKER_VARIABLE}=${marker}`;
    return processIds().filter((p) => p !== process.pid && (readProc(`/proc/${p}/environ`)?.split("\0").includes(needle) ?? false));
}

export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        const state = readProc(`/proc/${pid}/stat`);
        // A zombie has exited: only its parent's wait is missing.
        return !state || state.slice(state.lastIndexOf(")") + 2, state.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return false;
    }
}

/**
 * Kills a process, its process group, its descendants and every process carrying the run marker, with SIGKILL.
 * Synchronous, so that it also runs from an `exit` handler.
 */
export function killProcessTree(pid: number | undefined, marker?: string): void {
    const victims = new Set<number>();
    for (let round = 0; round < 3; round++) {
        const found = [...(pid ? descendantsOf(pid) : []), ...(marker ? markedProcesses(marker) : [])].filter((p) => !victims.has(p));
        if (pid) {
            try {
                process.kill(-pid, "SIGKILL");
            } catch {
                // no such group (already gone)
            }
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
        for (const p of found) {
            victims.add(p);
            try {
                process.kill(p, "SIGKILL");
            } catch {
                // already gone
            }
        }
        if (found.length === 0) {
            break;
        }
    }
}
