import * as assert from "assert";
import { Progress } from "../../cli/progress";

function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { isTTY, writes, write: (t: string) => writes.push(t) };
}

describe("cli/progress: resources registered so far, on a terminal only", () => {
    it("rewrites one line on a terminal, throttled, and clears it when done", () => {
        let now = 0;
        const tty = stream(true);
        const progress = new Progress(tty, () => now);
        progress.phase("program");
        now = 50;
        progress.registered(7);
        now = 1500;
        progress.registered(8);
        progress.done();
        assert.deepStrictEqual(tty.writes, [
            "\r\x1b[KRunning the program… 0 resources registered (0.0 s)",
            "\r\x1b[KRunning the program… 8 resources registered (1.5 s)",
            "\r\x1b[K",
        ]);
    });

    it("writes nothing when stderr is not a terminal, except the program's own output it is asked to pass on", () => {
        const pipe = stream(false);
        const progress = new Progress(pipe);
        progress.phase("program");
        progress.registered(3);
        progress.phase("policies");
        progress.done();
        assert.deepStrictEqual(pipe.writes, []);
        progress.passThrough("stdout", "hello\nworld\n");
        assert.deepStrictEqual(pipe.writes, ["program stdout| hello\nprogram stdout| world\n"]);
    });
});
