#!/usr/bin/env node
// node scripts/mutationScore.mjs [folder]: the mutation score of a folder over the latest reports in reports/mutation/,
// also when the folder was run in parts (`npm run mutate -- policies/lib/graph`, `... policies/rules`, ...): per file,
// the newest report that contains it counts. Prints one line per file and the total (see MUTATION.md).
// @ts-check
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, "reports", "mutation");
const folder = (process.argv[2] ?? "").replace(/[\\/]+$/, "");
const detected = ["Killed", "Timeout"];
const undetected = ["Survived", "NoCoverage"];

/** @type {Map<string, { mtime: number; mutants: Array<{ status: string }> }>} */
const latest = new Map();
for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.endsWith(".json") || name.endsWith(".incremental.json")) {
        continue;
    }
    const file = path.join(dir, name);
    const mtime = fs.statSync(file).mtimeMs;
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const [source, entry] of Object.entries(report.files ?? {})) {
        if ((folder === "" || source === folder || source.startsWith(`${folder}/`)) && (latest.get(source)?.mtime ?? -1) < mtime) {
            latest.set(source, { mtime, mutants: entry.mutants });
        }
    }
}
if (latest.size === 0) {
    console.error(`mutationScore: no report in reports/mutation/ covers ${folder || "any file"}; run npm run mutate first`);
    process.exit(1);
}

const count = (mutants, statuses) => mutants.filter(m => statuses.includes(m.status)).length;
const score = (d, u) => (d + u === 0 ? "n/a" : `${((100 * d) / (d + u)).toFixed(2)}%`);
const total = { all: 0, detected: 0, survived: 0, noCoverage: 0, timeout: 0, ignored: 0, compileErrors: 0 };
for (const [source, { mtime, mutants }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    const d = count(mutants, detected), u = count(mutants, undetected);
    total.all += mutants.length;
    total.detected += d;
    total.survived += count(mutants, ["Survived"]);
    total.noCoverage += count(mutants, ["NoCoverage"]);
    total.timeout += count(mutants, ["Timeout"]);
    total.ignored += count(mutants, ["Ignored"]);
    total.compileErrors += count(mutants, ["CompileError"]);
    console.log(`${score(d, u).padStart(8)}  ${String(u).padStart(4)} undetected  ${source}  (${new Date(mtime).toISOString().slice(0, 16)})`);
}
console.log(`\n${folder || "all"}: ${score(total.detected, total.survived + total.noCoverage)} of ${total.all} mutants: ` +
    `${total.detected} detected (${total.timeout} timed out), ${total.survived} survived, ${total.noCoverage} without coverage, ` +
    `${total.ignored} ignored, ${total.compileErrors} compile errors`);
