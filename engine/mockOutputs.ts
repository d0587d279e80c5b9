/**
 * THE mock-output model of the project: what AWS and the Pulumi providers would return for the resources a
 * lambda-code-signing program creates. The offline engine (`check --update`), the component tests and the users'
 * own unit tests (`lambda-code-signing/testing`) all use it.
 *
 * Values follow AWS's formats (ARNs, 32-character S3 version ids, UUID job and key ids, 10-character profile
 * versions, `signedObjects` of a signing job) and Pulumi's naming (auto-names `<name>-<7 hex>`, name prefixes plus
 * Terraform's 26-digit unique suffix). They are deterministic in the resource's URN and inputs, so an unchanged
 * program yields identical values.
 */
import { createHash } from "crypto";
import { ARCHIVE_SIG, ASSET_SIG, SPECIAL_SIG_KEY } from "./wireValues";

/** Where the mocked resources live. */
export interface MockAccount {
    accountId: string;
    region: string;
    partition: string;
}

export const DEFAULT_ACCOUNT: MockAccount = { accountId: "123456789012", region: "us-east-1", partition: "aws" };

export function shortHash(text: string, length = 8, alphabet = "0123456789abcdef"): string {
    const digest = createHash("sha256").update(text).digest();
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += alphabet[digest[i % digest.length] % alphabet.length];
    }
    return out;
}

