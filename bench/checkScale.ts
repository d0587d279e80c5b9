import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { descendantsOf } from "../engine/processTree";

// `check` on generated programs of growing size, as a user runs it (the CLI, the program in its own process, the
// bundled pack): wall time, where it went (the CLI's --verbose phase timings) and peak memory of every process.

const ROOT = path.join(__dirname, "..");
const PROGRAMS = path.join(__dirname, ".tmp-programs");

export interface CheckScaleRun {
    label: string;
    kind: "signed" | "raw";
    count: number;
    typeCheck: boolean;
    resources: number;
    wallMs: number;
    phases: string;
    /** Peak of the sum of the resident memory of check and every process it started. */
    peakTreeRssMb: number;
    /** Peak resident memory of the largest single process. */
    peakProcessRssMb: number;
    exitCode: number | null;
}

/**
 * A TypeScript program: one CodeSigningGuard and `count` SignedFunctions, or `count` plain functions. It imports the
 * package as a user's program does, by name from its node_modules (a link to this repository, so the compiled
 * `dist/` and its `.d.ts` files, through package.json `exports`), never our TypeScript sources.
 */
export function writeProgram(kind: "signed" | "raw", count: number): string {
    const dir = path.join(PROGRAMS, `${kind}-${count}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "code"), { recursive: true });
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, "node_modules", "lambda-code-signing"), "dir");
    fs.writeFileSync(path.join(dir, "code", "index.js"), "exports.handler = async () => 1;\n");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${kind}-${count}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${kind}-${count}`, private: true, main: "index.ts" }));
    fs.writeFileSync(path.join(dir, "index.ts"), kind === "signed"
        ? [
            `import * as pulumi from "@pulumi/pulumi";`,
            `import { CodeSigningGuard, SignedFunction } from "lambda-code-signing";`,
            `const guard = new CodeSigningGuard("guard", {});`,
            `for (let i = 0; i < ${count}; i++) {`,
            "    new SignedFunction(`fn-${i}`, { ...guard.signingArgs(), code: new pulumi.asset.FileArchive(\"./code\"), runtime: \"nodejs20.x\", handler: \"index.handler\" });",
            "}",
        ].join("\n")
        : [
            `import * as aws from "@pulumi/aws";`,
            `for (let i = 0; i < ${count}; i++) {`,
            "    new aws.lambda.Function(`fn-${i}`, { role: \"arn:aws:iam::123456789012:role/r\", runtime: \"nodejs20.x\", handler: \"index.handler\", s3Bucket: \"artifacts\", s3Key: `fn-${i}.zip` });",
            "}",
        ].join("\n"));
    return dir;
}

function rssMb(pid: number): number {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
        return 0;
    }
}

function runCheck(dir: string, typeCheck: boolean): Promise<{ wallMs: number; stdout: string; stderr: string; code: number | null; tree: number; largest: number }> {
    return new Promise((resolve, reject) => {
        const env = { ...process.env };
        if (!typeCheck) env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        const start = performance.now();
        const child = spawn(process.execPath, [path.join(ROOT, "bin", "lambda-code-signing.js"), "check", dir, "--json", "--verbose", "--timeout", "1800"], { cwd: ROOT, env });
        let stdout = "";
        let stderr = "";
        let tree = 0;
        let largest = 0;
        const sample = setInterval(() => {
            const sizes = [child.pid!, ...descendantsOf(child.pid!)].map(rssMb);
            tree = Math.max(tree, sizes.reduce((a, b) => a + b, 0));
            largest = Math.max(largest, ...sizes);
        }, 100);
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => {
            clearInterval(sample);
            resolve({ wallMs: performance.now() - start, stdout, stderr, code, tree, largest });
        });
    });
}

export async function checkScale(
    sizes: { kind: "signed" | "raw"; count: number; typeCheck: boolean }[],
    log: (line: string) => void = () => undefined,
): Promise<CheckScaleRun[]> {
    const runs: CheckScaleRun[] = [];
    try {
        for (const { kind, count, typeCheck } of sizes) {
            const label = `${count} ${kind === "signed" ? "SignedFunctions" : "raw functions"}${typeCheck ? "" : " (transpile-only)"}`;
            log(`check on ${label}…`);
            const result = await runCheck(writeProgram(kind, count), typeCheck);
            let resources = 0;
            try {
                resources = JSON.parse(result.stdout).resources.length;
            } catch {
                // reported through exitCode
            }
            runs.push({
                label, kind, count, typeCheck, resources, wallMs: result.wallMs, exitCode: result.code,
                phases: /timings: (.*)/.exec(result.stderr)?.[1] ?? result.stderr.trim().split("\n").pop() ?? "",
                peakTreeRssMb: Math.round(result.tree), peakProcessRssMb: Math.round(result.largest),
            });
        }
    } finally {
        fs.rmSync(PROGRAMS, { recursive: true, force: true });
    }
    return runs;
}

if (require.main === module) {
    // `node -r ts-node/register/transpile-only bench/checkScale.ts [signed|raw:<count>[:transpile-only]]…`: just this
    // step, e.g. `signed:1000 signed:1000:transpile-only raw:3000` (default `signed:100`).
    const specs = process.argv.slice(2).map((arg) => {
        const [kind, count, mode] = arg.split(":");
        if ((kind !== "signed" && kind !== "raw") || !(Number(count) > 0) || (mode !== undefined && mode !== "transpile-only")) {
            throw new Error(`'${arg}' is not <signed|raw>:<count>[:transpile-only]`);
        }
        return { kind: kind as "signed" | "raw", count: Number(count), typeCheck: mode === undefined };
    });
    checkScale(specs.length ? specs : [{ kind: "signed", count: 100, typeCheck: true }], (l) => process.stderr.write(`${l}\n`))
        .then((runs) => process.stdout.write(JSON.stringify(runs, null, 2) + "\n"));
}
