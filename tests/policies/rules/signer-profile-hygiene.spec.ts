import * as assert from "assert";
import { signerProfileHygiene } from "../../../policies/rules/signer-profile-hygiene";
import { T, UNKNOWN, UNKNOWN_NUMBER, analyzeResource, assertNoCantRun, expectViolations, secret, withConfig, withPack } from "../helpers";
import { Wrapper, compliantProgram, signingProfile } from "../programs";

const P = "signer-profile-hygiene";
const LAMBDA = "AWSLambda-SHA384-ECDSA";
const LITERAL_VALIDITY = `Set it as a literal { type: "DAYS" | "MONTHS" | "YEARS", value: <positive number> } of at most`;

/** The rule's own messages (the pack prefixes each with the policy description and a newline). */
async function messages(props: Record<string, unknown>, config?: object, type = T.profile, name = "sp"): Promise<string[]> {
    const d = await analyzeResource([withConfig(signerProfileHygiene, config)], type, name, props);
    assertNoCantRun(d);
    for (const x of d) {
        assert.deepStrictEqual([x.policy, x.level, x.message.split("\n")[0]], [P, "mandatory", signerProfileHygiene.description]);
    }
    return d.map(x => x.message.slice(signerProfileHygiene.description!.length + 1));
}

/** The fail-closed message for a signatureValidityPeriod shown as `what`, with the given maximum. */
function unverifiable(what: string, maxMonths = 135): string {
    return `SigningProfile "sp": signatureValidityPeriod is ${what}, so the signature validity can't be verified. ${LITERAL_VALIDITY} ${maxMonths} months.`;
}

