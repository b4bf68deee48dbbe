// PowerShell user data that joins an ECS-optimized Windows instance to its cluster.

/**
 * PowerShell user data for an ECS-optimized Windows instance: joins the cluster with task IAM roles and task ENIs
 * (awsvpc) enabled, blocks task access to the instance metadata, and allows the awslogs driver.
 */
export function ecsWindowsUserData(clusterName: string): string {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) throw new Error(`invalid ECS cluster name ${clusterName}`);
    return [
        "<powershell>",
        "Import-Module ECSTools",
        `Initialize-ECSAgent -Cluster '${clusterName}' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'`,
        "</powershell>",
        "",
    ].join("\r\n");
}
