// `npm run bench`: measures the pack and the components against their floors and writes bench/RESULTS.md.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analysisAtScale } from "./analysisAtScale";
import { coldStarts } from "./coldStart";
import { componentOverhead, idempotence } from "./components";
import { checkScale } from "./checkScale";
import { describeInstalledColdStart, installedPackColdStart } from "./installedPack";
import { offlineCheck } from "./offlineCheck";
import { ms, ratio, RUNS, verdict } from "./timing";

function log(line: string) {
    process.stderr.write(`bench: ${line}\n`);
}

async function main() {
    const lines: string[] = [];
    const out = (line = "") => lines.push(line);
    out("# Benchmark results");
    out();
    out(`Medians over ${RUNS} runs on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), Node.js ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
    out("Reproduce with `npm run bench` (set `BENCH_RUNS` for more runs).");
    out();

    log("pack cold start…");
    const cold = await coldStarts();
    out("## 1. Policy pack cold start");
    out();
    out("Time until the pack serves, started as the CLI's language host starts it (`node @pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>`).");
    out();
    out("| pack | time to serve |");
    out("|---|---|");
    out(`| (a) lambda-code-signing (compiled JS) | ${ms(cold.ours)} |`);
    out(`| (b) one empty policy (floor) | ${ms(cold.empty)} |`);
    out(`| (c) Pulumi TypeScript template style (ts-node, \`validateResourceOfType(aws.lambda.Function, …)\`) | ${ms(cold.templateStyle)} |`);
    out();
    out(`- a/b = ${ratio(cold.ours / cold.empty)} (target ≤ 1.15×: ${verdict(cold.ours / cold.empty, 1.15)})`);
    out(`- c/a = ${ratio(cold.templateStyle / cold.ours)}`);
    out();

    log("analysis at scale…");
    // Large requests are noisy (GC, transport): at least 7 runs for this step.
    const scale = await analysisAtScale([1000, 4000], Math.max(RUNS, 7));
    out("## 2. Analysis at scale");
    out();
    out(`Preview-mode stacks of signed functions (each with its object, signing job and a signed layer), captured from a real program and replicated. Timed: the AnalyzeStack RPC alone, request serialized beforehand; medians over ${Math.max(RUNS, 7)} runs.`);
    out();
    out("| functions | resources | ours | empty stack policy | ours/empty | per-resource Remediate+Analyze path, one run (ours / empty) | mandatory verdicts |");
    out("|---|---|---|---|---|---|---|");
    for (const s of scale) {
        out(`| ${s.functions} | ${s.resources} | ${ms(s.stack.ours)} | ${ms(s.stack.empty)} | ${ratio(s.stack.ours / s.stack.empty)} | ${ms(s.perResource.ours)} / ${ms(s.perResource.empty)} | ${s.oursMandatory} |`);
    }
    const [small, large] = scale;
    const growth = large.stack.ours / small.stack.ours;
    const resourceGrowth = large.resources / small.resources;
    out();
    out(`- ours/empty at ${large.resources} resources = ${ratio(large.stack.ours / large.stack.empty)} (target ≤ 1.25×: ${verdict(large.stack.ours / large.stack.empty, 1.25)})`);
    out(`- growth for ${resourceGrowth.toFixed(1)}× resources = ${ratio(growth)} (target ≤ 4.4×: ${verdict(growth, 4.4)}); the empty stack policy itself grows ${ratio(large.stack.empty / small.stack.empty)}`);
    out(`- mandatory verdicts on the compliant stacks: ${scale.map((s) => s.oursMandatory).join(", ")} (must be 0)`);
    out();

    log("component overhead…");
    const overhead = await componentOverhead();
    out("## 3. Component overhead");
    out();
    out(`A program of ${overhead.count} SignedFunctions under the mock runtime vs. the same object → signing job → function chain registered by hand.`);
    out();
    out(`- SignedFunction program: ${ms(overhead.components)}; by hand: ${ms(overhead.hand)}; ratio ${ratio(overhead.components / overhead.hand)}`);
    out(`- resources per SignedFunction (component, object, signing job, function): ${overhead.perFunction}`);
    out();

    log("idempotence…");
    const idem = await idempotence();
    out("## 4. Idempotence");
    out();
    out(`- first deployment: ${idem.first} signing jobs; redeploy unchanged: **${idem.unchanged}** (must be 0: ${idem.unchanged === 0 ? "met" : "**missed**"}); after changing one function's code: **${idem.oneChanged}** (must be 1: ${idem.oneChanged === 1 ? "met" : "**missed**"})`);
    out();

    log("offline check…");
    const offline = offlineCheck();
    out("## 5. Offline check");
    out();
    out(`- \`npm start\` (check examples/app): ${ms(offline.wallMs)} wall, exit code ${offline.exitCode} (target ≤ 10 s: ${verdict(offline.wallMs, 10_000)})`);
    out();

    log("installed pack cold start…");
    out("## 6. Installed pack cold start");
    out();
    describeInstalledColdStart(await installedPackColdStart()).forEach(line => out(line));
    out();

    log("check at scale…");
    const scale6 = await checkScale([
        { kind: "signed", count: 100, typeCheck: true },
        { kind: "signed", count: 300, typeCheck: true },
        { kind: "signed", count: 1000, typeCheck: true },
        { kind: "signed", count: 1000, typeCheck: false },
        { kind: "raw", count: 3000, typeCheck: true },
    ], log);
    out("## 7. Offline check at scale");
    out();
    out("`lambda-code-signing check <program> --json` on generated TypeScript programs (one CodeSigningGuard and N SignedFunctions, or N plain `aws.lambda.Function`s), one run each. The program type-checks as Pulumi's runner does unless marked transpile-only (`PULUMI_NODEJS_TRANSPILE_ONLY=true`). Memory: peak of the sum of every process (check, the program, the pack), and of the largest one.");
    out();
    out("| program | resources | wall | phases (--verbose) | peak memory, all processes | largest process | exit |");
    out("|---|---|---|---|---|---|---|");
    for (const r of scale6) {
        out(`| ${r.label} | ${r.resources} | ${ms(r.wallMs)} | ${r.phases} | ${r.peakTreeRssMb} MB | ${r.peakProcessRssMb} MB | ${r.exitCode} |`);
    }
    const [s100, s300, s1000] = scale6;
    out();
    out(`- growth: 300/100 = ${ratio(s300.wallMs / s100.wallMs)}, 1000/300 = ${ratio(s1000.wallMs / s300.wallMs)} (resources ×${(s300.resources / s100.resources).toFixed(1)}, ×${(s1000.resources / s300.resources).toFixed(1)})`);
    out(`- 1,000 SignedFunctions: ${ms(s1000.wallMs)} (target ≤ 15 s: ${verdict(s1000.wallMs, 15_000)}), ${s1000.peakTreeRssMb} MB (target ≤ 1024 MB: ${verdict(s1000.peakTreeRssMb, 1024)})`);
    out();

    const text = lines.join("\n");
    fs.writeFileSync(path.join(__dirname, "RESULTS.md"), text);
    process.stdout.write(text);
}

main().catch((err) => {
    process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
    process.exit(1);
});
