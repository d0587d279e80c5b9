import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, alertTopicPolicyDocument } from "./guardPolicies";

/** CloudTrail error codes of Lambda API calls rejected for code-signing reasons. */
export const codeSigningErrorCodes = ["CodeVerificationFailedException", "InvalidCodeSignatureException"];

export interface AlertSettings {
    /** Existing topic to publish to; when absent a topic encrypted with `key` is created. */
    topicArn?: pulumi.Input<string>;
    key?: aws.kms.Key;
    ctx: pulumi.Output<AccountContext>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** EventBridge rule on rejected deployments plus an alarm on Warn-mode signature errors, both to one topic. */
export function createSignatureAlerts(name: string, parent: pulumi.Resource, settings: AlertSettings): pulumi.Output<string> {
    const opts = { parent };
    let topicArn: pulumi.Output<string>;
    if (settings.topicArn !== undefined) {
        topicArn = pulumi.output(settings.topicArn);
    } else {
        const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: settings.key!.arn, tags: settings.tags }, opts);
        const policy = new aws.sns.TopicPolicy(`${name}-alerts-policy`, {
            arn: topic.arn,
            policy: pulumi.all([settings.ctx, topic.arn])
                .apply(([c, arn]) => JSON.stringify(alertTopicPolicyDocument(c, arn))),
        }, opts);
        // Publishers wait for the topic policy that lets them publish.
        topicArn = pulumi.all([topic.arn, policy.id]).apply(([arn]) => arn);
    }
    const rule = new aws.cloudwatch.EventRule(`${name}-signature-rejections`, {
        description: "Lambda API calls rejected because code signature validation failed",
        eventPattern: JSON.stringify({
            source: ["aws.lambda"],
            "detail-type": ["AWS API Call via CloudTrail"],
            detail: { eventSource: ["lambda.amazonaws.com"], errorCode: codeSigningErrorCodes },
        }),
        tags: settings.tags,
    }, opts);
    new aws.cloudwatch.EventTarget(`${name}-signature-rejections-target`, { rule: rule.name, arn: topicArn }, opts);
    new aws.cloudwatch.MetricAlarm(`${name}-signature-errors`, {
        alarmDescription: "Lambda reported code signature validation errors (deployments allowed by a Warn policy)",
        namespace: "AWS/Lambda",
        metricName: "SignatureValidationErrors",
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topicArn],
        tags: settings.tags,
    }, opts);
    return topicArn;
}
