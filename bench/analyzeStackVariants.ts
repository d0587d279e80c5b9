/**
 * AnalyzeStack cost of the pack vs a pack with ONE EMPTY stack policy, in process through @pulumi/policy's real
 * `makeAnalyzeStackRpcFun` (the function the pack's gRPC server runs).
 *
 *   node -r ts-node/register/transpile-only bench/analyzeStackVariants.ts [resources=24000]
 *
 * Each variant runs in its own child process (the memo and the Configure capture are process-wide). Every iteration
 * decodes a fresh request from bytes, as gRPC does, and only the handler is timed. Prints medians and ratios.
 *   empty               one empty stack policy (the floor)
 *   pack                the pack as policies/index.ts runs it (one pass for the graph policies + memo), after a
 *                       Configure like the engine sends
 *   pack-uncoordinated  the fallback if the Configure capture can't install: three stack passes sharing the
 *                       deserialization and the graph
 *   pack-no-memo        stock @pulumi/policy behaviour: three passes, three deserializations, three graphs
 */
import { execFileSync } from "child_process";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK = "urn:pulumi:dev::bench::pulumi:pulumi:Stack::bench-dev";

function urn(type: string, name: string, parentType?: string) {
    return `urn:pulumi:dev::bench::pulumi:pulumi:Stack${parentType ? "$" + parentType : ""}$${type}::${name}`;
}

