import { CheckReport, FunctionSummary, ReportResource, ReportViolation } from "./report";

/**
 * A program-controlled string on one line of text: control characters become spaces and nothing can start a
 * workflow command (`::…`) when the text is printed in a CI log.
 */
export function neutral(text: string): string {
    const flat = text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, " ");
    return flat.trimStart().startsWith("::") ? flat.replace("::", ": :") : flat;
}

const PLAN_SYMBOL: Record<string, string> = { create: "+ ", update: "~ ", replace: "+-", same: "  " };

/** `aws:lambda/function:Function` → `aws:lambda:Function`, as the Pulumi CLI displays type tokens. */
export function displayType(type: string): string {
    const match = /^([^:]+):([^:/]+)\/([^:]+):(.+)$/.exec(type);
    if (match && match[3].toLowerCase() === match[4].toLowerCase()) {
        return `${match[1]}:${match[2]}:${match[4]}`;
    }
    return type;
}

function nameOfUrn(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function renderTree(resources: ReportResource[]): string[] {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const children = new Map<string | undefined, ReportResource[]>();
    for (const r of resources) {
        const parent = r === stack ? undefined : r.parent ?? stack?.urn;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const rows: [string, string, string, string][] = [];
    const walk = (r: ReportResource, prefix: string, connector: string) => {
        rows.push([PLAN_SYMBOL[r.plan] ?? "  ", `${prefix}${connector}${neutral(displayType(r.type))}`, neutral(r.name), r.plan]);
        const kids = children.get(r.urn) ?? [];
        const childPrefix = prefix + (connector === "" ? "" : connector.startsWith("└") ? "   " : "│  ");
        kids.forEach((kid, i) => walk(kid, childPrefix, i === kids.length - 1 ? "└─ " : "├─ "));
    };
    (children.get(undefined) ?? []).forEach((root) => walk(root, "", ""));
    const typeWidth = Math.max(4, ...rows.map((r) => r[1].length)) + 2;
    const nameWidth = Math.max(4, ...rows.map((r) => r[2].length)) + 2;
    const lines = [`     ${"Type".padEnd(typeWidth)}${"Name".padEnd(nameWidth)}Plan`];
    for (const [symbol, type, name, plan] of rows) {
        lines.push(` ${symbol}  ${type.padEnd(typeWidth)}${name.padEnd(nameWidth)}${plan}`);
    }
    return lines;
}

function describeCode(f: FunctionSummary): string {
    switch (f.code.status) {
        case "signed": return `signed by signing profile ${f.code.signingProfile ?? "(unknown)"}${f.code.signingJob ? ` (signing job ${f.code.signingJob})` : ""}`;
        case "inline": return "UNSIGNED: inline archive uploaded directly";
        case "plain-s3": return "UNSIGNED: plain S3 object, not produced by a signing job";
        case "image": return "container image (Lambda code signing does not apply)";
        default: return `cannot be verified${f.code.detail ? `: ${f.code.detail}` : ""}`;
    }
}

function describeCsc(f: FunctionSummary): string {
    const where = f.csc.resource ? ` (${f.csc.resource}${f.csc.publishers !== undefined ? `, ${f.csc.publishers} allowed publisher${f.csc.publishers === 1 ? "" : "s"}` : ""})` : "";
    switch (f.csc.status) {
        case "enforce": return `Enforce${where}`;
        case "warn": return `WARN: unsigned code deploys with a warning${where}`;
        case "missing": return "MISSING: no code signing config";
        case "trusted-external": return `trusted external ${f.csc.arn}`;
        case "untrusted-external": return `UNTRUSTED external ${f.csc.arn} (not in trustedCodeSigningConfigArns)`;
        default: return `cannot be verified${f.csc.detail ? `: ${f.csc.detail}` : ""}`;
    }
}

function describeLayer(l: FunctionSummary["layers"][number]): string {
    switch (l.status) {
        case "signed": return `signed${l.signingProfile ? ` by ${l.signingProfile}` : ""}`;
        case "trusted": return "trusted (trustedLayerArns)";
        case "unsigned": return `UNSIGNED${l.detail ? `: ${l.detail}` : ""}`;
        default: return `cannot be verified${l.detail ? `: ${l.detail}` : ""}`;
    }
}

function renderFunctions(functions: FunctionSummary[]): string[] {
    if (functions.length === 0) {
        return ["    (no Lambda functions)"];
    }
    const lines: string[] = [];
    for (const f of functions) {
        lines.push(`    ${neutral(f.name)} (${neutral(displayType(f.type))})`);
        lines.push(`        code    ${neutral(describeCode(f))}`);
        lines.push(`        CSC     ${neutral(describeCsc(f))}`);
        f.layers.forEach((l, i) => lines.push(`        ${i === 0 ? "layers" : "      "}  ${neutral(`${l.ref}: ${describeLayer(l)}`)}`));
    }
    return lines;
}

/** Every policy's effective level: a disabled or advisory policy is shown as such, with the config that made it so. */
function renderPolicyLevels(report: CheckReport): string[] {
    const width = Math.max(0, ...report.policies.map((p) => p.name.length)) + 2;
    const lines = [`    config: ${report.policyConfig ?? "none (no --policy-pack-config: every policy at the pack's own level)"}`];
    for (const p of report.policies) {
        const note = p.enforcementLevel === "disabled" ? "  DISABLED: not evaluated" : p.enforcementLevel === "advisory" ? "  ADVISORY: violations do not fail" : "";
        lines.push(`    ${p.name.padEnd(width)}${p.enforcementLevel}${note}`);
    }
    return lines;
}

function describeStack(report: CheckReport): string {
    const qualified = `${report.organization}/${report.project}/${report.stack}`;
    switch (report.stackSource) {
        case "option": return `${qualified} (--stack, Pulumi.${report.stack}.yaml)`;
        case "only-stack-file": return `${qualified} (the only stack file, Pulumi.${report.stack}.yaml)`;
        default: return `${qualified} (default: no --stack and no Pulumi.<stack>.yaml, so no stack configuration)`;
    }
}

function renderViolations(report: CheckReport): string[] {
    if (report.violations.length === 0) {
        return [`    ✅ ${report.policyPack.name}@v${report.policyPack.version} (no violations)`];
    }
    const lines: string[] = [];
    const resourceByUrn = new Map(report.resources.map((r) => [r.urn, r]));
    const group = (level: ReportViolation["level"], marker: string) => {
        const items = report.violations.filter((v) => v.level === level);
        if (items.length === 0) return;
        lines.push(`    ${marker} ${report.policyPack.name}@v${report.policyPack.version} — ${items.length} ${level}`);
        for (const v of items) {
            const res = resourceByUrn.get(v.urn);
            lines.push(`        - [${v.level}]  ${v.policy}  (${neutral(res ? `${displayType(res.type)}: ${res.name}` : nameOfUrn(v.urn))})${v.location ? `  ${neutral(v.location.file)}:${v.location.line}` : ""}`);
            for (const line of v.message.split("\n")) {
                lines.push(`          ${neutral(line)}`);
            }
        }
    };
    group("mandatory", "❌");
    group("advisory", "⚠️ ");
    return lines;
}

function renderCoverage(report: CheckReport): string[] {
    const c = report.coverage;
    return [
        `    functions               ${c.functions}`,
        `    behind an Enforce CSC   ${c.behindEnforceCsc} of ${c.functions} (${c.behindEnforceCscPercent}%)`,
        `    signed code             ${c.signedCode} of ${c.functions} (${c.signedCodePercent}%)`,
        `    unsigned layers         ${c.unsignedLayers}`,
    ];
}

/** The verdict in one sentence. */
export function resultLine(report: CheckReport): string {
    return report.coverage.mandatoryViolations > 0
        ? `Result: ${report.coverage.mandatoryViolations} mandatory policy violation${report.coverage.mandatoryViolations === 1 ? "" : "s"}: \`pulumi ${report.mode === "preview" ? "preview" : "up"}\` would fail.`
        : `Result: no mandatory policy violations${report.coverage.advisoryViolations ? ` (${report.coverage.advisoryViolations} advisory)` : ""}.`;
}

export function renderText(report: CheckReport): string {
    const verb = report.mode === "preview" ? "Previewing update" : "Updating";
    const result = resultLine(report);
    const gaps = report.gaps.length === 0 ? [] : ["", "Unknown offline:", ...report.gaps.map((g) => `    ${neutral(g.hint)}`)];
    return [
        `${verb} (${report.stack}) of ${neutral(report.project)}, offline with policy pack ${report.policyPack.name}@v${report.policyPack.version}`,
        `Stack: ${describeStack(report)}`,
        "",
        ...renderTree(report.resources),
        "",
        "Lambda functions:",
        ...renderFunctions(report.functions),
        "",
        "Policies:",
        ...renderPolicyLevels(report),
        "",
        ...renderViolations(report),
        ...gaps,
        "",
        "Coverage:",
        ...renderCoverage(report),
        "",
        result,
        "",
    ].join("\n");
}
