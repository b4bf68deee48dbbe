// ECS helpers: platform families, AMI parameters, Fargate sizes, the container definition and the EC2 user data.
import * as assert from "assert";
import {
    containerDefinition,
    ecsOptimizedAmiParameter,
    ecsWindowsUserData,
    fargateSizeProblem,
    operatingSystemFamily,
    readSecretsPolicy,
    secretResourceArn,
} from "../../components/ecs";
import { matchSnapshot } from "../support/files";

describe("ECS helpers", () => {
    it("maps releases to ECS operating system families and AMI parameters", () => {
        assert.strictEqual(operatingSystemFamily("ltsc2019"), "WINDOWS_SERVER_2019_CORE");
        assert.strictEqual(operatingSystemFamily("ltsc2022"), "WINDOWS_SERVER_2022_CORE");
        assert.strictEqual(operatingSystemFamily("ltsc2025"), "WINDOWS_SERVER_2025_CORE");
        assert.strictEqual(
            ecsOptimizedAmiParameter("ltsc2022"),
            "/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id",
        );
    });

    it("accepts exactly Fargate's Windows sizes", () => {
        for (const [cpu, memory] of [
            [1024, 2048],
            [1024, 8192],
            [2048, 4096],
            [2048, 16384],
            [4096, 8192],
            [4096, 30720],
        ]) {
            assert.strictEqual(fargateSizeProblem(cpu, memory), undefined, `${cpu}/${memory}`);
        }
        assert.strictEqual(fargateSizeProblem(512, 2048)?.argument, "cpu");
        assert.strictEqual(fargateSizeProblem(1024, 1024)?.argument, "memory");
        assert.strictEqual(fargateSizeProblem(1024, 9216)?.argument, "memory");
        assert.strictEqual(fargateSizeProblem(2048, 5000)?.argument, "memory");
        assert.strictEqual(fargateSizeProblem(4096, 31744)?.argument, "memory");
    });

    it("writes a container definition without the fields ECS rejects on Windows", () => {
        const definition = containerDefinition({
            name: "app",
            image: "repo@sha256:abc",
            port: 8080,
            cpu: 1024,
            memory: 2048,
            environment: { B: "2", A: "1" },
            secrets: { DB_PASSWORD: "arn:aws:ssm:us-east-1:1:parameter/db" },
            logGroup: "logs",
            region: "us-east-1",
            healthCheckCommand: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
        });
        assert.deepStrictEqual(definition, {
            name: "app",
            image: "repo@sha256:abc",
            essential: true,
            cpu: 1024,
            memory: 2048,
            portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
            environment: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
            ],
            secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/db" }],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": "logs", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" },
            },
            healthCheck: {
                command: ["CMD", "C:\\app\\hello.exe", "healthcheck"],
                interval: 30,
                timeout: 5,
                retries: 3,
                startPeriod: 120,
            },
        });
        for (const field of [
            "user",
            "privileged",
            "readonlyRootFilesystem",
            "linuxParameters",
            "links",
            "extraHosts",
            "dnsServers",
            "ulimits",
        ]) {
            assert.ok(!(field in definition), field);
        }
    });

    it("joins the cluster with task IAM roles and task ENIs, awslogs allowed with the execution role (user data snapshot)", () => {
        const userData = ecsWindowsUserData("api-cluster-1234");
        assert.match(userData, /Initialize-ECSAgent -Cluster 'api-cluster-1234' -EnableTaskIAMRole -EnableTaskENI/);
        const lines = userData.split("\r\n");
        const override = lines.indexOf(
            '[Environment]::SetEnvironmentVariable("ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE", $TRUE, "Machine")',
        );
        assert.ok(override > 0, "the awslogs execution role override is set");
        assert.ok(
            override < lines.findIndex((l) => l.startsWith("Initialize-ECSAgent")),
            "before the agent starts, which reads it once",
        );
        matchSnapshot("ecs-windows-userdata.ps1", userData);
        assert.throws(() => ecsWindowsUserData("x'; Remove-Item C:\\ -Recurse; '"), /invalid ECS cluster name/);
    });

    it("lets the execution role read exactly the given parameters and secrets, each with its own service's action", () => {
        const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/hello/prod/greeting";
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hello/prod/api-token-AbCdEf";
        assert.strictEqual(
            secretResourceArn(`${secret}:token::`),
            secret,
            "a JSON key is not part of the secret's ARN",
        );
        assert.strictEqual(secretResourceArn(parameter), parameter);
        assert.deepStrictEqual(JSON.parse(readSecretsPolicy([`${secret}:token::`, parameter, secret])), {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "ssm:GetParameters", Resource: [parameter] },
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secret] },
            ],
        });
        assert.deepStrictEqual(JSON.parse(readSecretsPolicy([parameter])).Statement.length, 1);
    });
});
