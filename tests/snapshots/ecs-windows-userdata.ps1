<powershell>
Import-Module ECSTools
Initialize-ECSAgent -Cluster 'api-cluster-1234' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'
</powershell>
