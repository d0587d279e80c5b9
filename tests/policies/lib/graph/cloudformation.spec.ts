import * as assert from "assert";
import { parseTemplate, resolveValue, TemplateScope } from "../../../../policies/lib/graph/cfnTemplate";
import { buildStackGraph, templateOfResource } from "../../../../policies/lib/stackGraph";
import { T, UNKNOWN } from "../../helpers";
import { csc, job, profile, provider, res } from "./fixtures";

const YAML = `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: prod }
  CscArn: { Type: String }
Globals:
  Function:
    CodeSigningConfigArn: !GetAtt Csc.CodeSigningConfigArn
    Layers: [!Ref Shared]
Resources:
  Profile:
    Type: AWS::Signer::SigningProfile
    Properties: { PlatformId: AWSLambda-SHA384-ECDSA, ProfileName: tpl_profile }
  Csc:
    Type: AWS::Lambda::CodeSigningConfig
    Properties:
      AllowedPublishers:
        SigningProfileVersionArns: [!GetAtt Profile.ProfileVersionArn, !If [IsProd, "arn:aws:signer:us-east-1:1:/signing-profiles/a/1", !GetAtt Profile.ProfileVersionArn]]
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: Enforce }
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: "s3://vendor/layers/shared.zip" }
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Handler: !Sub "\${Stage}.handler"
      CodeUri: { Bucket: !Ref Bucket, Key: !Sub "signed/\${Stage}/app.zip" }
      Layers: ["arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1"]
  Local:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ./src, CodeSigningConfigArn: !Ref CscArn }
  Image:
    Type: AWS::Lambda::Function
    Properties: { PackageType: Image, Code: { ImageUri: repo/img:1 } }
  Bucket:
    Type: AWS::S3::Bucket
`;

function scope(params: unknown = {}, sources: string[] = []): TemplateScope {
    return {
        stackUrn: "urn:s", stackName: "s", region: "eu-west-1",
        resources: { R: { Type: "AWS::Lambda::CodeSigningConfig" } },
        parameters: { P: { Type: "String", Default: "dflt" }, Q: { Type: "String" } },
        stackParameters: { value: params, sources: sources.map(urn => ({ urn, type: T.job, name: urn })) },
    };
}

