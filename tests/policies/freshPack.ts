import Module = require("module");

export type Deserialize = ((struct: unknown, proxySecrets: boolean) => Record<string, unknown>) & { __lambdaCodeSigningDeserializer?: true };

const FRESH = ["../../policies/index", "../../policies/library", "../../policies/lib/sharedDeserialization"].map(p => require.resolve(p));
const DESERIALIZE = require.resolve("@pulumi/policy/deserialize");

/**
 * Runs `body` while the pack's entry point, factory and sharedDeserialization load anew when required (module-level
 * state such as the memo flag and the policy tables is built again, under whatever code is current) and
 * @pulumi/policy/deserialize is a stand-in whose export is the SDK's own function from a fresh load: the loaded module
 * may already carry the pack's memoising replacement (any spec that built the policies earlier installed it).
 * The module cache is restored afterwards.
 */
export function withFreshPack<T>(body: (sdk: { deserializeProperties: Deserialize }) => T): T {
    const files = [...FRESH, DESERIALIZE];
    const saved = files.map(f => require.cache[f]);
    try {
        delete require.cache[DESERIALIZE];
        const sdk = { deserializeProperties: require(DESERIALIZE).deserializeProperties as Deserialize };
        const m = new Module(DESERIALIZE, module);
        m.loaded = true;
        m.exports = sdk;
        require.cache[DESERIALIZE] = m;
        FRESH.forEach(f => delete require.cache[f]);
        return body(sdk);
    } finally {
        files.forEach((f, i) => {
            if (saved[i] === undefined) {
                delete require.cache[f];
            } else {
                require.cache[f] = saved[i];
            }
        });
    }
}
