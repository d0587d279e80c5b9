import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext } from "./guardPolicies";
import { alertKeyPolicyDocument, alertTopicPolicyDocument, trailBucketPolicyDocument } from "./resourcePolicies";
import { sanitize } from "./validation";

/** The protocols an alert subscription may use (SNS Subscribe `Protocol`). */
export const AlertProtocol = {
    Email: "email",
    EmailJson: "email-json",
    Https: "https",
    Sqs: "sqs",
    Lambda: "lambda",
    Sms: "sms",
} as const;
export type AlertProtocol = (typeof AlertProtocol)[keyof typeof AlertProtocol];

/** A subscriber to the guard's alert topic. */
export interface AlertSubscription {
    /** How alerts are delivered: `email`, `email-json`, `https`, `sqs`, `lambda` or `sms`. */
    protocol: AlertProtocol;
    /**
     * Where alerts are delivered: an e-mail address, an https URL, an SQS queue ARN, a Lambda function ARN or a phone
     * number. E-mail and https endpoints must confirm the subscription before they receive anything.
     */
    endpoint: pulumi.Input<string>;
}

/**
 * CloudTrail `errorCode`s of Lambda calls rejected for code-signing reasons. AWS documents the exceptions
 * (CodeVerificationFailedException: signature mismatch or expiry under Enforce; InvalidCodeSignatureException:
 * integrity failure, blocks even under Warn) but not the exact errorCode string CloudTrail records, so the rule matches
 * each name as a prefix (with or without the `Exception` suffix) and as a suffix (with a namespace in front).
 */
export const codeSigningErrorNames = ["CodeVerificationFailed", "InvalidCodeSignature"];

/** EventBridge pattern for Lambda API calls (any event name) that CloudTrail recorded with a code-signing error. */
export function signatureRejectionPattern() {
    return {
        source: ["aws.lambda"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
            eventSource: ["lambda.amazonaws.com"],
            errorCode: codeSigningErrorNames.flatMap(n => [{ prefix: n }, { suffix: `${n}Exception` }]),
        },
    };
}

/**
 * Metrics Insights query over SignatureValidationErrors in every AWS/Lambda series, whatever its dimensions: AWS does
 * not document which dimensions Lambda sets on this metric, and a query `FROM "AWS/Lambda"` "matches all ... metrics
 * in the namespace regardless of their dimensions and returns a single aggregated time series" (CloudWatch User Guide,
 * "Metrics Insights query components and syntax"). It therefore sees every function in the account and Region.
 */
export const signatureErrorsQuery = "SELECT SUM(SignatureValidationErrors) FROM \"AWS/Lambda\"";

export interface AlertSettings {
    /** Existing topic to publish to; when absent a topic with its own KMS key is created. */
    topicArn?: pulumi.Input<string>;
    subscriptions: AlertSubscription[];
    createTrail: boolean;
    ctx: pulumi.Output<AccountContext>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The alert topic: its own key (so service grants never touch the artifact key) and a publish-only topic policy. */
function createAlertTopic(name: string, parent: pulumi.Resource, settings: AlertSettings): pulumi.Output<string> {
    const opts = { parent };
    const key = new aws.kms.Key(`${name}-alerts-key`, {
        description: `Encrypts the ${name} code-signing alert topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: settings.ctx.apply(c => JSON.stringify(alertKeyPolicyDocument(c))),
        tags: settings.tags,
    }, opts);
    const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: key.arn, tags: settings.tags }, opts);
    const policy = new aws.sns.TopicPolicy(`${name}-alerts-policy`, {
        arn: topic.arn,
        policy: pulumi.all([settings.ctx, topic.arn]).apply(([c, arn]) => JSON.stringify(alertTopicPolicyDocument(c, arn))),
    }, opts);
    // Publishers wait for the topic policy that lets them publish.
    return pulumi.all([topic.arn, policy.id]).apply(([arn]) => arn);
}

/**
 * A single-Region trail logging write management events: EventBridge receives "AWS API Call via CloudTrail" events
 * only from CloudTrail (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail").
 */
function createAlertTrail(name: string, parent: pulumi.Resource, settings: AlertSettings): void {
    const opts = { parent };
    // The bucket policy names the trail's ARN, so the trail needs a name known before it exists.
    const trailName = sanitize(`${name}-${pulumi.getStack()}-signing-alerts`, /[a-zA-Z0-9._-]/, "-").slice(0, 128);
    const bucket = new aws.s3.Bucket(`${name}-trail-logs`, { forceDestroy: false, tags: settings.tags }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-trail-logs-public-access`, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    const policy = new aws.s3.BucketPolicy(`${name}-trail-logs-policy`, {
        bucket: bucket.id,
        policy: pulumi.all([settings.ctx, bucket.bucket]).apply(([c, b]) => JSON.stringify(trailBucketPolicyDocument(c, b,
            `arn:${c.partition}:cloudtrail:${c.region}:${c.accountId}:trail/${trailName}`))),
    }, { parent, dependsOn: [publicAccess] });
    new aws.cloudtrail.Trail(`${name}-trail`, {
        name: trailName,
        s3BucketName: bucket.bucket,
        isMultiRegionTrail: false,
        includeGlobalServiceEvents: false,
        enableLogging: true,
        eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
        tags: settings.tags,
    }, { parent, dependsOn: [policy] });
}

/** EventBridge rule on rejected deployments plus an alarm on Warn-mode signature errors, both to one topic. */
export function createSignatureAlerts(name: string, parent: pulumi.Resource, settings: AlertSettings) {
    const opts = { parent };
    const topicArn = settings.topicArn !== undefined
        ? pulumi.output(settings.topicArn)
        : createAlertTopic(name, parent, settings);
    settings.subscriptions.forEach((s, i) => {
        new aws.sns.TopicSubscription(`${name}-alerts-subscription-${i}`, { topic: topicArn, protocol: s.protocol, endpoint: s.endpoint }, opts);
    });
    if (settings.createTrail) {
        createAlertTrail(name, parent, settings);
    }
    const rule = new aws.cloudwatch.EventRule(`${name}-signature-rejections`, {
        description: "Lambda API calls rejected because code signature validation failed",
        eventPattern: JSON.stringify(signatureRejectionPattern()),
        tags: settings.tags,
    }, opts);
    new aws.cloudwatch.EventTarget(`${name}-signature-rejections-target`, { rule: rule.name, arn: topicArn }, opts);
    new aws.cloudwatch.MetricAlarm(`${name}-signature-errors`, {
        alarmDescription: "Lambda reported code signature validation errors in this account and Region " +
            "(deployments a Warn code signing config let through)",
        metricQueries: [{ id: "errors", expression: signatureErrorsQuery, period: 300, returnData: true, label: "SignatureValidationErrors" }],
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topicArn],
        tags: settings.tags,
    }, opts);
    return { topicArn, ruleName: rule.name };
}
