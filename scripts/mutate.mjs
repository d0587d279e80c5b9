#!/usr/bin/env node
// npm run mutate -- [target ...] [Stryker options]
//
//   npm run mutate                                   every group (components, policies, cli, engine), one run each
//   npm run mutate -- components                     one folder
//   npm run mutate -- policies/lib/values.ts         one file (its folder's specs)
//   npm run mutate -- components/validation.ts:100-140 --concurrency 1
//   npm run mutate -- components --force             ignore the incremental results of earlier runs
//
// A target is a path under one of the groups of scripts/mutationTargets.mjs, optionally with Stryker's `:lines`
// range; every other argument goes to `stryker run` unchanged. Each distinct target list has its own incremental
// file and report in reports/mutation/ (see MUTATION.md).
// @ts-check
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { fileURLToPath } from "url";
import { groups, inProcessSpecs } from "./mutationTargets.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stryker = path.join(path.dirname(createRequire(import.meta.url).resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");

/** The group a target belongs to, or undefined when the argument is not a target. */
function groupOf(arg) {
    const file = arg.replace(/:\d+(:\d+)?(-\d+(:\d+)?)?$/, "");
    const group = file.split(/[\\/]/)[0];
    return !arg.startsWith("-") && group in groups && fs.existsSync(path.join(root, file)) ? group : undefined;
}

/** Stryker `mutate` patterns for a target: a folder's TypeScript files (with its group's exclusions) or the file. */
function patternsOf(target) {
    const clean = target.replace(/[\\/]+$/, "");
    const group = groups[clean.split(/[\\/]/)[0]];
    const excluded = group.mutate.filter(p => p.startsWith("!"));
    if (clean in groups) {
        return group.mutate;
    }
    return fs.statSync(path.join(root, clean.replace(/:[\d:-]+$/, ""))).isDirectory() ? [`${clean}/**/*.ts`, ...excluded] : [clean];
}

/**
 * The report (and incremental file) name of a target list: the targets joined, or, when that would be too long for a
 * file name (255 bytes on Linux, with room for ".incremental.json"), the group and a digest of the list.
 */
function reportName(group, list) {
    const joined = list.join("+").replace(/[\\/:]+/g, "_");
    return joined.length <= 200 ? joined : `${group}+${list.length}-targets-${createHash("sha256").update(joined).digest("hex").slice(0, 12)}`;
}

const args = process.argv.slice(2);
const targets = args.filter(groupOf);
const passThrough = args.filter(a => !groupOf(a));
if (passThrough.includes("--mutate") || passThrough.includes("-m")) {
    console.error("mutate: name the folders or files as arguments instead of --mutate, e.g. npm run mutate -- components/validation.ts");
    process.exit(2);
}
const byGroup = new Map();
for (const target of targets.length > 0 ? targets : Object.keys(groups)) {
    const group = groupOf(target) ?? target;
    byGroup.set(group, [...(byGroup.get(group) ?? []), target]);
}

let status = 0;
for (const [group, list] of byGroup) {
    const report = reportName(group, list);
    const specs = inProcessSpecs([group], root);
    console.error(`mutate: ${list.join(", ")} against ${specs.length} spec files (report reports/mutation/${report}.html)`);
    const result = spawnSync(process.execPath, [stryker, "run", "stryker.config.mjs", "--mutate", list.flatMap(patternsOf).join(","), ...passThrough], {
        cwd: root,
        stdio: "inherit",
        env: {
            ...process.env,
            MUTATE_SPECS: JSON.stringify(specs),
            MUTATE_REPORT: report,
            MUTATE_TSCONFIG: groups[group].tsconfig ?? "",
        },
    });
    status = status || (result.status ?? 1);
}
process.exit(status);
