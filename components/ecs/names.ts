// The name limits of the AWS resources an ECS service creates: child names are fitted to them (see core/naming.ts).
import { NameRule } from "../core";

/**
 * Physical-name limits less the `-` and 7 hex characters that AWS auto-naming appends (it fails rather than
 * truncating when the result is too long).
 */
export const awsNameRules = {
    /** Application Load Balancers: 32 characters, not starting with `internal-` (the provider does not check). */
    loadBalancer: { maxLength: 24, forbiddenPrefixes: ["internal-"] },
    /** Target groups: 32 characters. */
    targetGroup: { maxLength: 24 },
    /** IAM roles: 64 characters. */
    role: { maxLength: 56 },
    /** Lambda functions: 64 characters. */
    lambdaFunction: { maxLength: 56 },
    /** Instance profiles, launch templates and inline role policies: 128 characters. */
    medium: { maxLength: 120 },
    /** Capacity providers: 255 characters, not starting with `aws`, `ecs` or `fargate`. */
    capacityProvider: { maxLength: 247, forbiddenPrefixes: ["aws", "ecs", "fargate"] },
    /** Security groups: 255 characters, not starting with `sg-`. */
    securityGroup: { maxLength: 247, forbiddenPrefixes: ["sg-"] },
    /** Clusters, services, log groups, alarms, Auto Scaling groups: 255 characters. */
    long: { maxLength: 247 },
} satisfies Record<string, NameRule>;