function uuidFrom(text: string): string {
    const h = shortHash(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

type Inputs = Record<string, any>;

/**
 * Facts one resource's outputs tell about another, remembered across the resources of one program run: which
 * profile version signs, and which signing job produced which S3 object. Optional: without it every resource is
 * modelled on its own inputs alone.
 */
export class MockLinks {
    readonly profiles = new Map<string, { version: string; versionArn: string }>();
    readonly signedObjects = new Map<string, { profileName: string; jobArn: string }>();
    /** Signing jobs by id, as DescribeSigningJob (`aws.signer.getSigningJob`) reports them. */
    readonly jobs = new Map<string, Inputs>();

    clear(): void {
        this.profiles.clear();
        this.signedObjects.clear();
        this.jobs.clear();
    }
}

/** The version a signing profile named `profileName` has: the in-stack profile's, else a stable stand-in. */
function profileVersionOf(profileName: string, links?: MockLinks): string {
    return links?.profiles.get(profileName)?.version ?? shortHash(`profile|${profileName}`, 10, ALNUM);
}

/** Lambda records the signing job and profile version of signed code on the function or layer version. */
function signatureOf(inputs: Inputs, account: MockAccount, links?: MockLinks): Inputs {
    const signed = links?.signedObjects.get(`${inputs.s3Bucket}/${inputs.s3Key}`);
    if (!signed) {
        return {};
    }
    const { accountId, region, partition } = account;
    const versionArn = links?.profiles.get(signed.profileName)?.versionArn ??
        `arn:${partition}:signer:${region}:${accountId}:/signing-profiles/${signed.profileName}/${profileVersionOf(signed.profileName, links)}`;
    return { signingJobArn: signed.jobArn, signingProfileVersionArn: versionArn };
}

/**
 * Plausible provider-computed outputs for a created resource, as a cloud provider would return them.
 * Deterministic in the resource's URN and the digest of its inputs, so an unchanged program yields identical values.
 */
export function computedOutputs(type: string, name: string, urn: string, inputs: Inputs, inputsDigest: string,
    account: MockAccount, links?: MockLinks): Inputs {
    const { accountId, region, partition } = account;
    const seed = `${urn}|${inputsDigest}`;
    // Pulumi auto-names `<name>-<7 hex>`; a name prefix gets Terraform's 26-digit unique suffix.
    const physical = (given: unknown, prefix?: unknown) => typeof given === "string" ? given
        : typeof prefix === "string" ? `${prefix}${shortHash(`suffix|${urn}`, 26, "0123456789")}`
        : `${name}-${shortHash(urn, 7)}`;
    switch (type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2": {
            const bucket = physical(inputs.bucket, inputs.bucketPrefix).toLowerCase();
            return { id: bucket, bucket, arn: `arn:${partition}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, region };
        }
        case "aws:s3/bucketObjectv2:BucketObjectv2":
        case "aws:s3/bucketObject:BucketObject":
            // S3 mints a new version only when the object is written again: same inputs, same version.
            return { id: String(inputs.key ?? name), versionId: shortHash(`version|${inputs.bucket}|${inputs.key}|${inputsDigest}`, 32, ALNUM), etag: shortHash(seed, 32), arn: `arn:${partition}:s3:::${inputs.bucket}/${inputs.key}` };
        case "aws:signer/signingProfile:SigningProfile": {
            const profileName = physical(inputs.name, inputs.namePrefix).replace(/-/g, "_");
            const arn = `arn:${partition}:signer:${region}:${accountId}:/signing-profiles/${profileName}`;
            const version = shortHash(seed, 10, ALNUM);
            links?.profiles.set(profileName, { version, versionArn: `${arn}/${version}` });
            return { id: profileName, name: profileName, arn, version, versionArn: `${arn}/${version}`, status: "Active", platformDisplayName: "AWS Lambda", revocationRecords: [] };
        }
        case "aws:signer/signingJob:SigningJob": {
            // Every argument of a signing job forces replacement, so the job id is a function of its inputs.
            const jobId = uuidFrom(`job|${inputsDigest}`);
            const destination = inputs.destination?.s3 ?? {};
            const key = `${destination.prefix ?? ""}${jobId}.zip`;
            const profileName = String(inputs.profileName);
            const jobArn = `arn:${partition}:signer:${region}:${accountId}:/signing-jobs/${jobId}`;
            links?.signedObjects.set(`${destination.bucket}/${key}`, { profileName, jobArn });
            const job = {
                id: jobId, jobId, status: "Succeeded", jobOwner: accountId, jobInvoker: accountId, platformId: "AWSLambda-SHA384-ECDSA",
                profileVersion: profileVersionOf(profileName, links),
                signedObjects: [{ s3s: [{ bucket: destination.bucket, key }] }],
                signatureExpiresAt: "2037-01-01T00:00:00Z",
            };
            links?.jobs.set(jobId, { ...job, profileName, revocationRecords: [] });
            return job;
        }
        case "aws:lambda/codeSigningConfig:CodeSigningConfig": {
            const configId = `csc-${shortHash(urn, 17)}`;
            return { id: `arn:${partition}:lambda:${region}:${accountId}:code-signing-config:${configId}`, arn: `arn:${partition}:lambda:${region}:${accountId}:code-signing-config:${configId}`, configId };
        }
        case "aws:lambda/function:Function": {
            const functionName = physical(inputs.name);
            const arn = `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
            return { id: functionName, name: functionName, arn, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST", invokeArn: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`, ...signatureOf(inputs, account, links) };
        }
        case "aws:lambda/layerVersion:LayerVersion": {
            const layerArn = `arn:${partition}:lambda:${region}:${accountId}:layer:${inputs.layerName ?? name}`;
            return { id: `${layerArn}:1`, arn: `${layerArn}:1`, layerArn, version: "1", ...signatureOf(inputs, account, links) };
        }
        case "aws:iam/role:Role": {
            const roleName = physical(inputs.name, inputs.namePrefix);
            return { id: roleName, name: roleName, arn: `arn:${partition}:iam::${accountId}:role/${roleName}`, uniqueId: `AROA${shortHash(urn, 17).toUpperCase()}` };
        }
        case "aws:iam/policy:Policy": {
            const policyName = physical(inputs.name, inputs.namePrefix);
            const arn = `arn:${partition}:iam::${accountId}:policy/${policyName}`;
            return { id: arn, arn, name: policyName, policyId: `ANPA${shortHash(urn, 17).toUpperCase()}` };
        }
        case "aws:kms/key:Key": {
            const keyId = uuidFrom(`key|${urn}`);
            return { id: keyId, keyId, arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}` };
        }
        case "aws:sns/topic:Topic": {
            const topicName = physical(inputs.name, inputs.namePrefix);
            const arn = `arn:${partition}:sns:${region}:${accountId}:${topicName}`;
            return { id: arn, arn, name: topicName };
        }
        case "aws:cloudwatch/eventRule:EventRule": {
            const ruleName = physical(inputs.name, inputs.namePrefix);
            return { id: ruleName, name: ruleName, arn: `arn:${partition}:events:${region}:${accountId}:rule/${ruleName}` };
        }
        case "command:local:Command": {
            // Commands never run under mocks: a build's archive is a known placeholder, as it would be known after `pulumi up`.
            const outputs: Inputs = { id: `${name}-${shortHash(seed, 8)}`, stdout: "", stderr: "" };
            if (Array.isArray(inputs.archivePaths) && inputs.archivePaths.length > 0) {
                outputs.archive = {
                    [SPECIAL_SIG_KEY]: ARCHIVE_SIG,
                    assets: { "OFFLINE_BUILD.txt": { [SPECIAL_SIG_KEY]: ASSET_SIG, text: `built offline by: ${inputs.create}` } },
                };
            }
            return outputs;
        }
        default: {
            const id = `${name}-${shortHash(urn, 8)}`;
            if (!type.startsWith("aws:")) {
                return { id };
            }
            const [, module, resource] = type.split(/[:/]/);
            return { id, arn: `arn:${partition}:${module}:${region}:${accountId}:${(resource ?? module).toLowerCase()}/${id}` };
        }
    }
}

/** Answers for the provider functions (invokes) a typical AWS program calls; `links` knows the run's signing jobs. */
export function invokeResult(token: string, args: Inputs, account: MockAccount, links?: MockLinks): Inputs | undefined {
    const { accountId, region, partition } = account;
    switch (token) {
        case "aws:index/getPartition:getPartition":
            return { id: partition, partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: accountId, accountId, arn: `arn:${partition}:iam::${accountId}:user/offline-check`, userId: "AIDAOFFLINECHECK" };
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:s3/getBucket:getBucket":
            return { id: args.bucket, bucket: args.bucket, arn: `arn:${partition}:s3:::${args.bucket}`, region };
        case "aws:signer/getSigningJob:getSigningJob":
            return links?.jobs.get(args.jobId);
        default:
            return undefined;
    }
}
