/**
 * engine/programLoader: the TypeScript toolchain for a user's program, chosen as Pulumi's Node.js language host
 * chooses it: the program project's own, else the one vendored in @pulumi/pulumi. The compiled CLI carries none.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { typeScriptToolchain } from "../../engine/programLoader";

const ROOT = path.resolve(__dirname, "..", "..");

const created: string[] = [];

function programDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "ts-program-"));
    created.push(dir);
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

/** Loads `index.ts` of `dir` in a fresh process through the compiled loader (no `.ts` hook installed before). */
function loadWithCompiledLoader(dir: string) {
    const script = `
        process.chdir(${JSON.stringify(dir)});
        const { registerTypeScript } = require(${JSON.stringify(path.join(ROOT, "dist", "engine", "programLoader"))});
        const toolchain = registerTypeScript(process.cwd());
        console.log(JSON.stringify({ toolchain, value: require(${JSON.stringify(path.join(dir, "index.ts"))}).value }));`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

describe("engine/programLoader: loading a program's TypeScript", function () {
    this.timeout(60_000);
    after(() => created.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

    it("uses the program project's own typescript and ts-node", () => {
        const toolchain = typeScriptToolchain(path.join(ROOT, "examples", "app"));
        assert.strictEqual(toolchain.typescript, require.resolve("typescript"));
        assert.strictEqual(toolchain.tsNode, require.resolve("ts-node"));
    });

    it("uses each of its own independently: its typescript with the vendored ts-node", () => {
        const dir = programDir({
            "node_modules/typescript/package.json": JSON.stringify({ name: "typescript", version: "5.0.0", main: "lib/typescript.js" }),
            "node_modules/typescript/lib/typescript.js": "module.exports = {};",
        });
        const toolchain = typeScriptToolchain(dir);
        assert.strictEqual(toolchain.typescript, path.join(dir, "node_modules", "typescript", "lib", "typescript.js"));
        assert.match(toolchain.tsNode, /@pulumi[\\/]pulumi[\\/]vendor[\\/]ts-node@7\.0\.1$/);
    });

    it("falls back to the toolchain vendored in @pulumi/pulumi, and it compiles the program", () => {
        const dir = programDir({ "index.ts": "interface Answer { value: number }\nconst answer: Answer = { value: 41 + 1 };\nexport const value = answer.value;\n" });
        const loaded = loadWithCompiledLoader(dir);
        assert.match(loaded.toolchain.typescript, /vendor[\\/]typescript@3\.8\.3[\\/]typescript\.js$/);
        assert.match(loaded.toolchain.tsNode, /vendor[\\/]ts-node@7\.0\.1$/);
        assert.strictEqual(loaded.value, 42);
        assert.deepStrictEqual(fs.readdirSync(dir), ["index.ts"], "nothing written next to the program");
    });

    it("honours the project's tsconfig.json (with comments) over Pulumi's defaults", () => {
        const dir = programDir({
            "tsconfig.json": "// as in Pulumi's templates\n{ \"compilerOptions\": { \"target\": \"es5\", \"module\": \"commonjs\", \"moduleResolution\": \"node\" } }",
            "index.ts": "class Box {}\nexport const value = Box.toString().startsWith(\"class\") ? \"class\" : \"es5 function\";\n",
        });
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        const loaded = loadWithCompiledLoader(dir);
        assert.strictEqual(loaded.toolchain.typescript, require.resolve("typescript"));
        assert.strictEqual(loaded.value, "es5 function", "the project's target (es5), not Pulumi's default (ES2020)");
    });
});
