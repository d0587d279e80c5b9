import { CheckReport, FunctionSummary, ReportResource, ReportViolation } from "./report";

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
        rows.push([PLAN_SYMBOL[r.plan] ?? "  ", `${prefix}${connector}${displayType(r.type)}`, r.name, r.plan]);
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
        lines.push(`    ${f.name} (${displayType(f.type)})`);
        lines.push(`        code    ${describeCode(f)}`);
        lines.push(`        CSC     ${describeCsc(f)}`);
        f.layers.forEach((l, i) => lines.push(`        ${i === 0 ? "layers" : "      "}  ${l.ref}: ${describeLayer(l)}`));
    }
    return lines;
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
            lines.push(`        - [${v.level}]  ${v.policy}  (${res ? `${displayType(res.type)}: ${res.name}` : nameOfUrn(v.urn)})`);
            for (const line of v.message.split("\n")) {
                lines.push(`          ${line}`);
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

export function renderText(report: CheckReport): string {
    const verb = report.mode === "preview" ? "Previewing update" : "Updating";
    const result = report.coverage.mandatoryViolations > 0
        ? `Result: ${report.coverage.mandatoryViolations} mandatory policy violation${report.coverage.mandatoryViolations === 1 ? "" : "s"}: \`pulumi ${report.mode === "preview" ? "preview" : "up"}\` would fail.`
        : `Result: no mandatory policy violations${report.coverage.advisoryViolations ? ` (${report.coverage.advisoryViolations} advisory)` : ""}.`;
    return [
        `${verb} (${report.stack}) of ${report.project}, offline with policy pack ${report.policyPack.name}@v${report.policyPack.version}`,
        "",
        ...renderTree(report.resources),
        "",
        "Lambda functions:",
        ...renderFunctions(report.functions),
        "",
        "Policies:",
        ...renderViolations(report),
        "",
        "Coverage:",
        ...renderCoverage(report),
        "",
        result,
        "",
    ].join("\n");
}
