// The deployment alarms of a service behind a load balancer, as pure data: CloudWatch metric math over its target groups
// (and, when the load balancer is the service's own, over the load balancer's own 5xx).

/** The dimensions that name one target group's metrics (`arnSuffix` of the target group and of the load balancer). */
export interface TargetGroupDimensions<T> {
    readonly targetGroup: T;
    readonly loadBalancer: T;
}

/** The thresholds, as resolved. */
export interface AlarmThresholds {
    readonly http5xxPercent: number;
    readonly p99LatencySeconds: number;
    readonly unhealthyHosts: number;
    readonly evaluationMinutes: number;
}

/** One query of a metric-math alarm, as `aws.cloudwatch.MetricAlarm` takes it. */
export interface MetricQuery<T> {
    readonly id: string;
    readonly expression?: string;
    readonly label?: string;
    readonly returnData: boolean;
    readonly metric?: {
        readonly namespace: string;
        readonly metricName: string;
        /** A target group's metrics carry both; the load balancer's own (HTTPCode_ELB_5XX_Count) only LoadBalancer. */
        readonly dimensions: { readonly TargetGroup?: T; readonly LoadBalancer: T };
        readonly period: number;
        readonly stat: string;
    };
}

/** A CloudWatch alarm: `suffix` names it after the service (`<name>-5xx`). */
export interface AlarmDefinition<T> {
    readonly suffix: string;
    readonly description: string;
    readonly comparisonOperator: string;
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    /** The load balancer publishes nothing while there are no requests: that is not a failure. */
    readonly treatMissingData: string;
    readonly metricQueries: MetricQuery<T>[];
}

const period = 60;

/** One load balancer metric, not returned by itself (an expression uses it). */
function elbMetric<T>(
    id: string,
    dimensions: { readonly TargetGroup?: T; readonly LoadBalancer: T },
    metricName: string,
    stat: string,
): MetricQuery<T> {
    return { id, returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, period, stat } };
}

/** One metric of one target group. */
const targetGroupMetric = <T>(id: string, group: TargetGroupDimensions<T>, metricName: string, stat: string) =>
    elbMetric(id, { TargetGroup: group.targetGroup, LoadBalancer: group.loadBalancer }, metricName, stat);

/**
 * The worse of the target groups' series: during a canary the new tasks serve from the alternate target group, and
 * a combined figure would dilute their errors by the old tasks' traffic.
 */
function worst<T>(label: string, perGroup: MetricQuery<T>[], seriesIds: string[]): MetricQuery<T>[] {
    if (seriesIds.length === 1) {
        return perGroup.map((q) => (q.id === seriesIds[0] ? { ...q, label, returnData: true } : q));
    }
    return [...perGroup, { id: "worst", expression: `MAX([${seriesIds.join(", ")}])`, label, returnData: true }];
}

/** One metric of the whole load balancer (it has no target group dimension). */
const loadBalancerMetric = <T>(id: string, loadBalancer: T, metricName: string) =>
    elbMetric(id, { LoadBalancer: loadBalancer }, metricName, "Sum");

/**
 * The load balancer's own 5xx (502/503/504 it answers itself, e.g. while new tasks fail their health checks) as a
 * share of its requests. CloudWatch has no target group dimension for it, so it cannot tell a canary from the old
 * tasks: it joins the 5xx alarm only when the load balancer serves this service alone. RequestCount leaves out the
 * requests refused before a target was chosen, so the share can pass 100 when nothing is healthy; it still alarms.
 */
function loadBalancer5xxRate<T>(loadBalancer: T): MetricQuery<T>[] {
    return [
        loadBalancerMetric("elbErrors", loadBalancer, "HTTPCode_ELB_5XX_Count"),
        loadBalancerMetric("elbRequests", loadBalancer, "RequestCount"),
        { id: "elbRate", expression: "100 * FILL(elbErrors, 0) / FILL(elbRequests, 1)", returnData: false },
    ];
}

