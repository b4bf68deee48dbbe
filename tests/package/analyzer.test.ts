// The SDK's component analyzer turns the package into the schema other languages use: every argument and output, described.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import * as library from "../../components";
import { GoWindowsImage } from "../../components";
import { exportedClassNames } from "../support/components";
import { repoRoot } from "../support/files";
import * as mocks from "../support/mocks";

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));

interface SchemaProperty {
    description?: string;
    $ref?: string;
    items?: SchemaProperty;
}

describe("component schema", function () {
    this.timeout(120000);
    let schema: ReturnType<Analyzer["analyze"]>;
    before(() => {
        schema = new Analyzer(repoRoot, packageJson.name, packageJson, new Set(exportedClassNames(library))).analyze();
    });

    it("has GoWindowsImage with every argument, each described", () => {
        const inputs = schema.components.GoWindowsImage.inputs as Record<string, SchemaProperty>;
        assert.deepStrictEqual(Object.keys(inputs).sort(), [
            "acr",
            "args",
            "baseImage",
            "baseImageRef",
            "baseImageRefs",
            "baseImageRegistries",
            "buildOnPreview",
            "buildTags",
            "builderImageRef",
            "builderName",
            "cgo",
            "context",
            "ecr",
            "env",
            "goEnv",
            "goVersion",
            "healthCheck",
            "ldflags",
            "module",
            "moduleAuth",
            "package",
            "ports",
            "registry",
            "registryCache",
            "revision",
            "runtimeSetup",
            "source",
            "strategy",
            "trackBaseImages",
            "version",
            "versionVariable",
            "windowsVersion",
            "windowsVersions",
        ]);
        for (const [name, prop] of Object.entries(inputs))
            assert.ok(prop.description && prop.description.length > 10, `${name} is described`);
    });

    it("has every output, each described", () => {
        const outputs = schema.components.GoWindowsImage.outputs as Record<string, SchemaProperty>;
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
            "acrRegistryId",
            "baseImage",
            "baseImageDigest",
            "contextHash",
            "dockerfile",
            "healthCheckCommand",
            "imageRef",
            "registryServer",
            "releases",
            "repositoryUrl",
            "retainedOnDestroy",
            "tag",
            "windowsBuild",
            "windowsOsVersion",
            "windowsVersion",
            "windowsVersions",
        ]);
        for (const [name, prop] of Object.entries(outputs)) assert.ok(prop.description, `${name} is described`);
    });

    it("describes every property of the nested argument types", () => {
        const types = schema.typeDefinitions as Record<string, { properties?: Record<string, SchemaProperty> }>;
        assert.deepStrictEqual(Object.keys(types).sort(), [
            "AcrPrivateEndpointArgs",
            "AcrRegistryArgs",
            "BaseImageRegistryArgs",
            "EcrRepositoryArgs",
            "EcsAlarmsArgs",
            "EcsChaosDrillArgs",
            "EcsDeploymentArgs",
            "EcsEc2CapacityArgs",
            "EcsListenerArgs",
            "EcsLoadBalancerAlarmArgs",
            "EcsLoadBalancerArgs",
            "EcsSmokeCheckArgs",
            "EcsTestGateArgs",
            "EcsTestListenerArgs",
            "EcsTracesArgs",
            "ExistingRegistryArgs",
            "GoEnvArgs",
            "GoModuleAuthArgs",
            "GoWindowsImageHealthCheckArgs",
            "GoWindowsImageRelease",
            "WindowsContainerGroupAlertsArgs",
            "WindowsContainerGroupRoleArgs",
        ]);
        for (const [typeName, type] of Object.entries(types)) {
            for (const [name, prop] of Object.entries(type.properties ?? {}))
                assert.ok(prop.description, `${typeName}.${name} is described`);
        }
    });

    const hosts: [string, string[], string[]][] = [
        [
            "AzureContainerRegistry",
            [
                "forceDelete",
                "location",
                "privateEndpoint",
                "publicNetworkAccess",
                "registryName",
                "resourceGroupName",
                "retentionDays",
                "sku",
                "zoneRedundancy",
            ],
            ["loginServer", "registryId", "registryName", "retainedOnDestroy"],
        ],
        ["EcrAccountSettings", ["nativeBasicScanning"], ["basicScanTypeVersion"]],
        ["XrayTransactionSearch", ["policyName"], ["destination", "policyName"]],
        [
            "EcsWindowsService",
            [
                "alarms",
                "assignPublicIp",
                "capacity",
                "capacityProviderName",
                "chaosDrill",
                "clusterArn",
                "cpu",
                "dashboard",
                "deployment",
                "desiredCount",
                "ec2",
                "environment",
                "healthCheckCommand",
                "hostWindowsVersion",
                "imageRef",
                "ingressCidrBlocks",
                "listener",
                "loadBalancer",
                "logRetentionDays",
                "memory",
                "port",
                "secrets",
                "subnetIds",
                "taskPolicy",
                "taskPolicyArns",
                "traces",
                "vpcId",
                "windowsVersion",
                "windowsVersions",
            ],
            [
                "alarmArns",
                "capacityProviderName",
                "chaosExperimentTemplateId",
                "chaosStopAlarmName",
                "clusterArn",
                "clusterName",
                "collectorImageRef",
                "dashboardName",
                "executionRoleArn",
                "executionRoleName",
                "listenerArn",
                "listenerRuleArn",
                "loadBalancerArn",
                "loadBalancerDnsName",
                "loadBalancerZoneId",
                "logGroupName",
                "operatingSystemFamily",
                "rollbackAlarmNames",
                "securityGroupId",
                "serviceName",
                "smokeTestFunctionName",
                "smokeTestLogGroupName",
                "targetGroupArns",
                "taskDefinitionArn",
                "taskRoleArn",
                "taskRoleName",
                "testListenerRuleArn",
                "testListenerUrl",
                "url",
            ],
        ],
        [
            "EcsWindowsCluster",
            [
                "amiId",
                "desiredCapacity",
                "instanceSecurityGroupIds",
                "instanceType",
                "maxSize",
                "minSize",
                "subnetIds",
                "vpcId",
                "windowsVersion",
            ],
            [
                "autoScalingGroupArn",
                "autoScalingGroupName",
                "capacityProviderName",
                "clusterArn",
                "clusterName",
                "instanceRoleArn",
                "instanceRoleName",
                "instanceSecurityGroupIds",
                "launchTemplateId",
                "windowsVersion",
            ],
        ],
        [
            "EcsApplicationLoadBalancer",
            [
                "alarms",
                "certificateArn",
                "deletionProtection",
                "httpOnly",
                "httpPort",
                "httpsPort",
                "ingressCidrBlocks",
                "internal",
                "sslPolicy",
                "subnetIds",
                "testListener",
                "vpcId",
            ],
            [
                "alarmArn",
                "arnSuffix",
                "dnsName",
                "httpListenerArn",
                "httpsListenerArn",
                "listenerArn",
                "loadBalancerArn",
                "securityGroupId",
                "testClientSecurityGroupId",
                "testListenerArn",
                "testListenerUrl",
                "url",
                "zoneId",
            ],
        ],
        [
            "WindowsContainerGroup",
            [
                "alerts",
                "cpu",
                "dnsNameLabel",
                "environment",
                "imageRef",
                "location",
                "logAnalyticsWorkspaceId",
                "logRetentionDays",
                "memoryGb",
                "ports",
                "pullRetries",
                "registryId",
                "registryServer",
                "resourceGroupName",
                "restartPolicy",
                "roleAssignments",
                "secureEnvironment",
                "subnetId",
                "windowsVersion",
                "windowsVersions",
            ],
            [
                "alertRuleIds",
                "containerGroupId",
                "fqdn",
                "identityClientId",
                "identityId",
                "identityPrincipalId",
                "ipAddress",
                "logAnalyticsWorkspaceId",
                "roleAssignmentIds",
                "url",
            ],
        ],
    ];
    for (const [name, inputNames, outputNames] of hosts) {
        it(`has ${name} with every argument and output, each described`, () => {
            const inputs = schema.components[name].inputs as Record<string, SchemaProperty>;
            const outputs = schema.components[name].outputs as Record<string, SchemaProperty>;
            assert.deepStrictEqual(Object.keys(inputs).sort(), inputNames);
            assert.deepStrictEqual(Object.keys(outputs).sort(), outputNames);
            for (const [prop, value] of [...Object.entries(inputs), ...Object.entries(outputs)])
                assert.ok(value.description, `${name}.${prop} is described`);
        });
    }

    it("describes every component the package exports, each argument and output described", () => {
        assert.deepStrictEqual(Object.keys(schema.components).sort(), exportedClassNames(library));
        assert.ok(Object.keys(schema.components).includes("AzureContainerRegistry"));
        for (const [name, component] of Object.entries(schema.components)) {
            const properties = { ...component.inputs, ...component.outputs } as Record<string, SchemaProperty>;
            for (const [prop, value] of Object.entries(properties))
                assert.ok(value.description, `${name}.${prop} is described`);
        }
    });

    it("registers the component under <package>:index:GoWindowsImage", async () => {
        mocks.setupMocks();
        new GoWindowsImage("token", { context: "app", registry: { server: "localhost:5000" } });
        await mocks.settle();
        assert.strictEqual(mocks.resources[0].type, `${packageJson.name}:index:GoWindowsImage`);
    });
});
