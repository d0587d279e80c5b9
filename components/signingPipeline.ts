import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as local from "@pulumi/command/local";
import * as pulumi from "@pulumi/pulumi";
import { hashArchive, hashBuildInputs, hashDirectory, outputDirectories } from "./contentHash";
import { fail, isPlain, patterns, producedByResource, requireNonEmptyString, requiredStringInput } from "./validation";

/** A build step run with `@pulumi/command` whose archived output is the code to sign. */
export interface CodeBuild {
    /** Shell command that builds the code, run by `/bin/sh -c` inside `directory`, e.g. `npm ci && npm run build`. */
    command: string;
    /**
     * Directory the command runs in, relative to the Pulumi program's working directory. Its source files
     * (excluding `node_modules`, `.git` and the output folders named by `archivePaths`) are hashed: the build re-runs
     * and the code is re-signed only when that hash, the command or the paths change.
     */
    directory: string;
    /**
     * Globs, relative to `directory`, of the files that form the deployment package, e.g. `["dist/**"]`. `!` excludes,
     * `**` crosses folders. At least one is required.
     */
    archivePaths: string[];
    /** Extra environment variables for the build command. */
    environment?: Record<string, string>;
}

/** Inputs shared by SignedFunction and SignedLayer: where the code comes from and how it is signed. */
export interface SignedCodeArgs {
    /**
     * The code to sign, e.g. `new pulumi.asset.FileArchive("./app")` (a directory or a .zip) or an AssetArchive.
     * Exactly one of `code` and `build` is required.
     */
    code?: pulumi.Input<pulumi.asset.Archive>;
    /** Build the code with a local command and sign its archived output. Exactly one of `code` and `build` is required. */
    build?: CodeBuild;
    /** Name of the AWS Signer signing profile (CodeSigningGuard output `signingProfileName`). */
    signingProfileName: pulumi.Input<string>;
    /**
     * Versioned S3 bucket for the unsigned upload (`unsigned/`) and the signed object (`signed/`)
     * (CodeSigningGuard output `artifactBucketName`).
     */
    artifactBucket: pulumi.Input<string>;
    /**
     * IAM role holding the guard's signer policy. When set, the upload and the signing job run as this role (through
     * an AWS provider that assumes it from the ambient credentials), so the deploying identity itself never signs.
     * Defaults to the component's own AWS provider.
     */
    signingRoleArn?: pulumi.Input<string>;
}

/** The signed code, where Lambda reads it from. */
export interface SignedArtifact {
    job: aws.signer.SigningJob;
    bucket: pulumi.Output<string>;
    key: pulumi.Output<string>;
}

function validateBuild(parent: pulumi.Resource, build: CodeBuild): void {
    requireNonEmptyString(parent, "build.command", build.command,
        "Pass the shell command that produces the package, e.g. \"npm ci && npm run build\"");
    requireNonEmptyString(parent, "build.directory", build.directory,
        "Pass the folder the build runs in, relative to the Pulumi program");
    if (!fs.existsSync(build.directory) || !fs.statSync(build.directory).isDirectory()) {
        fail(parent, "build.directory", `${JSON.stringify(build.directory)} does not exist or is not a directory`,
            `Pass an existing folder relative to ${process.cwd()}`);
    }
    if (!Array.isArray(build.archivePaths) || build.archivePaths.length === 0 ||
        build.archivePaths.some(p => typeof p !== "string" || p.trim() === "")) {
        fail(parent, "build.archivePaths", "must list at least one non-empty glob",
            "Name the build outputs to package, e.g. [\"dist/**\"]");
    }
    for (const [key, value] of Object.entries(build.environment ?? {})) {
        if (!patterns.environmentKey.test(key) || typeof value !== "string") {
            fail(parent, "build.environment", `entry ${JSON.stringify(key)} is not a NAME=string pair`,
                "Use names matching ^[a-zA-Z][a-zA-Z0-9_]*$ and string values");
        }
    }
}

function requireArchive(parent: pulumi.Resource, value: unknown): pulumi.asset.Archive {
    if (!pulumi.asset.Archive.isInstance(value)) {
        fail(parent, "code", "is not a Pulumi Archive",
            "Pass new pulumi.asset.FileArchive(\"./dir-or.zip\") or an AssetArchive (wrap single files in one)");
    }
    return value;
}

