import * as assert from "assert";
import { signerJobNoIgnoreFailure } from "../../../policies/rules/signer-job-no-ignore-failure";
import { T, UNKNOWN_BOOL, UNKNOWN, analyzeResource, assertNoCantRun, expectViolations, secret, withPack } from "../helpers";
import { Wrapper, signedObject, signingSetup } from "../programs";

const P = "signer-job-no-ignore-failure";

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
        it("fails closed on unknown or malformed values", async () => {
            for (const [value, expected] of [[UNKNOWN_BOOL, 1], [UNKNOWN, 1], [secret(true), 1], ["true", 1], [1, 1], [null, 0], ["false", 0]] as const) {
                const d = await analyzeResource([signerJobNoIgnoreFailure], T.job, "j", { ignoreSigningJobFailure: value });
                assertNoCantRun(d);
                assert.strictEqual(d.length, expected, JSON.stringify(value));
            }
        });
    });
});
