// The program's lifecycle, stack by stack, against a stand-in cloud that enforces what the real ones do: repository
// names unique per account and region, immutable tags refusing a second push, non-empty repositories refusing
// deletion, and a build provider that rebuilds on its own diff and previews without building.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FakeCloud, FakeStack, RunResult, checkout } from "../support/fakeCloud";
import { changeOneLineOfGo, tempDir } from "../support/files";
import { stackFiles } from "../support/program";

const stackName = (file: string) => file.replace(/^Pulumi\.|\.yaml$/g, "");
/** The hosts' resources that a new image changes: an ECS task definition gets a new revision, a container group updates. */
const hosts: Record<string, string> = {
    "aws:ecs/taskDefinition:TaskDefinition": "replace",
    "azure-native:containerinstance:ContainerGroup": "update",
};
const build = "docker-build:index:Image";
/** The resource that builds and pushes: docker-build's image, or the daemonless strategy's (the local stack's). */
const builders = [build, "pulumi-nodejs:dynamic/go-windows-containers:DaemonlessWindowsImage"];

function newStack(cloud: FakeCloud, file: string, name = stackName(file)): FakeStack {
    return new FakeStack(cloud, name, file, checkout(tempDir(`stack-${name}`)));
}

function ok(result: RunResult, what: string): RunResult {
    assert.deepStrictEqual(result.failures, [], what);
    return result;
}

const ops = (result: RunResult, type: string | string[]) =>
    result.steps.filter((s) => [type].flat().includes(s.type)).map((s) => s.op);

/** A one-line change to the service's Go code. */
function editGo(stack: FakeStack): void {
    changeOneLineOfGo(path.join(stack.workDir, "app"));
}

/** What another machine's checkout looks like to docker-build: the same files with other permission bits. */
function otherFileModes(stack: FakeStack): void {
    for (const file of ["main.go", "go.mod"]) fs.chmodSync(path.join(stack.workDir, "app", file), 0o600);
}

describe("the program's lifecycle in one account", function () {
    this.timeout(120000);

    for (const file of stackFiles()) {
        it(`${stackName(file)}: create, no-op update, update after a change, a second stack, destroy`, async () => {
            const cloud = new FakeCloud();
            const stack = newStack(cloud, file);
            const created = ok(await stack.up(), "create");
            assert.ok(created.steps.every((s) => s.op === "create"));

            const again = ok(await stack.up(), "no-op update");
            assert.deepStrictEqual(
                again.steps.filter((s) => s.op !== "same"),
                [],
                "nothing changes, nothing is pushed",
            );
            assert.strictEqual(again.exports.imageRef, created.exports.imageRef);

            editGo(stack);
            const changed = ok(await stack.up(), "update after a change");
            // Every image is rebuilt (one, or one per release of an index).
            assert.deepStrictEqual([...new Set(ops(changed, builders))], ["update"]);
            assert.notStrictEqual(changed.exports.imageRef, created.exports.imageRef);
            for (const [host, op] of Object.entries(hosts))
                if (ops(created, host).length) assert.deepStrictEqual(ops(changed, host), [op]);

            const second = newStack(cloud, file, `${stackName(file)}-copy`);
            ok(await second.up(), "a second stack of the same file in the same account");

            for (const s of [stack, second]) {
                const destroyed = ok(await s.destroy(), `destroy ${s.name}`);
                assert.ok(destroyed.steps.length > 0);
            }
        });
    }

    it("asks no two stacks for the same physical name (AWS stacks in one account and region, Azure in one subscription)", async () => {
        const cloud = new FakeCloud();
        for (const file of stackFiles()) ok(await newStack(cloud, file).up(), file);
        assert.deepStrictEqual(cloud.collisions(), []);
    });
});

