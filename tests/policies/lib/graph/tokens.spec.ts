import * as assert from "assert";
import { flavorOf, kindOf } from "../../../../policies/lib/graph/tokens";

describe("policies/lib/graph/tokens", () => {
    it("flavorOf: aws-native and CloudFormation by their prefixes, everything else classic", () => {
        const cases: Array<[string, string]> = [
            ["aws-native:lambda:CodeSigningConfig", "native"],
            ["AWS::Lambda::CodeSigningConfig", "cloudformation"],
            ["AWS::Lambda::Function", "cloudformation"],
            ["aws:lambda/codeSigningConfig:CodeSigningConfig", "classic"],
            ["acme:index:AWS::", "classic"],
            ["acme:index:aws-native:", "classic"],
        ];
        assert.deepStrictEqual(cases.map(([type]) => [type, flavorOf(type)]), cases);
    });

    it("kindOf: looked up by type (classic and CloudFormation), S3 bucket types by pattern, anything else other", () => {
        assert.strictEqual(kindOf("aws:lambda/function:Function"), "function");
        assert.strictEqual(kindOf("AWS::Lambda::CodeSigningConfig"), "csc");
        assert.strictEqual(kindOf("aws:s3/bucketV2:BucketV2"), "bucket");
        assert.strictEqual(kindOf("aws:s3/directoryBucket:DirectoryBucket"), "bucket");
        assert.strictEqual(kindOf("acme:index:Thing"), "other");
    });
});
