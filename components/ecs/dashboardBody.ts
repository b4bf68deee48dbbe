// The CloudWatch dashboard of an ECS service, as a pure function of the names of what it watches.

/** What the dashboard shows: the service in its cluster, its load balancer's target groups, its alarms. */
export interface DashboardSpec {
    readonly region: string;
    readonly clusterName: string;
    readonly serviceName: string;
    /** The load balancer's `arnSuffix`, when the service has one. */
    readonly loadBalancer?: string;
    /** The target groups' `arnSuffix`es (two when ECS shifts traffic between them). */
    readonly targetGroups: readonly string[];
    readonly alarmArns: readonly string[];
}

type MetricRow = (string | Record<string, string>)[];

/** A time-series widget; `x` and `y` place it on the dashboard's 24-column grid. */
function metricWidget(spec: DashboardSpec, title: string, metrics: MetricRow[], x: number, y: number, stat = "Sum") {
    return {
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, region: spec.region, view: "timeSeries", stat, period: 60, metrics },
    };
}

/** A Container Insights metric of the service. */
const service = (spec: DashboardSpec, metricName: string, stat?: string): MetricRow => [
    "ECS/ContainerInsights",
    metricName,
    "ClusterName",
    spec.clusterName,
    "ServiceName",
    spec.serviceName,
    ...(stat ? [{ stat }] : []),
];

/** One row per target group of a load balancer metric. */
const perTargetGroup = (spec: DashboardSpec, metricName: string, stat?: string): MetricRow[] =>
    spec.targetGroups.map((targetGroup) => [
        "AWS/ApplicationELB",
        metricName,
        "TargetGroup",
        targetGroup,
        "LoadBalancer",
        spec.loadBalancer ?? "",
        { label: String(targetGroup).split("/")[1] ?? targetGroup, ...(stat ? { stat } : {}) },
    ]);

/**
 * The dashboard body: CPU and memory and tasks and deployments from Container Insights; with a load balancer,
 * requests, 5xx and latency per target group; and the alarms' states.
 */
export function dashboardBody(spec: DashboardSpec): { widgets: object[] } {
    const widgets: object[] = [
        metricWidget(
            spec,
            "CPU and memory (used / reserved)",
            [
                service(spec, "CpuUtilized"),
                service(spec, "CpuReserved"),
                service(spec, "MemoryUtilized"),
                service(spec, "MemoryReserved"),
            ],
            0,
            0,
            "Average",
        ),
        metricWidget(
            spec,
            "Tasks and deployments",
            [
                service(spec, "RunningTaskCount"),
                service(spec, "PendingTaskCount"),
                service(spec, "DesiredTaskCount"),
                service(spec, "DeploymentCount"),
            ],
            12,
            0,
            "Maximum",
        ),
    ];
    if (spec.loadBalancer) {
        widgets.push(
            metricWidget(spec, "Requests", perTargetGroup(spec, "RequestCount"), 0, 6),
            metricWidget(spec, "5xx responses", perTargetGroup(spec, "HTTPCode_Target_5XX_Count"), 12, 6),
            metricWidget(spec, "Response time p99 (s)", perTargetGroup(spec, "TargetResponseTime", "p99"), 0, 12),
            metricWidget(spec, "Unhealthy targets", perTargetGroup(spec, "UnHealthyHostCount"), 12, 12, "Maximum"),
        );
    }
    if (spec.alarmArns.length > 0) {
        widgets.push({
            type: "alarm",
            x: 0,
            y: 18,
            width: 24,
            height: 3,
            properties: { title: "Deployment alarms", alarms: [...spec.alarmArns] },
        });
    }
    return { widgets };
}
