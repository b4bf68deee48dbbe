// PowerShell user data that joins an ECS-optimized Windows instance to its cluster.

/**
 * PowerShell user data for an ECS-optimized Windows instance: joins the cluster with task IAM roles and task ENIs
 * (awsvpc) enabled, blocks task access to the instance metadata, and allows the awslogs driver. Windows tasks that
 * log with awslogs through the execution role also need ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE set on the instance
 * before the agent starts ("Bootstrapping Amazon ECS Windows container instances to pass data", ECS Developer Guide,
 * docs.aws.amazon.com/AmazonECS/latest/developerguide/bootstrap_windows_container_instance.html).
 */
export function ecsWindowsUserData(clusterName: string): string {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) throw new Error(`invalid ECS cluster name ${clusterName}`);
    return [
        "<powershell>",
        "Import-Module ECSTools",
        '[Environment]::SetEnvironmentVariable("ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE", $TRUE, "Machine")',
        `Initialize-ECSAgent -Cluster '${clusterName}' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'`,
        "</powershell>",
        "",
    ].join("\r\n");
}
