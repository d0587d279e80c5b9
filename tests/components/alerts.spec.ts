import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { deployGuard, DeployedGuard } from "./iam/guardFixture";
import { matchesPattern } from "./eventPattern";

// The rejection rule against CloudTrail events as EventBridge delivers them (tests/components/fixtures/cloudtrail;
// the same files work with `aws events test-event-pattern`).

const fixtures = path.join(__dirname, "fixtures", "cloudtrail");
const event = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.json`), "utf8"));

describe("alerts: the rule registered by the guard", () => {
    let guard: DeployedGuard;
    let pattern: any;
    before(async () => {
        guard = await deployGuard({ enableAlerts: true, createAlertTrail: true,
            alertSubscriptions: [{ protocol: "email", endpoint: "secops@example.com" }] });
        const rule = guard.run.resources.find(r => r.type === "aws:cloudwatch/eventRule:EventRule")!;
        pattern = JSON.parse(rule.inputs.eventPattern as string);
    });

    for (const name of ["rejected-update-code", "rejected-create-integrity", "rejected-errorcode-without-suffix", "rejected-errorcode-namespaced"]) {
        it(`matches ${name}`, () => assert.strictEqual(matchesPattern(pattern, event(name)), true));
    }
    for (const name of ["access-denied", "csc-not-found", "successful-update", "other-service-same-code"]) {
        it(`ignores ${name}`, () => assert.strictEqual(matchesPattern(pattern, event(name)), false));
    }

    it("every fixture is a complete EventBridge event (what test-event-pattern requires)", () => {
        for (const file of fs.readdirSync(fixtures)) {
            const e = JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8"));
            for (const field of ["id", "account", "source", "time", "region", "resources", "detail-type", "detail"]) {
                assert.ok(field in e, `${file} lacks ${field}`);
            }
        }
    });

    it("the matcher follows EventBridge: exact values are case-sensitive, arrays match any element, missing fields fail", () => {
        assert.strictEqual(matchesPattern({ a: ["X"] }, { a: "x" }), false);
        assert.strictEqual(matchesPattern({ a: ["x"] }, { a: ["y", "x"] }), true);
        assert.strictEqual(matchesPattern({ a: [{ prefix: "x" }] }, {}), false);
        assert.strictEqual(matchesPattern({ a: [{ exists: false }] }, {}), true);
        assert.strictEqual(matchesPattern({ a: { b: [{ suffix: "z" }] } }, { a: { b: "xyz" } }), true);
        assert.throws(() => matchesPattern({ a: [{ wildcard: "*" }] }, { a: "x" }), /not supported/);
    });

    it("publishes to the topic; e-mail subscribers; a logging trail; the alarm sees every function's series", () => {
        const of = (type: string) => guard.run.resources.filter(r => r.type === type);
        const [target] = of("aws:cloudwatch/eventTarget:EventTarget");
        assert.strictEqual(target.inputs.arn, guard.alertTopicArn);
        assert.deepStrictEqual(of("aws:sns/topicSubscription:TopicSubscription").map(s => [s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]),
            [[guard.alertTopicArn, "email", "secops@example.com"]]);
        const [trail] = of("aws:cloudtrail/trail:Trail");
        assert.strictEqual(trail.inputs.enableLogging, true);
        assert.deepStrictEqual(trail.inputs.eventSelectors, [{ readWriteType: "WriteOnly", includeManagementEvents: true }]);
        const [alarm] = of("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(alarm.inputs.metricQueries, [{ id: "errors", expression: "SELECT SUM(SignatureValidationErrors) FROM \"AWS/Lambda\"",
            period: 300, returnData: true, label: "SignatureValidationErrors" }]);
        assert.strictEqual(alarm.inputs.dimensions, undefined);
        assert.deepStrictEqual([alarm.inputs.threshold, alarm.inputs.comparisonOperator, alarm.inputs.treatMissingData, alarm.inputs.alarmActions],
            [0, "GreaterThanThreshold", "notBreaching", [guard.alertTopicArn]]);
        const [topic] = of("aws:sns/topic:Topic");
        assert.strictEqual(topic.inputs.kmsMasterKeyId, guard.alertKeyArn);
        assert.notStrictEqual(guard.alertKeyArn, guard.artifactKeyArn);
    });

    it("every alert resource is the guard's child; the trail and its bucket are private, single-Region and ordered", () => {
        const byName = new Map(guard.run.resources.map(r => [r.name, r]));
        const component = guard.run.resources.find(r => r.type === "lambda-code-signing:index:CodeSigningGuard")!;
        const alertResources = ["team-alerts-key", "team-alerts", "team-alerts-policy", "team-trail-logs",
            "team-trail-logs-public-access", "team-trail-logs-policy", "team-trail", "team-signature-rejections",
            "team-signature-rejections-target", "team-signature-errors"];
        for (const name of alertResources) {
            assert.strictEqual(byName.get(name)?.parent, component.urn, `${name} is parented to the guard`);
        }
        const key = byName.get("team-alerts-key")!.inputs;
        assert.deepStrictEqual([key.description, key.enableKeyRotation, key.deletionWindowInDays],
            ["Encrypts the team code-signing alert topic", true, 30]);
        const logs = byName.get("team-trail-logs")!;
        assert.strictEqual(logs.inputs.forceDestroy, false, "the audit log bucket is never emptied by a destroy");
        assert.deepStrictEqual(byName.get("team-trail-logs-public-access")!.inputs,
            { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const logsPolicy = byName.get("team-trail-logs-policy")!;
        assert.ok(logsPolicy.dependencies.includes(byName.get("team-trail-logs-public-access")!.urn),
            "the bucket policy waits for the public access block");
        const trail = byName.get("team-trail")!;
        assert.ok(trail.dependencies.includes(logsPolicy.urn), "the trail waits for the policy that lets it write");
        // A name CloudTrail accepts, known before the trail exists (the bucket policy names it).
        assert.strictEqual(trail.inputs.name, "team-dev-signing-alerts");
        assert.deepStrictEqual([trail.inputs.isMultiRegionTrail, trail.inputs.includeGlobalServiceEvents], [false, false]);
        const sids = (r: string) => JSON.parse(byName.get(r)!.inputs.policy as string).Statement.map((st: any) => st.Sid);
        assert.deepStrictEqual(sids("team-trail-logs-policy"), ["CloudTrailAclCheck", "CloudTrailWrite", "DenyInsecureTransport"]);
        const trailArn = `arn:aws:cloudtrail:us-east-1:123456789012:trail/${trail.inputs.name}`;
        for (const st of JSON.parse(logsPolicy.inputs.policy as string).Statement.filter((x: any) => x.Sid.startsWith("CloudTrail"))) {
            assert.strictEqual(st.Condition.StringEquals["aws:SourceArn"], trailArn, `${st.Sid}: only this trail`);
        }
        assert.deepStrictEqual(sids("team-alerts-policy"), ["AlertPublishers"]);
        assert.ok(sids("team-alerts-key").includes("AlertPublishersUseKey"), JSON.stringify(sids("team-alerts-key")));
        assert.strictEqual(byName.get("team-signature-rejections")!.inputs.description,
            "Lambda API calls rejected because code signature validation failed");
        assert.strictEqual(byName.get("team-signature-errors")!.inputs.alarmDescription,
            "Lambda reported code signature validation errors in this account and Region " +
            "(deployments a Warn code signing config let through)");
    });
});
