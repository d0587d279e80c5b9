/**
 * policies/library.ts: what the factory installs into the @pulumi/policy it resolves. singlePassAvailable() is true
 * only for one resolvable 1.21.x copy (checked against stand-in @pulumi/policy directories), and the factory's
 * deserializer never memoises (checked on a fresh module copy, since the memo stays on once any pack asked for it).
 */
import * as assert from "assert";
import * as path from "path";
import Module = require("module");
import { singlePassAvailable } from "../../policies/library";
import { withFreshPack } from "./freshPack";
import { UNKNOWN, secret } from "./helpers";
import { POLICY_DIR, StandIns, withStandIns } from "./lib/serverStandIns";

type Library = typeof import("../../policies/library");

// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

const SERVER_JS = `${path.sep}@pulumi${path.sep}policy${path.sep}server.js`;
const OTHER_COPY = "/other/node_modules/@pulumi/policy/server.js";

/** singlePassAvailable() with the stand-in @pulumi/policy, and only `loaded` loaded copies of its server module. */
function availableWith(standIns: StandIns, loaded: string[] = []): boolean {
    const real = Object.keys(require.cache).filter(f => f.endsWith(SERVER_JS));
    const saved = real.map(f => require.cache[f]);
    try {
        real.forEach(f => delete require.cache[f]);
        loaded.forEach(f => {
            require.cache[f] = new Module(f, module);
        });
        return withStandIns(standIns, () => singlePassAvailable());
    } finally {
        loaded.forEach(f => delete require.cache[f]);
        real.forEach((f, i) => {
            require.cache[f] = saved[i];
        });
    }
}

describe("policies/library: singlePassAvailable", () => {
    const v = (version: string) => ({ version });

    it("is true for a 1.21.x copy that the pack's directory resolves too", () => {
        assert.strictEqual(availableWith({ version: v("1.21.0") }), true);
        assert.strictEqual(availableWith({ version: v("1.21.7") }, [`${POLICY_DIR}/server.js`]), true);
    });

    it("is false for any other version", () => {
        for (const version of ["1.22.0", "1.2.1", "11.21.0", "0.1.21.0"]) {
            assert.strictEqual(availableWith({ version: v(version) }), false, version);
        }
    });

    it("is false when @pulumi/policy or its version can't be loaded", () => {
        assert.strictEqual(availableWith({}), false, "no version module");
        assert.strictEqual(availableWith({ version: v("1.21.0"), serverFrom: () => undefined }), false, "no @pulumi/policy");
    });

    it("is false when another copy is loaded or is what the pack's directory resolves", () => {
        assert.strictEqual(availableWith({ version: v("1.21.0") }, [OTHER_COPY]), false, "another copy loaded");
        const fromCwd = (paths: string[] | undefined) =>
            (paths?.length === 1 && paths[0] === process.cwd() ? OTHER_COPY : `${POLICY_DIR}/server.js`);
        assert.strictEqual(availableWith({ version: v("1.21.0"), serverFrom: fromCwd }), false, "another copy in the pack's directory");
        const notFromCwd = (paths: string[] | undefined) => (paths ? undefined : `${POLICY_DIR}/server.js`);
        assert.strictEqual(availableWith({ version: v("1.21.0"), serverFrom: notFromCwd }), true, "only the loaded copies count");
    });
});

/** Runs `body` with a fresh copy of the factory (see withFreshPack). */
function withFreshLibrary<T>(body: (library: Library, sdk: { deserializeProperties: any }) => T): T {
    return withFreshPack(sdk => body(require("../../policies/library") as Library, sdk));
}

describe("policies/library: the deserializer the factory installs", () => {
    it("does not memoise deserialized properties, even when the server hands the same request to every policy", () => {
        withFreshLibrary((library, sdk) => {
            library.lambdaCodeSigningPolicies({}, { singlePass: false });
            const installed = sdk.deserializeProperties;
            assert.strictEqual(installed.__lambdaCodeSigningDeserializer, true);
            const struct = structproto.Struct.fromJavaScript({ a: secret("x"), b: [1, UNKNOWN] });
            const first = installed(struct, false);
            assert.deepStrictEqual(first, { a: "x", b: [1, UNKNOWN] });
            assert.notStrictEqual(installed(struct, false), first);
        });
    });
});

describe("policies/library: a fresh load of the factory (its tables are built once per process)", () => {
    it("accepts each enforcement level and names them all when a level is malformed", () => {
        withFreshLibrary(library => {
            for (const level of ["advisory", "mandatory", "remediate", "disabled"]) {
                assert.doesNotThrow(() => library.lambdaCodeSigningPolicies({ all: level as "advisory" }, { singlePass: false }), level);
            }
            assert.throws(() => library.lambdaCodeSigningPolicies({ all: "strict" as "advisory" }, { singlePass: false }),
                { message: `lambdaCodeSigningPolicies: all is "strict", not an enforcement level. Use one of advisory, mandatory, remediate, disabled` });
        });
    });

    it("coordinates exactly the three graph policies into one AnalyzeStack pass when single pass is available", () => {
        withFreshLibrary(library => {
            assert.strictEqual(library.singlePassAvailable(), true, "this checkout has one @pulumi/policy 1.21.x");
            const coordinated = library.lambdaCodeSigningPolicies().filter(p => typeof Object.getOwnPropertyDescriptor(p, "validateStack")?.get === "function");
            assert.deepStrictEqual(coordinated.map(p => p.name).sort(), ["lambda-enforce-code-signing", "lambda-signed-code", "lambda-signed-layers"]);
        });
    });
});
