import * as fs from "fs";
import * as path from "path";

/**
 * Loads a module the way @pulumi/pulumi itself resolves it. gRPC credentials and protobuf messages must come from the
 * very copies the SDK's generated stubs use (`instanceof` checks), and neither is a dependency of this package.
 */
export function requireFromSdk(id: string): any {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(require.resolve(id, { paths: [sdkDir] }));
}

/** The directory holding this package's package.json: the repository root, or node_modules/lambda-code-signing. */
export function packageRoot(from: string = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no package.json above ${from}`);
        }
    }
}
