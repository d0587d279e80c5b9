import * as assert from "assert";
import { signerJobNoIgnoreFailure } from "../../../policies/rules/signer-job-no-ignore-failure";
import { T, UNKNOWN_BOOL, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, secret, withConfig, withPack } from "../helpers";
import { Wrapper, signedObject, signingSetup } from "../programs";

const P = "signer-job-no-ignore-failure";
const FIX = `Remove ignoreSigningJobFailure (or set it to false) so a failed signing job fails the deployment instead of shipping unsigned code.`;

/** The rule's own messages (the pack prefixes each with the policy description and a newline). */
async function messages(props: Record<string, unknown>, config?: object, type = T.job): Promise<string[]> {
    const d = await analyzeResource([withConfig(signerJobNoIgnoreFailure, config)], type, "j", props);
    assertNoCantRun(d);
    for (const x of d) {
        assert.deepStrictEqual([x.policy, x.level, x.message.split("\n")[0]], [P, "mandatory", signerJobNoIgnoreFailure.description]);
    }
    return d.map(x => x.message.slice(signerJobNoIgnoreFailure.description!.length + 1));
}

describe("policies/rules/signer-job-no-ignore-failure", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();

        it("reports ignoreSigningJobFailure: true and passes false / unset", async () => {
            const { preview, urn } = await pack.both(() => {
                const s = signingSetup();
                signedObject("ignoring", s, undefined, { ignoreSigningJobFailure: true });
                signedObject("strict", s, undefined, { ignoreSigningJobFailure: false });
                new Wrapper("w", o => signedObject("default", s, o));
            });
            expectViolations(preview, [{
                policy: P,
                urn: urn("ignoring-signing"),
                message: [/SigningJob "ignoring-signing" sets ignoreSigningJobFailure to true/, /Remove ignoreSigningJobFailure/],
            }]);
        });
    });

    describe("in process", () => {
        it("passes a job that leaves ignoreSigningJobFailure unset, null or false", async () => {
            for (const props of [{}, { ignoreSigningJobFailure: null }, { ignoreSigningJobFailure: false }, { ignoreSigningJobFailure: "false" }, { ignoreSigningJobFailure: secret(false) }]) {
                assert.deepStrictEqual(await messages(props), [], JSON.stringify(props));
            }
        });

        it("reports ignoreSigningJobFailure true, as a boolean, string or secret, with the fix", async () => {
            for (const value of [true, "true", secret(true)]) {
                assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: value }), [`SigningJob "j" sets ignoreSigningJobFailure to true. ${FIX}`], JSON.stringify(value));
            }
        });

        it("says whether an unverifiable ignoreSigningJobFailure is unknown or not a boolean", async () => {
            const cannot = (what: string) => `SigningJob "j": ignoreSigningJobFailure is ${what}, so it can't be verified that signing failures stop the deployment. ${FIX}`;
            assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: UNKNOWN_BOOL }), [cannot("unknown during preview")]);
            assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: UNKNOWN }), [cannot("unknown during preview")]);
            for (const value of [1, 0, "yes", "", "TRUE", { value: true }, [true]]) {
                assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: value }), [cannot("not a boolean")], JSON.stringify(value));
            }
        });

        it("checks only signing jobs", async () => {
            for (const type of [T.profile, T.nativeProfile, T.object, T.fn]) {
                assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: true }, undefined, type), [], type);
            }
        });

        it("reports every config property (it has none besides enforcementLevel) and still checks the job", async () => {
            const unknownProperty = (p: string) =>
                `Invalid configuration of policy "${P}": ${p} is not a property of this policy. Remove it: this policy has no properties besides enforcementLevel. ` +
                `Until the configuration is fixed, "${P}" applies its most restrictive setting for ${p}.`;
            assert.deepStrictEqual(await messages({ ignoreSigningJobFailure: true }, { allowIgnore: true, ignoreSigningJobFailure: true }), [
                unknownProperty("allowIgnore"),
                unknownProperty("ignoreSigningJobFailure"),
                `SigningJob "j" sets ignoreSigningJobFailure to true. ${FIX}`,
            ]);
            assert.deepStrictEqual(await messages({}, { enforcementLevel: "mandatory" }), []);
        });
    });
});
