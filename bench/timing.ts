import { performance } from "perf_hooks";

export const RUNS = Number(process.env.BENCH_RUNS ?? 5);

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time in milliseconds of `runs` executions of `fn` (after `warmup` unmeasured ones). */
export async function medianMs(fn: () => Promise<unknown>, runs = RUNS, warmup = 1): Promise<number> {
    for (let i = 0; i < warmup; i++) {
        await fn();
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await fn();
        times.push(performance.now() - start);
    }
    return median(times);
}

export function ms(value: number): string {
    return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function ratio(value: number): string {
    return `${value.toFixed(2)}×`;
}

/** "met" or how far off the target a measured value is. */
export function verdict(measured: number, target: number, lowerIsBetter = true): string {
    const met = lowerIsBetter ? measured <= target : measured >= target;
    if (met) {
        return "met";
    }
    const off = lowerIsBetter ? (measured / target - 1) * 100 : (1 - measured / target) * 100;
    return `**missed** by ${off.toFixed(0)}%`;
}
