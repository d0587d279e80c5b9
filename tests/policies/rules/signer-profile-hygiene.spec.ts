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

        it("applies its own defaults when the config is malformed", async () => {
            assert.strictEqual((await run({ platformId: "AWSLambda-SHA384-ECDSA" }, { allowedPlatformIds: "nope", maxSignatureValidityMonths: "x" })).length, 0);
        });
    });
});
