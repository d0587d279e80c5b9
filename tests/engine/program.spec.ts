import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadProgram, ProgramLoadError, splitArgs } from "../../engine/program";
import { configEnvironment, resolveStackConfig, SECRET_PLACEHOLDER, StackConfigError } from "../../engine/stackConfig";

const REPO = path.join(__dirname, "..", "..");

/** A program directory inside the repository (so that @pulumi/pulumi resolves), removed after the run. */
function programDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(REPO, "tests", "engine", "fixtures", ".tmp-program-"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("engine/program: reading a Pulumi program directory", () => {
    const made: string[] = [];
    const make = (files: Record<string, string>) => {
        const dir = programDir(files);
        made.push(dir);
        return dir;
    };
    after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("resolves main, runtime options, the stack and its config with project-qualified keys", () => {
        const dir = make({
            "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.build.json\n    nodeargs: \"--max-old-space-size=512 --require './pre load.js'\"\nmain: src/\nconfig:\n  owner: platform\n",
            "src/index.js": "",
            "Pulumi.prod.yaml": "config:\n  aws:region: eu-west-1\n  team: payments\n  secretThing:\n    secure: AAAB\n  limits:\n    memory: 512\n",
        });
        const info = loadProgram(dir, { stack: "acme/shop/prod" });
        assert.strictEqual(info.project, "shop");
        assert.strictEqual(info.pwd, path.join(dir, "src"));
        assert.strictEqual(info.entry, ".");
        assert.deepStrictEqual([info.typescript, info.tsconfig, info.nodeArgs], [false, "tsconfig.build.json", ["--max-old-space-size=512", "--require", "./pre load.js"]]);
        assert.deepStrictEqual(info.stack, { name: "prod", organization: "acme", source: "option", file: path.join(dir, "Pulumi.prod.yaml") });
        assert.deepStrictEqual(info.config.values, {
            "shop:owner": "platform", "aws:region": "eu-west-1", "shop:team": "payments", "shop:secretThing": SECRET_PLACEHOLDER, "shop:limits": "{\"memory\":512}",
        });
        assert.deepStrictEqual(info.config.secretKeys, ["shop:secretThing"]);
        assert.match(info.runner, /@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]index\.js$/);
    });

    it("a main file becomes the entry point, run from its directory", () => {
        const dir = make({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: app/main.ts\n", "app/main.ts": "" });
        const info = loadProgram(dir);
        assert.deepStrictEqual([info.pwd, info.entry, info.typescript], [path.join(dir, "app"), "main.ts", true]);
        assert.deepStrictEqual(info.stack, { name: "dev", organization: "organization", source: "default" });
    });

    const failures: [string, Record<string, string> | undefined, RegExp, string?][] = [
        ["a missing directory", undefined, /does not exist/],
        ["a directory without Pulumi.yaml", { "index.ts": "" }, /is not a Pulumi program: it has no Pulumi.yaml/],
        ["a Python program", { "Pulumi.yaml": "name: p\nruntime: python\n" }, /is a python Pulumi program/],
        ["malformed YAML", { "Pulumi.yaml": "name: [\n" }, /is not valid YAML/],
        ["a main outside the project", { "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: ../elsewhere\n" }, /project 'main' must be a subfolder/],
        ["an absolute main", { "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: /etc\n" }, /project 'main' must be a relative path/],
        ["a typescript option that is no boolean", { "Pulumi.yaml": "name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: yes please\n" }, /runtime.options.typescript must be true or false/],
        ["an unterminated nodeargs quote", { "Pulumi.yaml": "name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: \"--require 'x\"\n" }, /nodeargs has an unterminated ' quote/],
        ["a --stack that is not a name", { "Pulumi.yaml": "name: p\nruntime: nodejs\n" }, /--stack 'a\/b\/c\/d' is not a stack name/, "a/b/c/d"],
        ["a --stack without its file", { "Pulumi.yaml": "name: p\nruntime: nodejs\n" }, /no stack named 'prod' found/, "prod"],
        ["a declared key without value", { "Pulumi.yaml": "name: p\nruntime: nodejs\nconfig:\n  team:\n    type: string\n" }, /Stack 'dev' is missing configuration value 'p:team': set it with `pulumi config set p:team <value>`/],
    ];
    for (const [what, files, message, stack] of failures) {
        it(`rejects ${what} with one clear message`, () => {
            const dir = files ? make(files) : path.join(os.tmpdir(), "no-such-program-dir");
            assert.throws(() => loadProgram(dir, { stack }), (e: Error) => e instanceof ProgramLoadError && message.test(e.message));
        });
    }

    it("splits nodeargs like a shell", () => {
        assert.deepStrictEqual(splitArgs(` --a  "b c" 'd "e"' f\\ g "h\\"i" `), ["--a", "b c", "d \"e\"", "f g", "h\"i"]);
        assert.deepStrictEqual(splitArgs(""), []);
    });
});

describe("engine/stackConfig: configuration as the CLI hands it to a program", () => {
    it("converts every shape and marks any value with a secure part secret", () => {
        const config = resolveStackConfig("p", "dev", { region: { type: "string", default: "us-east-1" }, "aws:profile": "ci" }, {
            flag: true, count: 3, list: ["a", { secure: "x" }], obj: { nested: { deep: 1 } }, "aws:region": "eu-west-1", empty: null,
        }, { count: "4" });
        assert.deepStrictEqual(config.values, {
            "p:region": "us-east-1", "aws:profile": "ci", "p:flag": "true", "p:count": "4", "p:list": `["a","${SECRET_PLACEHOLDER}"]`,
            "p:obj": "{\"nested\":{\"deep\":1}}", "aws:region": "eu-west-1", "p:empty": "",
        });
        assert.deepStrictEqual(config.secretKeys, ["p:list"]);
    });

    it("keeps an overridden secret secret", () => {
        const config = resolveStackConfig("p", "dev", {}, { password: { secure: "x" } }, { password: "hunter2" });
        assert.deepStrictEqual([config.values["p:password"], config.secretKeys], ["hunter2", ["p:password"]]);
    });

    it("rejects a config section that is not a map", () => {
        assert.throws(() => resolveStackConfig("p", "dev", undefined, ["x"]), StackConfigError);
    });

    it("passes config the way the language host does (<namespace>:config:<name>)", () => {
        const env = configEnvironment({ values: { "aws:region": "us-east-1", "p:a:b": "x" }, secretKeys: ["p:a:b"] });
        assert.deepStrictEqual(JSON.parse(env.PULUMI_CONFIG), { "aws:config:region": "us-east-1", "p:config:a:b": "x" });
        assert.deepStrictEqual(JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS), ["p:a:b"]);
    });
});
