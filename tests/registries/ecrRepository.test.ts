// The ECR repository across updates, as the engine and AWS treat it: a changed `kmsKeyArn` replaces the repository
// (the AWS provider's encryption_configuration is ForceNew), names are unique per account, kept repositories stay.
import * as assert from "assert";
import { GoWindowsImage, GoWindowsImageArgs } from "../../components";
import { FakeCloud } from "../support/fakeCloud";
import * as mocks from "../support/mocks";

const repositoryType = "aws:ecr/repository:Repository";
const keyA = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-0000-0000-0000-000000000000";
const keyB = "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-0000-0000-0000-000000000000";

/**
 * The engine and AWS for ECR repositories over several runs: the engine applies `ignoreChanges` and replaces a
 * repository whose name or encryption changed by creating the new one first (the old one, kept, stays); the account
 * refuses a second repository of one name, and describes the repositories it holds with their keys.
 */
class EcrEngine {
    readonly cloud = new FakeCloud();
    readonly state = new Map<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>();
    readonly steps: string[] = [];
    readonly failures: string[] = [];

    readonly engine: mocks.FakeEngine = (request) => {
        if (request.type !== repositoryType) return undefined;
        const prior = this.state.get(request.name);
        const ignored = mocks.resources.find((r) => r.type === request.type && r.name === request.name)?.ignoreChanges;
        const inputs = { ...request.inputs };
        const outputs = { ...request.outputs };
        for (const property of ignored ?? [])
            if (prior) [inputs[property], outputs[property]] = [prior.inputs[property], prior.outputs[property]];
        const replaced = prior
            ? ["name", "encryptionConfigurations"].filter(
                  (p) => JSON.stringify(prior.inputs[p]) !== JSON.stringify(inputs[p]),
              )
            : [];
        if (prior && replaced.length === 0) {
            this.steps.push(`same ${request.name}`);
            return { ...prior.outputs, ...outputs };
        }
        try {
            // A named repository's replacement asks for the same name (no random suffix), which the account refuses
            // while the old one exists.
            const entry = { urn: `urn:${request.name}`, type: request.type, name: request.name, inputs, outputs };
            this.cloud.create("stack", { ...entry, retainOnDelete: true, generation: 0, physicalId: request.name });
        } catch (e) {
            this.failures.push(`creating ${inputs.name}: ${(e as Error).message}`);
            return prior?.outputs ?? outputs;
        }
        this.steps.push(`${prior ? "replace" : "create"} ${request.name}`);
        this.state.set(request.name, { inputs, outputs });
        return outputs;
    };

    /** One run of the program with `ecr`; the repository URL, or the error the component gave. */
    async run(ecr: GoWindowsImageArgs["ecr"]): Promise<string> {
        mocks.setupMocks(false, "dev", this.engine);
        for (const { inputs } of this.state.values()) {
            const [encryption] = inputs.encryptionConfigurations as { kmsKey?: string }[];
            mocks.ecrRepositories.set(String(inputs.name), { kmsKey: encryption.kmsKey ?? "aws-managed" });
        }
        const image = new GoWindowsImage("api", { context: "app", ecr });
        const url = await (image.repositoryUrl as unknown as { promise(): Promise<string> }).promise().then(
            (value) => value,
            (e: Error) => `error: ${e.message}`,
        );
        await mocks.settle().catch(() => undefined);
        return url;
    }
}

describe("an ECR repository whose kmsKeyArn changes", () => {
    it("is refused for a named repository, saying what to do, instead of a replacement ECR would refuse", async () => {
        const aws = new EcrEngine();
        const first = await aws.run({ repositoryName: "team/api", kmsKeyArn: keyA });
        assert.match(first, /dkr\.ecr\.us-east-1\.amazonaws\.com\/team\/api$/);
        const second = await aws.run({ repositoryName: "team/api", kmsKeyArn: keyB });
        assert.match(
            second,
            /`ecr.kmsKeyArn` is "arn:aws:kms:.*bbbbbbbb.*"; the repository team\/api \(`ecr.repositoryName`\) is encrypted with arn:aws:kms:.*aaaaaaaa.*RepositoryAlreadyExistsException.*Set `ecr.kmsKeyArn` back to .*aaaaaaaa.*give a new `ecr.repositoryName`/,
        );
        assert.deepStrictEqual(aws.failures, [], "refused before any change: no failed create");
        assert.deepStrictEqual(aws.steps, ["create api-repo"], "the second run changes nothing");
    });

    it("keeps a named repository's key when kmsKeyArn is unchanged or left out", async () => {
        const aws = new EcrEngine();
        await aws.run({ repositoryName: "team/api", kmsKeyArn: keyA });
        assert.doesNotMatch(await aws.run({ repositoryName: "team/api", kmsKeyArn: keyA }), /^error/);
        assert.doesNotMatch(await aws.run({ repositoryName: "team/api" }), /^error/);
    });

    it("moves to the new key under a new name: a new repository, the old one kept", async () => {
        const aws = new EcrEngine();
        await aws.run({ repositoryName: "team/api", kmsKeyArn: keyA });
        const moved = await aws.run({ repositoryName: "team/api-v2", kmsKeyArn: keyB });
        assert.match(moved, /\/team\/api-v2$/);
        assert.deepStrictEqual(aws.failures, []);
        assert.ok(aws.cloud.hasRepository(moved.replace(/-v2$/, "")), "the old repository is kept");
    });

    it("fails as AWS does without the check: the replacement's create under the kept name", async () => {
        const aws = new EcrEngine();
        await aws.run({ repositoryName: "team/api", kmsKeyArn: keyA });
        mocks.setupMocks(false, "dev", aws.engine);
        new GoWindowsImage("api", { context: "app", ecr: { repositoryName: "team/api", kmsKeyArn: keyB } });
        await mocks.settle().catch(() => undefined);
        assert.match(
            aws.failures.join(),
            /creating team\/api: .*already exists/,
            "the stand-in refuses it as ECR does",
        );
    });

    it("replaces an auto-named repository: its replacement takes a new auto-name, so nothing is refused", async () => {
        const aws = new EcrEngine();
        const first = await aws.run({ kmsKeyArn: keyA });
        assert.doesNotMatch(first, /^error/);
        assert.deepStrictEqual(
            mocks.calls.filter((c) => c.token.startsWith("aws:ecr/getRepositor")),
            [],
        );
    });
});
