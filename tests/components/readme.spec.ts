import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

// The README's component reference stays in step with the code: every argument is documented, and the CI trust
// policy it recommends pins the signing job exactly.

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

function fieldsOf(file: string, iface: string): string[] {
    const source = fs.readFileSync(path.join(root, "components", file), "utf8");
    const body = new RegExp(`export interface ${iface}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)![1];
    return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map(m => m[1]);
}

/** The README table under a `#### \`Component\`` heading. */
function table(component: string): string {
    const start = readme.indexOf(`#### \`${component}\``);
    assert.ok(start >= 0, `no README section for ${component}`);
    return readme.slice(start, readme.indexOf("\n\n#", start + 1));
}

describe("README component reference", () => {
    const cases: [string, string[]][] = [
        ["CodeSigningGuard", fieldsOf("codeSigningGuard.ts", "CodeSigningGuardArgs")],
        ["SignedFunction", [...fieldsOf("signingPipeline.ts", "SignedCodeArgs"), ...fieldsOf("signedFunction.ts", "SignedFunctionArgs")]],
        ["SignedLayer", [...fieldsOf("signingPipeline.ts", "SignedCodeArgs"), ...fieldsOf("signedLayer.ts", "SignedLayerArgs")]],
    ];
    for (const [component, fields] of cases) {
        it(`documents every ${component} input`, () => {
            assert.ok(fields.length > 5);
            const text = table(component);
            for (const field of fields) {
                assert.ok(text.includes(`\`${field}\``), `${component}.${field} is missing from the README`);
            }
        });
    }

    it("the signer role's trust policy admits exactly the signing environment's job", () => {
        const block = /<!-- signer-role-trust-policy -->\n```json\n([\s\S]*?)```/.exec(readme);
        assert.ok(block, "trust policy block not found");
        const policy = JSON.parse(block[1]);
        assert.strictEqual(policy.Statement.length, 1);
        const [s] = policy.Statement;
        assert.strictEqual(s.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepStrictEqual(Object.keys(s.Condition), ["StringEquals"]);
        assert.deepStrictEqual(s.Condition.StringEquals, {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/payments:environment:signing",
        });
    });
});
