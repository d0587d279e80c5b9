import Module = require("module");

/**
 * Runs `body` with a fresh copy of the module at `modulePath` (its own module-level and lazily loaded state) while the
 * modules named in `substitutes` are replaced by the given exports and the ids in `unloadable` fail to load; the
 * module cache and the loader are restored afterwards. `modulePath` is resolved from this directory.
 */
export function withFreshModule<M>(modulePath: string, substitutes: Record<string, object>, body: (fresh: M) => void, unloadable: string[] = []): void {
    const resolved = require.resolve(modulePath);
    const paths = [resolved, ...Object.keys(substitutes).map(id => require.resolve(id))];
    const saved = paths.map(p => require.cache[p]);
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = loader._load;
    try {
        for (const [id, exports] of Object.entries(substitutes)) {
            const p = require.resolve(id);
            const m = new Module(p, module);
            m.filename = p;
            m.loaded = true;
            m.exports = exports;
            require.cache[p] = m;
        }
        loader._load = function (request: string, ...rest: unknown[]) {
            if (unloadable.includes(request)) {
                throw new Error(`Cannot find module '${request}'`);
            }
            return load.call(this, request, ...rest);
        };
        delete require.cache[resolved];
        body(require(resolved) as M);
    } finally {
        loader._load = load;
        paths.forEach((p, i) => {
            if (saved[i] === undefined) {
                delete require.cache[p];
            } else {
                require.cache[p] = saved[i];
            }
        });
    }
}