/** A preview-mode stack: guards (profile, bucket, CSC) each serving 100 signed functions with a signed layer. */
export function buildRequestBytes(total: number, preview = true): Uint8Array {
    const res: any[] = [];
    const k = (v: string) => (preview ? U : v);
    const add = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}, parent = STACK, parentType?: string) => {
        const m = new analyzerproto.AnalyzerResource();
        const u = type === "pulumi:pulumi:Stack" ? STACK : urn(type, name, parentType);
        m.setType(type);
        m.setName(name);
        m.setUrn(u);
        m.setProperties(structproto.Struct.fromJavaScript(props));
        const opts = new analyzerproto.AnalyzerResourceOptions();
        if (type !== "pulumi:pulumi:Stack") {
            m.setParent(parent);
            opts.setParent(parent);
        }
        m.setOptions(opts);
        const pd = m.getPropertydependenciesMap();
        const all = new Set<string>();
        for (const [key, urns] of Object.entries(deps)) {
            const d = new analyzerproto.AnalyzerPropertyDependencies();
            d.setUrnsList(urns);
            urns.forEach(x => all.add(x));
            pd.set(key, d);
        }
        m.setDependenciesList([...all]);
        res.push(m);
        return u;
    };
    add("pulumi:pulumi:Stack", "bench-dev", {});
    const tags = { team: "orders", env: "dev", owner: "platform", costCenter: "1234" };
    let g = 0;
    while (res.length < total) {
        const gp = `g${g++}`;
        const profile = add("aws:signer/signingProfile:SigningProfile", `${gp}-profile`, { name: `${gp}_profile`, platformId: "AWSLambda-SHA384-ECDSA", signatureValidityPeriod: { type: "MONTHS", value: 24 }, arn: k("arn"), versionArn: k("varn"), tags });
        const bucket = add("aws:s3/bucketV2:BucketV2", `${gp}-bucket`, { bucket: k("b"), arn: k("a"), tags });
        const csc = add("aws:lambda/codeSigningConfig:CodeSigningConfig", `${gp}-csc`, { allowedPublishers: { signingProfileVersionArns: [k("varn")] }, policies: { untrustedArtifactOnDeployment: "Enforce" }, arn: k("carn"), tags }, { allowedPublishers: [profile] });
        const lobj = add("aws:s3/bucketObjectv2:BucketObjectv2", `${gp}-layer-unsigned`, { bucket: k("b"), key: `unsigned/${gp}/layer.zip`, versionId: k("v"), source: { "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7", path: "./layer" } }, { bucket: [bucket] });
        const ljob = add("aws:signer/signingJob:SigningJob", `${gp}-layer-signing`, { profileName: `${gp}_profile`, ignoreSigningJobFailure: false, source: { s3: { bucket: k("b"), key: k("k"), version: k("v") } }, destination: { s3: { bucket: k("b"), prefix: "signed/" } }, signedObjects: k("so") }, { profileName: [profile], source: [lobj] });
        const layer = add("aws:lambda/layerVersion:LayerVersion", `${gp}-layer`, { layerName: `${gp}-layer`, s3Bucket: k("b"), s3Key: k("k"), compatibleRuntimes: ["nodejs20.x"], arn: k("larn") }, { s3Bucket: [ljob], s3Key: [ljob] });
        for (let i = 0; i < 100 && res.length < total; i++) {
            const n = `${gp}-fn${i}`;
            const comp = add("lambda-code-signing:index:SignedFunction", n, {});
            const ct = "lambda-code-signing:index:SignedFunction";
            const role = add("aws:iam/role:Role", `${n}-role`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }), arn: k("r"), tags }, {}, comp, ct);
            add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${n}-logs`, { role: k("r"), policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }, { role: [role] }, comp, ct);
            const obj = add("aws:s3/bucketObjectv2:BucketObjectv2", `${n}-unsigned`, { bucket: k("b"), key: `unsigned/${n}.zip`, versionId: k("v"), source: { "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7", path: `./fn/${i}` }, tags }, { bucket: [bucket] }, comp, ct);
            const job = add("aws:signer/signingJob:SigningJob", `${n}-signing`, { profileName: `${gp}_profile`, ignoreSigningJobFailure: false, source: { s3: { bucket: k("b"), key: k("k"), version: k("v") } }, destination: { s3: { bucket: k("b"), prefix: `signed/${n}/` } }, signedObjects: k("so") }, { profileName: [profile], source: [obj] }, comp, ct);
            add("aws:lambda/function:Function", `${n}-function`, {
                packageType: "Zip", runtime: "nodejs20.x", handler: "index.handler", role: k("r"), s3Bucket: k("b"), s3Key: k("k"),
                codeSigningConfigArn: k("carn"), layers: [k("larn")], memorySize: 256, timeout: 10,
                environment: { variables: { TABLE: "orders", SECRET: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cret" } } },
                arn: k("fa"), invokeArn: k("ia"), tags,
            }, { s3Bucket: [job], s3Key: [job], codeSigningConfigArn: [csc], layers: [layer], role: [role] }, comp, ct);
        }
    }
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(res.slice(0, total));
    return req.serializeBinary();
}

async function runVariant(variant: string, total: number, iterations: number): Promise<number[]> {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const server = require("@pulumi/policy/server");
    let policies: any[];
    if (variant === "empty") {
        policies = [{ name: "empty", description: "empty", enforcementLevel: "mandatory", validateStack: () => undefined }];
    } else {
        policies = [
            require("../policies/rules/lambda-enforce-code-signing").lambdaEnforceCodeSigning,
            require("../policies/rules/lambda-signed-layers").lambdaSignedLayers,
            require("../policies/rules/lambda-signed-code").lambdaSignedCode,
            require("../policies/rules/lambda-image-functions").lambdaImageFunctions,
            require("../policies/rules/signer-profile-hygiene").signerProfileHygiene,
            require("../policies/rules/signer-job-no-ignore-failure").signerJobNoIgnoreFailure,
            require("../policies/rules/lambda-csc-enforce-mode").lambdaCscEnforceMode,
        ];
        if (variant !== "pack-no-memo") {
            require("../policies/lib/sharedDeserialization").installSharedDeserialization();
        }
        if (variant === "pack") {
            // As policies/index.ts does, then a Configure like the engine sends (every policy, mandatory, defaults).
            // (Without the Configure the result is the same: the coordinator starts from the server's defaults.)
            const coordinator = require("../policies/lib/stackCoordinator");
            coordinator.installConfigureCapture();
            policies = [...coordinator.coordinateStackPolicies(policies.slice(0, 3), "mandatory"), ...policies.slice(3)];
            const configure = new analyzerproto.ConfigureAnalyzerRequest();
            for (const p of policies) {
                const pc = new analyzerproto.PolicyConfig();
                pc.setEnforcementlevel(1);
                const defaults: Record<string, unknown> = {};
                for (const [k, v] of Object.entries<any>(p.configSchema?.properties ?? {})) {
                    defaults[k] = v.default;
                }
                pc.setProperties(structproto.Struct.fromJavaScript(defaults));
                configure.getPolicyconfigMap().set(p.name, pc);
            }
            configure.getPolicyconfigMap(); // what the server's configure handler reads
        }
    }
    const fn = server.makeAnalyzeStackRpcFun("bench", "0.0.1", "mandatory", policies);
    const bytes = buildRequestBytes(total);
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
        const request = analyzerproto.AnalyzeStackRequest.deserializeBinary(bytes);
        const start = process.hrtime.bigint();
        const resp: any = await new Promise((resolve, reject) => fn({ request }, (err: unknown, r: unknown) => (err ? reject(err) : resolve(r))));
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (variant !== "empty" && resp.getDiagnosticsList().length !== 0) {
            throw new Error(`unexpected diagnostics: ${resp.getDiagnosticsList()[0].getMessage()}`);
        }
    }
    return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
    const [, , arg1, arg2, arg3] = process.argv;
    if (arg1 === "--variant") {
        const times = await runVariant(arg2, Number(arg3), 9);
        process.stdout.write(JSON.stringify(times.slice(2)) + "\n"); // drop warm-up
        return;
    }
    const total = Number(arg1) || 24000;
    const result: Record<string, number> = {};
    for (const variant of ["empty", "pack", "pack-uncoordinated", "pack-no-memo"]) {
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--variant", variant, String(total)], { encoding: "utf8", maxBuffer: 1 << 26 });
        result[variant] = median(JSON.parse(out.trim().split("\n").pop()!));
        console.log(`${variant.padEnd(13)} ${result[variant].toFixed(1)} ms (median AnalyzeStack, ${total} resources)`);
    }
    for (const variant of ["pack", "pack-uncoordinated", "pack-no-memo"]) {
        console.log(`ratio ${variant} / empty: ${(result[variant] / result.empty).toFixed(3)}`);
    }
}

if (require.main === module) {
    main().catch(e => {
        console.error(e);
        process.exit(1);
    });
}
