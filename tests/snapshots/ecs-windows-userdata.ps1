<powershell>
Import-Module ECSTools
[Environment]::SetEnvironmentVariable("ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE", $TRUE, "Machine")
Initialize-ECSAgent -Cluster 'api-cluster-1234' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'
</powershell>
