import * as assert from "assert";
import { signerProfileHygiene } from "../../../policies/rules/signer-profile-hygiene";
import { T, UNKNOWN, UNKNOWN_NUMBER, analyzeResource, assertNoCantRun, expectViolations, secret, withConfig, withPack } from "../helpers";
import { Wrapper, compliantProgram, signingProfile } from "../programs";

const P = "signer-profile-hygiene";

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

        it("fails closed on unknown platform and validity, asking for literals", async () => {
            const d = await run({ platformId: UNKNOWN, signatureValidityPeriod: { type: "MONTHS", value: UNKNOWN_NUMBER } });
            assert.strictEqual(d.length, 2);
            assert.ok(d.every(x => /as a literal/.test(x.message)));
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: UNKNOWN })).length, 1);
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: UNKNOWN, value: 1 } })).length, 1);
            assert.strictEqual((await run({})).length, 1); // platformId missing
        });

        it("converts DAYS and YEARS; secrets are read as plain values; aws-native profiles are covered", async () => {
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "DAYS", value: 4100 } })).length, 0);
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "DAYS", value: 4200 } })).length, 1);
            assert.strictEqual((await run({ platformId: secret("AWSLambda-SHA384-ECDSA"), signatureValidityPeriod: secret({ type: "YEARS", value: 11 }) })).length, 0);
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "YEARS", value: 12 } }, undefined, T.nativeProfile)).length, 1);
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "WEEKS", value: 1 } })).length, 1);
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
    });
});
