import { createHash } from "crypto";
import { displayType } from "./render";
import { CheckReport, PolicyState, ReportViolation } from "./report";
import { SourceFile } from "./locations";

// SARIF 2.1.0 (OASIS; schema https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json)
// as GitHub code scanning ingests it: a rule per policy, a result per violation with the program's source file and
// line (relative to the working directory, i.e. the repository root in a workflow) and the resource's URN as its
// logical location. https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function ruleLevel(p: PolicyState): "error" | "warning" | "none" {
    return p.enforcementLevel === "disabled" ? "none" : p.enforcementLevel === "advisory" ? "warning" : "error";
}

function artifactLocation(location: SourceFile): Record<string, unknown> {
    return location.file.startsWith("/")
        ? { uri: `file://${encodeURI(location.file)}` }
        : { uri: encodeURI(location.file), uriBaseId: "%SRCROOT%" };
}

function result(v: ReportViolation, ruleIndex: number): Record<string, unknown> {
    const location: Record<string, unknown> = {
        logicalLocations: [{ name: v.resource.name, fullyQualifiedName: v.urn, kind: "resource" }],
    };
    if (v.location) {
        location.physicalLocation = {
            artifactLocation: artifactLocation(v.location),
            region: { startLine: v.location.line, ...(v.location.column ? { startColumn: v.location.column } : {}) },
        };
    }
    return {
        ruleId: v.policy,
        ...(ruleIndex >= 0 ? { ruleIndex } : {}),
        level: v.level === "mandatory" ? "error" : "warning",
        message: { text: `${v.message} (${displayType(v.resource.type)} ${v.resource.name})` },
        locations: [location],
        // Stable across runs and line moves: the policy and the resource it is about.
        partialFingerprints: { "lambdaCodeSigning/policyAndUrn/v1": createHash("sha256").update(`${v.policy}\n${v.urn}`).digest("hex") },
        properties: { urn: v.urn, enforcementLevel: v.level },
    };
}

export function renderSarif(report: CheckReport): string {
    const rules = report.policies.map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: (p.description ?? p.name).split("\n")[0] },
        ...(p.description ? { fullDescription: { text: p.description } } : {}),
        defaultConfiguration: { level: ruleLevel(p), enabled: p.enforcementLevel !== "disabled" },
        properties: { tags: ["security", "aws-lambda", "code-signing"], "security-severity": p.enforcementLevel === "advisory" ? "4.0" : "8.0" },
    }));
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const sarif = {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
            automationDetails: { id: `lambda-code-signing/${report.program}/${report.stack}/` },
            originalUriBaseIds: { "%SRCROOT%": { uri: `file://${encodeURI(process.cwd().replace(/\/?$/, "/"))}` } },
            invocations: [{ executionSuccessful: true }],
            results: report.violations.map((v) => result(v, index.get(v.policy) ?? -1)),
            properties: {
                project: report.project, stack: report.stack, organization: report.organization, mode: report.mode,
                policyPack: `${report.policyPack.name}@${report.policyPack.version}`, policyConfig: report.policyConfig, coverage: report.coverage,
            },
        }],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}
