/** The writable side of a stream, as much of it as progress needs (process.stderr, or a test double). */
export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

const PHASES: Record<string, string> = {
    program: "Running the program",
    pack: "Starting the policy pack",
    policies: "Evaluating policies",
};

/**
 * Progress on a terminal: one line rewritten in place (phase, resources registered so far, elapsed time). On
 * anything else (a CI log, a pipe) it writes nothing, except the program's own output when asked to pass it on.
 */
export class Progress {
    private current = "";
    private count = 0;
    private shown = false;
    private lastDraw = 0;
    private readonly started: number;

    constructor(private readonly stream: ProgressStream, private readonly now: () => number = Date.now) {
        this.started = now();
    }

    phase(phase: "program" | "pack" | "policies"): void {
        this.current = PHASES[phase];
        this.draw(true);
    }

    registered(count: number): void {
        this.count = count;
        this.draw(false);
    }

    /** The program's own output, marked as such, on its own lines (with --verbose). */
    passThrough(stream: "stdout" | "stderr", text: string): void {
        this.clear();
        const lines = text.replace(/\n$/, "").split("\n");
        this.stream.write(lines.map((l) => `program ${stream}| ${l}`).join("\n") + "\n");
        this.draw(true);
    }

    done(): void {
        this.clear();
        this.current = "";
    }

    private draw(force: boolean): void {
        if (!this.stream.isTTY || !this.current) return;
        const now = this.now();
        if (!force && now - this.lastDraw < 100) return;
        this.lastDraw = now;
        const seconds = ((now - this.started) / 1000).toFixed(1);
        this.stream.write(`\r\x1b[K${this.current}… ${this.count} resource${this.count === 1 ? "" : "s"} registered (${seconds} s)`);
        this.shown = true;
    }

    private clear(): void {
        if (this.shown) {
            this.stream.write("\r\x1b[K");
            this.shown = false;
        }
    }
}

/** Where the time went, phase by phase (printed with --verbose). */
export class PhaseTimings {
    private readonly marks: [string, number][] = [];

    constructor(private readonly now: () => number = Date.now) {}

    phase(phase: string): void {
        this.marks.push([phase, this.now()]);
    }

    summary(resources: number): string {
        const end = this.now();
        const parts = this.marks.map(([phase, start], i) => {
            const seconds = (((this.marks[i + 1]?.[1] ?? end) - start) / 1000).toFixed(1);
            return `${PHASES[phase] ?? phase} ${seconds} s${phase === "program" ? ` (${resources} resources)` : ""}`;
        });
        return `timings: ${parts.join(", ")}`;
    }
}
