// The IAM actions the components grant on `"Resource": "*"`, because they take no resource ARN or AWS grants them so
// itself. A module of constants only: the policy pack (policy/rules.ts) exempts exactly these from
// iam-no-wildcard-resources without loading the components.

/** What a function in a VPC does to its network interfaces, on `*` as AWS's AWSLambdaVPCAccessExecutionRole grants it. */
export const lambdaNetworkInterfaceActions = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
] as const;

/** The span writes the task role gets (X-Ray's actions take no resource ARN). */
export const traceWriteActions = ["xray:PutSpans", "xray:PutSpansForIndexing", "xray:PutTraceSegments"] as const;

/** What FIS's role needs to set up vended log delivery; AWS's FIS logging page grants these on `*`. */
export const fisLogDeliveryActions = [
    "logs:CreateLogDelivery",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
] as const;