/** Synchronous checks of the signing inputs; call at the top of the constructor, before any child exists. */
export function validateSignedCodeArgs(parent: pulumi.Resource, args: SignedCodeArgs): SignedCodeArgs {
    if (args.code !== undefined && args.build !== undefined) {
        fail(parent, "code", "and build are both set", "Pass either a ready archive as code or a build, not both");
    }
    if (args.code === undefined && args.build === undefined) {
        fail(parent, "code", "and build are both missing",
            "Pass code (e.g. new pulumi.asset.FileArchive(\"./app\")) or build ({ command, directory, archivePaths })");
    }
    if (args.code !== undefined && isPlain(args.code)) {
        requireArchive(parent, args.code);
    }
    if (args.build !== undefined) {
        validateBuild(parent, args.build);
    }
    const signingProfileName = requiredStringInput(parent, "signingProfileName", args.signingProfileName,
        "Pass the CodeSigningGuard output signingProfileName (letters, digits and _ only, 2-64 characters)",
        patterns.signingProfileName);
    const artifactBucket = requiredStringInput(parent, "artifactBucket", args.artifactBucket,
        "Pass the CodeSigningGuard output artifactBucketName (a versioned S3 bucket)");
    const signingRoleArn = args.signingRoleArn === undefined ? undefined : requiredStringInput(parent, "signingRoleArn",
        args.signingRoleArn, "Pass the ARN of the role holding the guard's signer policy, or omit it", patterns.roleArn);
    return { ...args, signingProfileName, artifactBucket, signingRoleArn };
}

/** Runs the build (if any) and returns the archive to upload plus a deterministic content hash. */
function codeSource(name: string, parent: pulumi.Resource, args: SignedCodeArgs) {
    if (args.build !== undefined) {
        const build = args.build;
        const sourceHash = hashDirectory(build.directory, true, outputDirectories(build.archivePaths));
        const command = new local.Command(`${name}-build`, {
            create: build.command,
            // Absolute, because the command provider's working directory need not be the program's.
            dir: path.resolve(build.directory),
            archivePaths: build.archivePaths,
            environment: build.environment,
            triggers: [sourceHash],
        }, { parent });
        // After running the command the provider always returns an archive, empty when the globs matched nothing.
        // No archive at all means the command did not run here (unit-test mocks): nothing to judge.
        const archive = command.archive.apply(async a => {
            const assets = await (a as { assets?: Promise<Record<string, unknown>> } | undefined)?.assets;
            if (assets !== undefined && Object.keys(assets).length === 0) {
                fail(parent, "build.archivePaths", "matched no files after the build ran",
                    "Check that the command writes the files the globs name");
            }
            return a;
        });
        const hash = hashBuildInputs(build.command, build.directory, build.archivePaths, build.environment, sourceHash);
        return { archive, hash: pulumi.output(hash) };
    }
    const code = pulumi.output(args.code!);
    // An archive another resource produces is unresolved under unit-test mocks: not the user's mistake.
    const unresolved = (c: unknown) => c === undefined && producedByResource(args.code);
    return { archive: code, hash: code.apply(c => unresolved(c) ? "unresolved-archive" : hashArchive(requireArchive(parent, c))) };
}

/** Provider that signs as `roleArn`, in the same Region as the component's own provider. */
function signingProvider(name: string, parent: pulumi.Resource, roleArn: pulumi.Input<string> | undefined) {
    if (roleArn === undefined) {
        return undefined;
    }
    return new aws.Provider(`${name}-signing-provider`, {
        region: aws.getRegionOutput({}, { parent }).region,
        assumeRoles: [{ roleArn, sessionName: "lambda-code-signing" }],
    }, { parent });
}

/** Upload → signing job. The same code always yields the same key, object version and job inputs. */
export function createSignedArtifact(name: string, parent: pulumi.Resource, args: SignedCodeArgs): SignedArtifact {
    const { archive, hash } = codeSource(name, parent, args);
    const signingOpts = { parent, provider: signingProvider(name, parent, args.signingRoleArn) };
    const unsigned = new aws.s3.BucketObjectv2(`${name}-unsigned`, {
        bucket: args.artifactBucket,
        key: pulumi.interpolate`unsigned/${name}/${hash}.zip`,
        source: archive,
    }, signingOpts);
    const job = new aws.signer.SigningJob(`${name}-signing`, {
        profileName: args.signingProfileName,
        source: { s3: { bucket: unsigned.bucket, key: unsigned.key, version: unsigned.versionId } },
        destination: { s3: { bucket: args.artifactBucket, prefix: `signed/${name}/` } },
        // Never swallow a failed signing job (the provider docs' examples set this to true).
        ignoreSigningJobFailure: false,
    }, signingOpts);
    const signedObject = job.signedObjects.apply(objects => {
        if (objects === undefined) {
            // Only unit-test mocks report a succeeded job without signedObjects: pass the gap on.
            return { bucket: undefined as unknown as string, key: undefined as unknown as string };
        }
        const s3 = objects[0]?.s3s?.[0];
        if (!s3?.bucket || !s3.key) {
            throw new pulumi.ResourceError("signing job reported no signed object; check the job in the AWS Signer console", parent);
        }
        return { bucket: s3.bucket, key: s3.key };
    });
    return { job, bucket: signedObject.bucket, key: signedObject.key };
}
