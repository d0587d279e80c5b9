/**
 * lambda-cloudformation-template-url — a CloudFormation stack whose template is given only by `templateUrl` can't be
 * read by the pack (it never fetches anything), so the Lambda functions, layers and code signing configs it may
 * declare are not checked. Reported at this policy's enforcement level, which defaults to ADVISORY: set it to
 * "mandatory" to require inline templates (`templateBody`), or "disabled" once the stacks' templates are reviewed
 * elsewhere. Inline templates are judged by the other policies like any Pulumi resource; an inline template that can't
 * be read (unknown during preview, not JSON/YAML) is a mandatory violation of lambda-enforce-code-signing.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigReader, configViolationMessage, safeConfig } from "../lib/config";
import { CLOUDFORMATION_STACK_TYPES, templateOfResource } from "../lib/stackGraph";

export const LAMBDA_CLOUDFORMATION_TEMPLATE_URL = "lambda-cloudformation-template-url";

/** Violation for one CloudFormation stack resource given only by URL, or undefined. */
export function checkTemplateUrl(type: string, urn: string, name: string, props: unknown): string | undefined {
    const t = templateOfResource({ type, urn, name, props });
    if (t?.node.status !== "url-only") {
        return undefined;
    }
    return (
        `CloudFormation stack "${name}": its template is given only by templateUrl, which the policy pack can't read, so the ` +
        `Lambda functions, layers and code signing configs it declares are not checked. Pass the template inline as templateBody ` +
        `(e.g. fs.readFileSync("template.yaml", "utf8")), or review it separately and set this policy to "disabled".`
    );
}

export const lambdaCloudformationTemplateUrl: ResourceValidationPolicy = {
    name: LAMBDA_CLOUDFORMATION_TEMPLATE_URL,
    description:
        "CloudFormation stacks given only by templateUrl can't be checked for unsigned Lambda code (level configurable; advisory by default).",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (!Object.values(CLOUDFORMATION_STACK_TYPES).includes(args.type as never)) {
            return;
        }
        for (const issue of new PolicyConfigReader(safeConfig(() => args.getConfig()), []).issues) {
            reportViolation(configViolationMessage(LAMBDA_CLOUDFORMATION_TEMPLATE_URL, issue), args.urn);
        }
        const message = checkTemplateUrl(args.type, args.urn, args.name, args.props);
        if (message) {
            reportViolation(message, args.urn);
        }
    },
};