describe("updates that rebuild without a content change", function () {
    this.timeout(120000);
    const ecrStack = "Pulumi.fargate-dev.yaml";

    async function rebuiltWithoutChange(file: string, perturb: (stack: FakeStack) => Record<string, string>) {
        const cloud = new FakeCloud();
        const stack = newStack(cloud, file);
        const before = ok(await stack.up(), "create");
        const after = await stack.up({ config: perturb(stack) });
        return { before, after, stack, cloud };
    }

    const perturbations: [string, (stack: FakeStack) => Record<string, string>][] = [
        ["another buildx builder", () => ({ "go-windows-containers:builderName": "other-builder" })],
        [
            "a docker-build upgrade that hashes contexts differently",
            (stack) => {
                stack.cloud.buildProviderVersion = "0.0.23";
                return {};
            },
        ],
    ];
    for (const [what, perturb] of perturbations) {
        it(`pushes the same content tag again after ${what}, and hosts do not roll`, async () => {
            const { before, after } = await rebuiltWithoutChange(ecrStack, perturb);
            ok(after, what);
            assert.deepStrictEqual(ops(after, build), ["update"], "docker-build rebuilds");
            assert.strictEqual(after.exports.imageRef, before.exports.imageRef, "same inputs, same digest");
            assert.deepStrictEqual(
                ops(after, "aws:ecs/taskDefinition:TaskDefinition"),
                ["same"],
                "the task definition does not change",
            );
        });
    }

    it("does not rebuild at all for a checkout with other file modes: the staged context has fixed modes", async () => {
        const { before, after } = await rebuiltWithoutChange(ecrStack, (stack) => {
            otherFileModes(stack);
            return {};
        });
        ok(after, "other file modes");
        assert.deepStrictEqual(ops(after, build), ["same"]);
        assert.strictEqual(after.exports.imageRef, before.exports.imageRef);
    });

    it("gets past a run that was interrupted after its push", async () => {
        const cloud = new FakeCloud();
        const stack = newStack(cloud, ecrStack);
        cloud.interruptNextBuild = true;
        const interrupted = await stack.up();
        assert.match(interrupted.failures.join("\n"), /interrupted after the push/);
        assert.strictEqual(stack.stateOf(build, "hello-image"), undefined, "the engine recorded no image");
        ok(await stack.up(), "the next run builds and pushes the same tag again");
    });
});

describe("destroy", function () {
    this.timeout(120000);

    it("completes on an ECR stack and keeps the repository with its images", async () => {
        const cloud = new FakeCloud();
        const stack = newStack(cloud, "Pulumi.fargate-dev.yaml");
        const created = ok(await stack.up(), "create");
        const repositoryUrl = String(created.exports.repositoryUrl);
        const destroyed = ok(await stack.destroy(), "destroy");
        assert.deepStrictEqual(
            destroyed.steps.filter((s) => s.op === "retain").map((s) => s.type),
            [build, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/repository:Repository"],
        );
        assert.ok(cloud.hasRepository(repositoryUrl), "the repository is kept");
        assert.strictEqual(cloud.tagsOf(repositoryUrl)?.size, 1, "with its image");
        assert.match(String(created.exports.retainedOnDestroy), /aws ecr delete-repository --repository-name/);
    });
});

describe("previews", function () {
    this.timeout(120000);

    it("fargate-dev: an update previewed without building has an unknown imageRef, not an error", async () => {
        const cloud = new FakeCloud();
        const stack = newStack(cloud, "Pulumi.fargate-dev.yaml");
        ok(await stack.up(), "create");
        // Nothing the image depends on changed, but docker-build's own diff sees a change.
        cloud.buildProviderVersion = "0.0.23";
        const preview = ok(await stack.up({ preview: true }), "preview");
        assert.deepStrictEqual(ops(preview, build), ["update"]);
        assert.ok(preview.unknown.includes("imageRef"), `unknown: ${preview.unknown.join(", ")}`);
    });

    it("local (daemonless): a preview of a Go change updates the image, pushes nothing and shows an unknown imageRef", async () => {
        const cloud = new FakeCloud();
        const stack = newStack(cloud, "Pulumi.local.yaml");
        const created = ok(await stack.up(), "create");
        editGo(stack);
        const preview = ok(await stack.up({ preview: true }), "preview");
        assert.deepStrictEqual(ops(preview, builders), ["update"]);
        assert.ok(preview.unknown.includes("imageRef"), `unknown: ${preview.unknown.join(", ")}`);
        const same = ok(await stack.up({ config: {} }), "the update");
        assert.notStrictEqual(same.exports.imageRef, created.exports.imageRef);
        const again = ok(await stack.up(), "no-op update");
        assert.deepStrictEqual(
            ops(again, builders),
            ["same"],
            "its provider's diff: nothing that decides the image changed",
        );
    });

    it("still refuses a missing digest during an update", async () => {
        const { imageReference } = await import("../../components/image/build");
        assert.throws(() => imageReference("localhost:5000/api", "", false), /reported no image digest/);
    });
});
