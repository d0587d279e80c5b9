import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadProgram, ProgramLoadError } from "../../engine/program";

function programDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("engine/program: reading a Pulumi program directory", () => {
    it("resolves main, the entry file and the stack's config with project-qualified keys", () => {
        const dir = programDir({
            "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\nmain: src/\n",
            "src/index.ts": "export {}",
            "Pulumi.prod.yaml": "config:\n  aws:region: eu-west-1\n  team: payments\n  secretThing:\n    secure: AAAB\n",
        });
        const info = loadProgram(dir, "prod");
        assert.strictEqual(info.project, "shop");
        assert.strictEqual(info.entry, path.join(dir, "src", "index.ts"));
        assert.deepStrictEqual(info.config, { "aws:region": "eu-west-1", "shop:team": "payments" });
    });

    const failures: [string, Record<string, string> | undefined, RegExp][] = [
        ["a missing directory", undefined, /does not exist/],
        ["a directory without Pulumi.yaml", { "index.ts": "" }, /is not a Pulumi program: it has no Pulumi.yaml/],
        ["a Python program", { "Pulumi.yaml": "name: p\nruntime: python\n" }, /is a python Pulumi program/],
        ["a program without entry point", { "Pulumi.yaml": "name: p\nruntime: nodejs\n" }, /has no program entry point/],
        ["malformed YAML", { "Pulumi.yaml": "name: [\n" }, /is not valid YAML/],
    ];
    for (const [what, files, message] of failures) {
        it(`rejects ${what} with one clear message`, () => {
            const dir = files ? programDir(files) : path.join(os.tmpdir(), "no-such-program-dir");
            assert.throws(() => loadProgram(dir, "dev"), (e: Error) => e instanceof ProgramLoadError && message.test(e.message));
        });
    }
});