describe("policies/rules/signer-profile-hygiene", () => {
    describe("real programs, preview and update", () => {
        const pack = withPack();

        it("reports a validity of 200 months and a non-Lambda platform", async () => {
            const { preview, urn } = await pack.both(() => {
                signingProfile("long-profile", { signatureValidityPeriod: { type: "MONTHS", value: 200 } });
                new Wrapper("w", o => signingProfile("image-profile", { platformId: "Notation-OCI-SHA384-ECDSA" }, o));
            });
            expectViolations(preview, [
                { policy: P, urn: urn("long-profile"), message: [/SigningProfile "long-profile"/, /200 MONTHS/, /maxSignatureValidityMonths \(135\)/] },
                { policy: P, urn: urn("image-profile"), message: [/platformId "Notation-OCI-SHA384-ECDSA"/, /allowedPlatformIds/] },
            ]);
        });

        it("honours allowedPlatformIds and maxSignatureValidityMonths", async () => {
            const program = () => {
                signingProfile("two-years", { signatureValidityPeriod: { type: "YEARS", value: 2 } });
                signingProfile("image-profile", { platformId: "Notation-OCI-SHA384-ECDSA", signatureValidityPeriod: { type: "DAYS", value: 365 } });
                signingProfile("default-validity");
            };
            const strict = await pack.both(program, { [P]: { maxSignatureValidityMonths: 12, allowedPlatformIds: ["AWSLambda-SHA384-ECDSA", "Notation-OCI-SHA384-ECDSA"] } });
            expectViolations(strict.preview, [
                { policy: P, urn: strict.urn("two-years"), message: /24 months/ },
                { policy: P, urn: strict.urn("default-validity"), message: /default of 135 months/ },
            ]);
            const defaults = await pack.both(() => compliantProgram());
            expectViolations(defaults.update, []);
        });
    });

    describe("in process", () => {
        const run = async (props: Record<string, unknown>, config?: object, type = T.profile) => {
            const d = await analyzeResource([withConfig(signerProfileHygiene, config)], type, "sp", props);
            assertNoCantRun(d);
            return d;
        };

        it("converts DAYS and YEARS; secrets are read as plain values; aws-native profiles are covered", async () => {
            const over = (given: string, months: string) =>
                `SigningProfile "sp" signs with a validity of ${given} (${months} months), more than maxSignatureValidityMonths (135). ` +
                `Set signatureValidityPeriod to { type: "MONTHS", value: 135 } or less.`;
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "DAYS", value: 4100 } }), []);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "DAYS", value: 4200 } }), [over("4200 DAYS", "138")]);
            assert.deepStrictEqual(await messages({ platformId: secret(LAMBDA), signatureValidityPeriod: secret({ type: "YEARS", value: 11 }) }), []);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "YEARS", value: 12 } }, undefined, T.nativeProfile), [over("12 YEARS", "144")]);
        });

        it("reports a malformed config and fails closed (strictest settings) instead of falling back to the defaults", async () => {
            const d = await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 12 } }, { allowedPlatformIds: "nope", maxSignatureValidityMonths: "12" });
            assert.deepStrictEqual(d.map(x => x.message.split("\n")[1]), [
                `Invalid configuration of policy "signer-profile-hygiene": allowedPlatformIds is the string "nope", not a list of strings. List Signer platform IDs, e.g. ["AWSLambda-SHA384-ECDSA"]. Until the configuration is fixed, "signer-profile-hygiene" applies its most restrictive setting for allowedPlatformIds.`,
                `Invalid configuration of policy "signer-profile-hygiene": maxSignatureValidityMonths is the string "12". Set it to an integer from 1 to 135 (a number, not a string). Until the configuration is fixed, "signer-profile-hygiene" applies its most restrictive setting for maxSignatureValidityMonths.`,
                `SigningProfile "sp" uses platformId "AWSLambda-SHA384-ECDSA", which is not in allowedPlatformIds (empty). Use "AWSLambda-SHA384-ECDSA" for Lambda code, or add the platform to the signer-profile-hygiene policy's allowedPlatformIds config.`,
                `SigningProfile "sp" signs with a validity of 12 MONTHS (12 months), more than maxSignatureValidityMonths (1). Set signatureValidityPeriod to { type: "MONTHS", value: 1 } or less.`,
            ]);
            for (const bad of [Number.NaN, 1e9, 0, 12.5]) {
                const x = await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 12 } }, { maxSignatureValidityMonths: bad });
                assert.strictEqual(x.length, 2, `maxSignatureValidityMonths ${bad}`);
                assert.match(x[0].message, /maxSignatureValidityMonths is (NaN|1000000000|0|12\.5)\. Set it to an integer from 1 to 135/);
            }
            const unknownKey = await run({ platformId: "AWSLambda-SHA384-ECDSA" }, { maxSignatureValidityMonth: 12 });
            assert.match(unknownKey[0].message, /maxSignatureValidityMonth is not a property of this policy\. Remove it, or use one of: allowedPlatformIds, maxSignatureValidityMonths\./);
        });

        it("names the allowed platforms, quoted and comma-separated, when platformId is not among them", async () => {
            assert.deepStrictEqual(
                await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "MONTHS", value: 12 } }, { allowedPlatformIds: ["AWSLambda-SHA256-ECDSA", "Notation-OCI-SHA384-ECDSA"] }),
                [
                    `SigningProfile "sp" uses platformId "AWSLambda-SHA384-ECDSA", which is not in allowedPlatformIds ("AWSLambda-SHA256-ECDSA", "Notation-OCI-SHA384-ECDSA"). ` +
                        `Use "AWSLambda-SHA384-ECDSA" for Lambda code, or add the platform to the signer-profile-hygiene policy's allowedPlatformIds config.`,
                ],
            );
        });

        it("says whether platformId is unknown, missing or not a string", async () => {
            const fix = `so the signing platform can't be verified. Set platformId as a literal (e.g. "AWSLambda-SHA384-ECDSA").`;
            const validity = { signatureValidityPeriod: { type: "MONTHS", value: 12 } };
            assert.deepStrictEqual(await messages({ platformId: UNKNOWN, ...validity }), [`SigningProfile "sp": platformId is unknown during preview, ${fix}`]);
            assert.deepStrictEqual(await messages({ ...validity }), [`SigningProfile "sp": platformId is not set, ${fix}`]);
            assert.deepStrictEqual(await messages({ platformId: 7, ...validity }), [`SigningProfile "sp": platformId is not a string, ${fix}`]);
        });

        it("treats an unset or null signatureValidityPeriod as the AWS default of 135 months", async () => {
            assert.deepStrictEqual(await messages({ platformId: LAMBDA }), []);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: null }), []);
            const tooLong =
                `SigningProfile "sp" does not set signatureValidityPeriod, so AWS signs with its default of 135 months, more than ` +
                `maxSignatureValidityMonths (24). Set signatureValidityPeriod to { type: "MONTHS", value: 24 } or less.`;
            assert.deepStrictEqual(await messages({ platformId: LAMBDA }, { maxSignatureValidityMonths: 24 }), [tooLong]);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: null }, { maxSignatureValidityMonths: 24 }), [tooLong]);
        });

        it("shows an unverifiable signatureValidityPeriod as it was given", async () => {
            const cases: Array<[unknown, string]> = [
                [UNKNOWN, "unknown during preview"],
                ["12 months", `"12 months"`],
                [12, "12"],
                [{ type: UNKNOWN, value: 1 }, "{ type: <unknown during preview>, value: 1 }"],
                [{ type: "MONTHS", value: UNKNOWN_NUMBER }, "{ type: \"MONTHS\", value: <unknown during preview> }"],
                [{ type: "WEEKS", value: 1 }, `{ type: "WEEKS", value: 1 }`],
                [{ type: "MONTHS", value: "12" }, `{ type: "MONTHS", value: "12" }`],
                [{ type: "MONTHS" }, `{ type: "MONTHS", value: undefined }`],
            ];
            for (const [svp, what] of cases) {
                assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: svp }), [unverifiable(what)], JSON.stringify(svp));
            }
        });

        it("fails closed on a zero or negative validity, whatever its unit", async () => {
            for (const type of ["DAYS", "MONTHS", "YEARS"]) {
                for (const value of [0, -1]) {
                    assert.deepStrictEqual(
                        await messages({ platformId: LAMBDA, signatureValidityPeriod: { type, value } }, { maxSignatureValidityMonths: 12 }),
                        [unverifiable(`{ type: "${type}", value: ${value} }`, 12)],
                    );
                }
            }
        });

        it("allows exactly the maximum (tolerating 1e-9 months of unit-conversion rounding) and reports anything above", async () => {
            const config = { maxSignatureValidityMonths: 12 };
            for (const svp of [{ type: "MONTHS", value: 12 }, { type: "YEARS", value: 1 }, { type: "DAYS", value: 365.25 }, { type: "MONTHS", value: 12 + 1e-9 }]) {
                assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: svp }, config), [], JSON.stringify(svp));
            }
            const over = (given: string, months: string) =>
                `SigningProfile "sp" signs with a validity of ${given} (${months} months), more than maxSignatureValidityMonths (12). ` +
                `Set signatureValidityPeriod to { type: "MONTHS", value: 12 } or less.`;
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "MONTHS", value: 12 + 2e-9 } }, config), [over(`${12 + 2e-9} MONTHS`, "12")]);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "MONTHS", value: 13 } }, config), [over("13 MONTHS", "13")]);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "DAYS", value: 400 } }, config), [over("400 DAYS", "13.1")]);
            assert.deepStrictEqual(await messages({ platformId: LAMBDA, signatureValidityPeriod: { type: "YEARS", value: 2 } }, config), [over("2 YEARS", "24")]);
        });

        it("checks only signing profiles", async () => {
            const bad = { platformId: 7, signatureValidityPeriod: { type: "MONTHS", value: 999 } };
            for (const type of [T.job, T.fn, T.csc, "aws:signer/signingProfilePermission:SigningProfilePermission"]) {
                assert.deepStrictEqual(await messages(bad, undefined, type), [], type);
            }
            assert.strictEqual((await messages(bad, undefined, T.nativeProfile)).length, 2);
        });
    });
});
