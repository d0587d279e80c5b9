// An EventBridge event-pattern matcher for the tests, following the EventBridge User Guide ("Creating event patterns",
// "Content filtering in Amazon EventBridge event patterns"):
// - every field named in the pattern must match; fields the pattern does not name are ignored;
// - a pattern leaf is an array of matchers, and the field matches when ANY of them matches;
// - when the event's value is an array, the field matches when ANY element matches;
// - exact strings are case-sensitive; `prefix` and `suffix` compare the start/end of a string value;
// - a field missing from the event matches only `{ "exists": false }`.
// Operators outside this subset throw, so a pattern the matcher cannot judge never "passes" by accident.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function matchesOne(matcher: Json, value: Json | undefined): boolean {
    if (matcher === null || typeof matcher !== "object") {
        return value !== undefined && value === matcher;
    }
    if (Array.isArray(matcher)) {
        throw new Error(`nested array in a pattern leaf: ${JSON.stringify(matcher)}`);
    }
    const [operator, ...more] = Object.keys(matcher);
    if (more.length > 0) {
        throw new Error(`one operator per matcher: ${JSON.stringify(matcher)}`);
    }
    const operand = matcher[operator];
    switch (operator) {
        case "prefix":
            assertString(operand, matcher);
            return typeof value === "string" && value.startsWith(operand);
        case "suffix":
            assertString(operand, matcher);
            return typeof value === "string" && value.endsWith(operand);
        case "equals-ignore-case":
            assertString(operand, matcher);
            return typeof value === "string" && value.toLowerCase() === operand.toLowerCase();
        case "exists":
            return operand === (value !== undefined);
        case "anything-but": {
            const excluded = Array.isArray(operand) ? operand : [operand];
            return value !== undefined && !excluded.some(e => matchesOne(e, value));
        }
        default:
            throw new Error(`operator ${operator} is not supported by this matcher`);
    }
}

function assertString(operand: Json, matcher: Json): asserts operand is string {
    if (typeof operand !== "string") {
        throw new Error(`operand must be a string: ${JSON.stringify(matcher)}`);
    }
}

function matchesLeaf(matchers: Json[], value: Json | undefined): boolean {
    const values = Array.isArray(value) ? value : [value];
    return matchers.some(m => values.some(v => matchesOne(m, v)));
}

/** True when EventBridge would deliver `event` to a rule with `pattern`. */
export function matchesPattern(pattern: { [key: string]: Json }, event: { [key: string]: Json } | undefined): boolean {
    return Object.entries(pattern).every(([key, sub]) => {
        if (key.startsWith("$")) {
            throw new Error(`${key} is not supported by this matcher`);
        }
        const value = event?.[key];
        if (Array.isArray(sub)) {
            return matchesLeaf(sub, value);
        }
        if (sub === null || typeof sub !== "object") {
            throw new Error(`pattern values must be arrays or objects: ${key}`);
        }
        return value !== null && typeof value === "object" && !Array.isArray(value) && matchesPattern(sub, value);
    });
}
