import { Format } from "./args";
import { displayType, renderText, resultLine } from "./render";
import { CheckReport, FunctionSummary } from "./report";
import { renderSarif } from "./sarif";

// Everything a program controls (resource names, ARNs inside messages) is neutralised before it reaches a
// document a workflow or a pull-request page interprets: no line breaks inside workflow commands, no Markdown or
// HTML in a summary.

/** `::command` data and property escaping (actions/toolkit `escapeData` / `escapeProperty`). */
function escapeData(text: string): string {
    return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
    return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands: an annotation per violation on the program's source line, then the result. */
export function renderGithub(report: CheckReport): string {
    const lines = report.violations.map((v) => {
        const command = v.level === "mandatory" ? "error" : "warning";
        const props = [
            ...(v.location ? [`file=${escapeProperty(v.location.file)}`, `line=${v.location.line}`, ...(v.location.column ? [`col=${v.location.column}`] : [])] : []),
            `title=${escapeProperty(`${v.policy} (${displayType(v.resource.type)} ${v.resource.name})`)}`,
        ];
        return `::${command} ${props.join(",")}::${escapeData(v.message)}`;
    });
    const failed = report.coverage.mandatoryViolations > 0;
    lines.push(`::${failed ? "error" : "notice"} title=${escapeProperty("lambda-code-signing check")}::${escapeData(resultLine(report))}`);
    return lines.join("\n") + "\n";
}

/** Text for a Markdown table cell or paragraph: no HTML, no Markdown syntax, no line breaks. */
function md(text: string): string {
    return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);
}

function codeCell(f: FunctionSummary): string {
    const c = f.code;
    const ok = c.status === "signed" || c.status === "image";
    return `${ok ? "✅" : "❌"} ${md(c.status)}${c.signingProfile ? ` (${md(c.signingProfile)})` : ""}`;
}

function cscCell(f: FunctionSummary): string {
    const ok = f.csc.status === "enforce" || f.csc.status === "trusted-external";
    return `${ok ? "✅" : "❌"} ${md(f.csc.status)}${f.csc.resource ? ` (${md(f.csc.resource)})` : f.csc.arn ? ` (${md(f.csc.arn)})` : ""}`;
}

function layersCell(f: FunctionSummary): string {
    if (f.layers.length === 0) return "—";
    return f.layers.map((l) => `${l.status === "signed" || l.status === "trusted" ? "✅" : "❌"} ${md(l.ref)}`).join("<br>");
}

/** A summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: result, functions, violations, coverage, config. */
export function renderMarkdown(report: CheckReport): string {
    const c = report.coverage;
    const failed = c.mandatoryViolations > 0;
    const out = [
        `## ${failed ? "❌" : "✅"} Lambda code signing: ${failed ? `${c.mandatoryViolations} mandatory violation${c.mandatoryViolations === 1 ? "" : "s"}` : "no mandatory violations"}`,
        "",
        `${md(resultLine(report))} Stack \`${md(`${report.organization}/${report.project}/${report.stack}`)}\`, ${report.mode}, offline; policy pack ${md(`${report.policyPack.name}@${report.policyPack.version}`)}; policy config: ${report.policyConfig ? md(report.policyConfig) : "none"}.`,
        "",
        "### Functions",
        "",
    ];
    if (report.functions.length === 0) {
        out.push("No Lambda functions.");
    } else {
        out.push("| Function | Code | Code signing config | Layers |", "|---|---|---|---|");
        for (const f of report.functions) {
            out.push(`| ${md(f.name)} | ${codeCell(f)} | ${cscCell(f)} | ${layersCell(f)} |`);
        }
    }
    out.push("", "### Violations", "");
    if (report.violations.length === 0) {
        out.push("None.");
    } else {
        out.push("| Level | Policy | Resource | Where | Message |", "|---|---|---|---|---|");
        for (const v of report.violations) {
            const where = v.location ? `${md(v.location.file)}:${v.location.line}` : "";
            out.push(`| ${v.level} | ${md(v.policy)} | ${md(displayType(v.resource.type))} ${md(v.resource.name)} | ${where} | ${md(v.message)} |`);
        }
    }
    out.push(
        "", "### Coverage", "", "| | |", "|---|---|",
        `| Functions | ${c.functions} |`,
        `| Behind an Enforce CSC | ${c.behindEnforceCsc} of ${c.functions} (${c.behindEnforceCscPercent}%) |`,
        `| Signed code | ${c.signedCode} of ${c.functions} (${c.signedCodePercent}%) |`,
        `| Unsigned or unverifiable layers | ${c.unsignedLayers} |`,
    );
    if (report.gaps.length > 0) {
        out.push("", "### Unknown offline", "", ...report.gaps.map((g) => `- ${md(g.hint)}`));
    }
    out.push("", "<details><summary>Policies</summary>", "", "| Policy | Level |", "|---|---|",
        ...report.policies.map((p) => `| ${md(p.name)} | ${p.enforcementLevel} |`), "", "</details>", "");
    return out.join("\n");
}

export function renderReport(report: CheckReport, format: Format): string {
    switch (format) {
        case "json": return JSON.stringify(report, null, 2) + "\n";
        case "sarif": return renderSarif(report);
        case "github": return renderGithub(report);
        case "markdown": return renderMarkdown(report);
        default: return renderText(report);
    }
}