describe("policies/lib/graph/cfnTemplate", () => {
    it("parses JSON, and YAML with every short-form intrinsic tag", () => {
        assert.deepStrictEqual(parseTemplate('{"Resources": {"A": {"Type": "X"}}}'), { template: { Resources: { A: { Type: "X" } } } });
        const y = parseTemplate([
            "A: !Ref X", "B: !GetAtt X.Arn", "C: !GetAtt [X, Arn]", "D: !Sub 'a-${X}'", "E: !Join [',', [a, b]]", "F: !If [c, 1, 2]",
            "G: !Select [0, [a]]", "H: !ImportValue v", "I: !FindInMap [m, a, b]", "J: !Base64 x", "K: !Equals [a, b]", "L: !Condition c",
            "M: !Split [',', x]", "N: !GetAZs ''", "O: !Not [x]", "P: !And [a, b]", "Q: !Or [a, b]", "R: !Cidr [x, 1, 2]",
        ].join("\n")).template!;
        assert.deepStrictEqual(y, {
            A: { Ref: "X" }, B: { "Fn::GetAtt": ["X", "Arn"] }, C: { "Fn::GetAtt": ["X", "Arn"] }, D: { "Fn::Sub": "a-${X}" },
            E: { "Fn::Join": [",", ["a", "b"]] }, F: { "Fn::If": ["c", 1, 2] }, G: { "Fn::Select": [0, ["a"]] }, H: { "Fn::ImportValue": "v" },
            I: { "Fn::FindInMap": ["m", "a", "b"] }, J: { "Fn::Base64": "x" }, K: { "Fn::Equals": ["a", "b"] }, L: { Condition: "c" },
            M: { "Fn::Split": [",", "x"] }, N: { "Fn::GetAZs": "" }, O: { "Fn::Not": ["x"] }, P: { "Fn::And": ["a", "b"] }, Q: { "Fn::Or": ["a", "b"] },
            R: { "Fn::Cidr": ["x", 1, 2] },
        });
        assert.match(parseTemplate("Resources: [unclosed").error!, /unexpected end|flow collection/);
        assert.strictEqual(parseTemplate("just a string").error, "it is not a JSON or YAML object");
        assert.match(parseTemplate("x".repeat(1_000_001)).error!, /far above CloudFormation's 51,200-byte limit/);
        assert.deepStrictEqual(parseTemplate("{ Resources: { A: { Type: X } } }"), { template: { Resources: { A: { Type: "X" } } } }, "YAML flow style that is not JSON");
    });

    it("resolves intrinsics to references: resources, parameters (given, default, unknown), pseudo parameters, Sub, Join, If, Select", () => {
        const s = scope({ Q: "given", U: UNKNOWN }, ["urn:job"]);
        const v = (x: unknown) => resolveValue(s, x, "X");
        assert.deepStrictEqual(v("lit"), { value: "lit", sources: [], path: "X" });
        assert.deepStrictEqual(v(3), { value: "3", sources: [], path: "X" });
        assert.deepStrictEqual(v(null), { value: undefined, sources: [], path: "X" });
        assert.deepStrictEqual(v({ Ref: "R" }).sources, [{ urn: "urn:s#R", type: "AWS::Lambda::CodeSigningConfig", name: "s/R" }]);
        assert.deepStrictEqual(v({ "Fn::GetAtt": ["R", "CodeSigningConfigArn"] }).sources.map(x => x.urn), ["urn:s#R"]);
        assert.deepStrictEqual(v({ "Fn::GetAtt": "R.Arn" }).sources.map(x => x.urn), ["urn:s#R"]);
        assert.deepStrictEqual(v({ "Fn::GetAtt": ["Nope", "Arn"] }).sources, []);
        assert.deepStrictEqual(v({ Ref: "Q" }), { value: "given", sources: [{ urn: "urn:job", type: T.job, name: "urn:job" }], path: "X", shared: true });
        assert.deepStrictEqual(v({ Ref: "P" }).value, "dflt");
        assert.deepStrictEqual(resolveValue(scope(UNKNOWN, ["urn:job"]), { Ref: "Q" }, "X").shared, true);
        assert.deepStrictEqual(v({ Ref: "AWS::Region" }).value, "eu-west-1");
        assert.deepStrictEqual(v({ Ref: "AWS::Partition" }).value, "aws");
        assert.deepStrictEqual(v({ Ref: "AWS::NoValue" }).value, undefined);
        assert.ok(typeof v({ Ref: "AWS::AccountId" }).value === "string" && v({ Ref: "AWS::AccountId" }).value !== "");
        assert.deepStrictEqual(v({ "Fn::Sub": "a-${Q}-${!Literal}" }).value, "a-given-${Literal}");
        assert.deepStrictEqual(v({ "Fn::Sub": ["${x}", { x: { Ref: "R" } }] }).sources.map(x => x.urn), ["urn:s#R"]);
        assert.deepStrictEqual(v({ "Fn::Sub": "${R.Arn}" }).sources.map(x => x.urn), ["urn:s#R"]);
        assert.deepStrictEqual(v({ "Fn::Join": ["/", ["a", { Ref: "Q" }]] }).value, "a/given");
        assert.strictEqual(v({ "Fn::Join": ["/", ["a", { Ref: "R" }]] }).sources.length, 1);
        assert.deepStrictEqual(v({ "Fn::If": ["c", "a", { Ref: "R" }] }).alternatives!.map(x => [x.value, x.sources.length]), [["a", 0], [v({ Ref: "R" }).value, 1]]);
        assert.deepStrictEqual(v({ "Fn::Select": ["1", ["a", "b"]] }).value, "b");
        assert.deepStrictEqual(v({ "Fn::Select": [{ Ref: "Q" }, ["a", "b"]] }).alternatives!.map(x => x.value), ["a", "b"]);
        assert.strictEqual(v({ "Fn::ImportValue": "x" }).sources.length, 0);
        let deep: unknown = "x";
        for (let i = 0; i < 100; i++) {
            deep = { "Fn::Select": [0, [deep]] };
        }
        assert.doesNotThrow(() => v(deep));
    });
});

describe("policies/lib/graph/cloudformation", () => {
    const stack = (props: Record<string, unknown>, deps: Record<string, string[]> = {}) => res(T.cfnStack, "cfn", props, deps);

    it("turns a SAM template's functions, layers, CSCs and profiles into graph nodes judged like Pulumi resources", () => {
        const g = buildStackGraph([provider(), stack({ templateBody: YAML, parameters: { CscArn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-ext" } })]);
        assert.deepStrictEqual(g.templates.map(t => [t.name, t.status, t.detail]), [["cfn", "inline", undefined]]);
        assert.deepStrictEqual(g.signingProfiles.map(p => [p.name, p.identity]), [["cfn/Profile", { resource: `${stack({}).urn}#Profile`, label: `SigningProfile "cfn/Profile" (us-east-1)`, partition: "aws", region: "us-east-1", name: "tpl_profile" }]]);
        const c = g.codeSigningConfigs[0];
        assert.deepStrictEqual([c.name, c.mode, c.publisherCount, c.policiesPath, c.template], ["cfn/Csc", "Enforce", 2, "CodeSigningPolicies.UntrustedArtifactOnDeployment", { stackUrn: stack({}).urn, stackName: "cfn", logicalId: "Csc" }]);
        assert.deepStrictEqual(c.allowed.map(e => [e.identity.label, e.ambiguous]), [
            [`SigningProfile "cfn/Profile" (us-east-1)`, undefined],
            ["arn:aws:signer:us-east-1:1:/signing-profiles/a/1", "element 2 of AllowedPublishers.SigningProfileVersionArns may be any of 2 signing profiles"],
        ]);
        assert.deepStrictEqual(g.layerVersions.map(l => [l.name, l.code]), [["cfn/Shared", { kind: "s3", origins: [{ kind: "location", bucket: "vendor", key: "layers/shared.zip", path: "ContentUri", via: [] }] }]]);
        const fns = Object.fromEntries(g.functions.map(f => [f.template!.logicalId, f]));
        assert.deepStrictEqual(Object.keys(fns), ["Sam", "Local", "Image"]);
        assert.strictEqual(fns.Sam.urn, stack({}).urn);
        assert.strictEqual(fns.Sam.handler, "prod.handler");
        assert.deepStrictEqual(fns.Sam.csc, { kind: "referenced", candidates: [{ kind: "in-stack", csc: c }] }, "from Globals");
        assert.deepStrictEqual(fns.Sam.layers.map(l => (l.kind === "in-stack" ? l.layer.name : l.kind === "external" ? l.arn : l.reason)), ["cfn/Shared", "arn:aws:lambda:us-east-1:464622532012:layer:Datadog:1"], "Globals lists are additive");
        assert.deepStrictEqual(fns.Sam.code, { kind: "s3", origins: [{ kind: "location", bucket: undefined, key: "signed/prod/app.zip", path: "CodeUri.Key", via: [] }] }, "a literal key in a bucket the template creates: the bucket is not a literal");
        assert.deepStrictEqual(fns.Local.code, { kind: "unverifiable", reason: `its CodeUri "./src" is a local path: SAM packages and uploads it unsigned` });
        assert.deepStrictEqual(fns.Local.csc, { kind: "referenced", candidates: [{ kind: "external", arn: "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-ext" }] });
        assert.strictEqual(fns.Image.packageType, "Image");
    });

    it("parameters carry the stack's dependencies: Pulumi signing jobs and CSCs, in preview and in update alike", () => {
        const p = profile("p");
        const j = job("j", p);
        const k = csc("k", [p], { arn: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-k" });
        const upload = res(T.object, "upload", {});
        const body = JSON.stringify({
            Parameters: { Key: {}, Csc: {} },
            Resources: { F: { Type: "AWS::Lambda::Function", Properties: { Code: { S3Bucket: "artifacts", S3Key: { Ref: "Key" } }, CodeSigningConfigArn: { Ref: "Csc" }, Layers: { Ref: "L" } } } },
        });
        const show = (params: unknown) => {
            const g = buildStackGraph([provider(), p, j, k, upload, stack({ templateBody: body, parameters: params }, { parameters: [j.urn, k.urn, upload.urn] })]);
            const f = g.functions[0];
            return {
                code: f.code.kind === "s3" ? f.code.origins.map(o => (o.kind === "job" ? `job ${o.job.name}` : o.kind === "unsigned" ? o.detail : o.kind)) : f.code.kind,
                csc: f.csc.kind === "referenced" ? f.csc.candidates.map(c => (c.kind === "in-stack" ? c.csc.name : c.kind)) : [],
                layers: f.layers.map(l => l.kind),
            };
        };
        const expected = {
            code: ["job j", `its Code.S3Key comes from aws:s3/bucketObjectv2:BucketObjectv2 "upload", not from a SigningJob's signed object`],
            csc: ["k"],
            layers: ["unverifiable"],
        };
        assert.deepStrictEqual(show({ Key: UNKNOWN, Csc: UNKNOWN }), expected);
        assert.deepStrictEqual(show(UNKNOWN), expected);
        assert.deepStrictEqual(show({ Key: "signed/j/1.zip", Csc: "arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-k" }), expected);
    });

    it("layer versions read Content (or SAM ContentUri); a function's ZipFile is inline", () => {
        const body = JSON.stringify({ Resources: {
            L: { Type: "AWS::Lambda::LayerVersion", Properties: { Content: { S3Bucket: "b", S3Key: "l.zip" } } },
            Z: { Type: "AWS::Lambda::LayerVersion", Properties: {} },
            F: { Type: "AWS::Lambda::Function", Properties: { Code: { ZipFile: "x" }, Layers: [{ Ref: "L" }, { "Fn::If": ["c", { Ref: "Z" }, { Ref: "AWS::NoValue" }] }] } },
        } });
        const g = buildStackGraph([provider(), stack({ templateBody: body })]);
        assert.deepStrictEqual(g.layerVersions.map(l => [l.name, l.code]), [
            ["cfn/L", { kind: "s3", origins: [{ kind: "location", bucket: "b", key: "l.zip", path: "Content.S3Key", via: [] }] }],
            ["cfn/Z", { kind: "unverifiable", reason: "the layer has no code source (Content.S3Key is not set)" }],
        ]);
        const f = g.functions[0];
        assert.deepStrictEqual(f.code, { kind: "inline", callbackFunction: false, detail: "its code is inline source (`Code.ZipFile`), which is not signed" });
        assert.deepStrictEqual(f.layers.map(l => (l.kind === "in-stack" ? l.layer.name : l.kind === "external" ? l.arn : l.reason)), [
            "cfn/L", "cfn/Z",
        ], "an AWS::NoValue branch is no element");
    });

    it("template status: inline JSON or object, URL only, unknown or unparseable body, none", () => {
        const status = (props: Record<string, unknown>, type = T.cfnStack) => {
            const t = templateOfResource({ type, urn: "urn:x", name: "x", props });
            return t ? [t.node.status, t.node.detail ?? ""] : undefined;
        };
        assert.deepStrictEqual(status({ templateBody: '{"Resources": {}}' }), ["inline", ""]);
        assert.deepStrictEqual(status({ templateBody: { Resources: {} } }, "aws-native:cloudformation:Stack"), ["inline", ""]);
        assert.deepStrictEqual(status({ templateUrl: "https://x" }), ["url-only", "its template is given only by templateUrl"]);
        assert.deepStrictEqual(status({ templateBody: UNKNOWN }), ["unreadable", "its templateBody is unknown during preview"]);
        assert.deepStrictEqual(status({ templateBody: 5 }), ["unreadable", "its templateBody is not a string"]);
        assert.match(status({ templateBody: "{ not json" })![1], /^its templateBody can't be parsed as JSON or YAML \(/);
        assert.deepStrictEqual(status({}), ["none", ""]);
        assert.strictEqual(status({}, T.fn), undefined);
    });
});