function http5xxRate<T>(groups: TargetGroupDimensions<T>[], ownLoadBalancer?: T): MetricQuery<T>[] {
    const perGroup = groups.flatMap((group, i) => [
        targetGroupMetric(`errors${i + 1}`, group, "HTTPCode_Target_5XX_Count", "Sum"),
        targetGroupMetric(`requests${i + 1}`, group, "RequestCount", "Sum"),
        {
            id: `rate${i + 1}`,
            expression: `100 * FILL(errors${i + 1}, 0) / FILL(requests${i + 1}, 1)`,
            returnData: false,
        },
    ]);
    const own = ownLoadBalancer === undefined ? [] : loadBalancer5xxRate(ownLoadBalancer);
    return worst(
        "5xx responses (% of requests)",
        [...perGroup, ...own],
        [...groups.map((_, i) => `rate${i + 1}`), ...(own.length > 0 ? ["elbRate"] : [])],
    );
}

function perGroupSeries<T>(
    groups: TargetGroupDimensions<T>[],
    prefix: string,
    metricName: string,
    stat: string,
    label: string,
): MetricQuery<T>[] {
    const perGroup = groups.map((group, i) => targetGroupMetric(`${prefix}${i + 1}`, group, metricName, stat));
    return worst(
        label,
        perGroup,
        perGroup.map((q) => q.id),
    );
}

/**
 * The three alarms on a service's target groups (the two ECS shifts traffic between). `ownLoadBalancer` (the load
 * balancer's `arnSuffix`) is given when the load balancer serves this service alone: its own 5xx then count too.
 */
export function targetGroupAlarms<T>(
    groups: TargetGroupDimensions<T>[],
    thresholds: AlarmThresholds,
    ownLoadBalancer?: T,
): AlarmDefinition<T>[] {
    const common = {
        evaluationPeriods: thresholds.evaluationMinutes,
        datapointsToAlarm: thresholds.evaluationMinutes,
        treatMissingData: "notBreaching",
    };
    return [
        {
            ...common,
            suffix: "-5xx",
            description: `More than ${thresholds.http5xxPercent}% of requests answered 5xx for ${thresholds.evaluationMinutes} minutes.`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: thresholds.http5xxPercent,
            metricQueries: http5xxRate(groups, ownLoadBalancer),
        },
        {
            ...common,
            suffix: "-latency",
            description: `p99 response time above ${thresholds.p99LatencySeconds} s for ${thresholds.evaluationMinutes} minutes.`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: thresholds.p99LatencySeconds,
            metricQueries: perGroupSeries(groups, "latency", "TargetResponseTime", "p99", "p99 response time (s)"),
        },
        {
            ...common,
            suffix: "-unhealthy",
            description: `${thresholds.unhealthyHosts} or more unhealthy targets for ${thresholds.evaluationMinutes} minutes.`,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: thresholds.unhealthyHosts,
            metricQueries: perGroupSeries(groups, "unhealthy", "UnHealthyHostCount", "Maximum", "Unhealthy targets"),
        },
    ];
}

/**
 * The alarm on a shared load balancer's own 5xx: for the load balancer's owner to hear of them, rolling no service
 * back, since they cannot be told apart by service.
 */
export function loadBalancer5xxAlarm<T>(
    loadBalancer: T,
    thresholds: { readonly http5xxPercent: number; readonly evaluationMinutes: number },
): AlarmDefinition<T> {
    const queries = loadBalancer5xxRate(loadBalancer);
    return {
        suffix: "-elb-5xx",
        description: `The load balancer answered more than ${thresholds.http5xxPercent}% of requests with its own 5xx for ${thresholds.evaluationMinutes} minutes.`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: thresholds.http5xxPercent,
        evaluationPeriods: thresholds.evaluationMinutes,
        datapointsToAlarm: thresholds.evaluationMinutes,
        treatMissingData: "notBreaching",
        metricQueries: queries.map((q) =>
            q.id === "elbRate" ? { ...q, label: "Load balancer 5xx (% of requests)", returnData: true } : q,
        ),
    };
}
