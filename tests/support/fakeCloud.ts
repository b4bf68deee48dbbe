// A stand-in for the engine and the clouds behind it, for lifecycle tests: stacks create, update, preview and destroy
// the program against accounts that enforce the documented constraints, and the build provider behaves as its source
// does (research notes in docs/guides/lifecycle.md).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { contextFiles } from "../../components/image";
import { explicitNameProperties, physicalName } from "./autonaming";
import { repoRoot } from "./files";
import * as mocks from "./mocks";
import { stackConfig } from "./program";

/** What the engine does to a resource in one run. */
export type Operation = "create" | "update" | "same" | "delete" | "retain";

export interface Step {
    readonly op: Operation;
    readonly type: string;
    readonly name: string;
}

interface StateEntry {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly retainOnDelete: boolean;
}

/** The RPC protocol's marker for a value that is unknown during a preview. */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const dockerBuild = "docker-build:index:Image";
const ecrRepository = "aws:ecr/repository:Repository";

/** Physical names that two stacks may share without an error: task families take interleaved revisions. */
const sharedNamesAllowed = new Set(Object.keys(explicitNameProperties));

interface Repository {
    readonly url: string;
    readonly owner: string;
    mutability: string;
    exclusions: string[];
    forceDelete: boolean;
    readonly tags: Map<string, string>;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * docker-build's own context hash: contents, paths and file modes (permission bits), as its `hashBuildContext`;
 * `version` stands for the provider's version, whose hashing may change between releases.
 */
export function providerContextHash(location: string, version: string): string {
    const hash = crypto.createHash("sha256").update(version);
    for (const rel of contextFiles(location)) {
        const file = path.join(location, rel);
        hash.update(fs.readFileSync(file));
        hash.update(rel);
        hash.update((fs.statSync(file).mode & 0o777).toString(8));
    }
    return hash.digest("hex");
}

/** A reproducible build: the digest follows only what decides the image, never modes or the machine. */
function reproducibleDigest(inputs: Record<string, unknown>): string {
    const location = String((inputs.context as { location?: string } | undefined)?.location);
    const files = contextFiles(location).map((rel) => [rel, sha256(fs.readFileSync(path.join(location, rel), "utf8"))]);
    return `sha256:${sha256(JSON.stringify([inputs.dockerfile, inputs.buildArgs, inputs.platforms, files]))}`;
}

/** Inputs as docker-build's diff compares them: registry passwords are ignored. */
function dockerBuildDiffInputs(inputs: Record<string, unknown>): string {
    const registries = ((mocks.unwrapSecrets(inputs.registries) as Record<string, unknown>[] | undefined) ?? []).map(
        ({ address, username }) => ({ address, username }),
    );
    return JSON.stringify({ ...inputs, registries });
}

const tagMatches = (tag: string, filter: string) =>
    new RegExp(
        `^${filter
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    ).test(tag);

/** One cloud: AWS accounts and Azure subscriptions that the stacks of a test share. */
export class FakeCloud {
    /** `type|physical name` → the stacks that hold a resource of that name. */
    private readonly names = new Map<string, Set<string>>();
    private readonly repositories = new Map<string, Repository>();
    /** Set by a test: the next push succeeds, then the build fails before the engine records it (a killed run). */
    interruptNextBuild = false;
    /** The build provider's version: an upgrade may hash contexts differently and so rebuild everything once. */
    buildProviderVersion = "0.0.22";

    /** Physical names that more than one stack asks for. */
    collisions(): string[] {
        return [...this.names.entries()].filter(([, stacks]) => stacks.size > 1).map(([key]) => key);
    }

    /** The tags a repository holds, `tag → digest`. */
    tagsOf(repositoryUrl: string): Map<string, string> | undefined {
        return this.repositories.get(repositoryUrl)?.tags;
    }

    hasRepository(repositoryUrl: string): boolean {
        return this.repositories.has(repositoryUrl);
    }

    create(stack: string, type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>): void {
        const name = physicalName(type, inputs);
        if (name !== undefined) {
            const key = `${type}|${name}`;
            const holders = this.names.get(key) ?? new Set<string>();
            if (holders.size > 0 && !sharedNamesAllowed.has(type))
                throw new Error(`${type} ${name} already exists (held by ${[...holders].join(", ")})`);
            this.names.set(key, holders.add(stack));
        }
        if (type === ecrRepository) this.createRepository(stack, inputs, outputs);
    }

    update(type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>): void {
        const repository = type === ecrRepository && this.repositories.get(String(outputs.repositoryUrl));
        if (repository) {
            repository.mutability = String(inputs.imageTagMutability ?? "MUTABLE");
            repository.exclusions = exclusionsOf(inputs);
            repository.forceDelete = inputs.forceDelete === true;
        }
    }

    delete(stack: string, type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>): void {
        if (type === ecrRepository) {
            const repository = this.repositories.get(String(outputs.repositoryUrl));
            if (repository && repository.tags.size > 0 && !repository.forceDelete)
                throw new Error(
                    `RepositoryNotEmptyException: ${repository.url} cannot be deleted because it still contains images`,
                );
            this.repositories.delete(String(outputs.repositoryUrl));
        }
        const name = physicalName(type, inputs);
        if (name !== undefined) this.names.get(`${type}|${name}`)?.delete(stack);
    }

    /** Builds and pushes every tag; an immutable repository refuses a tag it holds, whatever the digest. */
    build(inputs: Record<string, unknown>): string {
        const digest = reproducibleDigest(inputs);
        for (const tagged of (inputs.tags as string[] | undefined) ?? []) {
            const at = tagged.lastIndexOf(":");
            const [url, tag] = [tagged.slice(0, at), tagged.slice(at + 1)];
            // Registries the program does not create (localhost:5000, ACR repositories) are mutable.
            const repository = this.repositories.get(url) ?? this.addRepository(url, "external", "MUTABLE", [], true);
            const excluded = repository.exclusions.some((f) => tagMatches(tag, f));
            const immutable =
                repository.mutability === "IMMUTABLE" ||
                (repository.mutability === "IMMUTABLE_WITH_EXCLUSION" && !excluded);
            if (immutable && repository.tags.has(tag)) {
                throw new Error(
                    `ImageTagAlreadyExistsException: the image tag '${tag}' already exists in the '${url}' repository and cannot be overwritten because the repository is immutable`,
                );
            }
            repository.tags.set(tag, digest);
        }
        if (this.interruptNextBuild) {
            this.interruptNextBuild = false;
            throw new Error("the run was interrupted after the push");
        }
        return digest;
    }

    private createRepository(stack: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>): void {
        const url = String(outputs.repositoryUrl);
        const mutability = String(inputs.imageTagMutability ?? "MUTABLE");
        this.addRepository(url, stack, mutability, exclusionsOf(inputs), inputs.forceDelete === true);
    }

    private addRepository(url: string, owner: string, mutability: string, exclusions: string[], forceDelete: boolean) {
        const repository: Repository = { url, owner, mutability, exclusions, forceDelete, tags: new Map() };
        this.repositories.set(url, repository);
        return repository;
    }
}

function exclusionsOf(inputs: Record<string, unknown>): string[] {
    const filters = (inputs.imageTagMutabilityExclusionFilters as { filter: string }[] | undefined) ?? [];
    return filters.map((f) => f.filter);
}

/** The result of one run: its steps, the program's exports, and what failed. */
export interface RunResult {
    readonly steps: Step[];
    /** Exports, undefined where unknown (a preview). */
    readonly exports: Record<string, unknown>;
    /** Exports whose value is unknown. */
    readonly unknown: string[];
    /** Errors: from the cloud (a refused create, push or delete) and from the program. */
    readonly failures: string[];
}

/** Internal parts of an Output the engine reads: its value, with unknowns, or its error. */
/** A stack of the program: its config, its state, and the cloud it deploys to. */
export class FakeStack {
    private state = new Map<string, StateEntry>();
    private readonly order: string[] = [];
    readonly config: Record<string, string>;

    /** `workDir` holds the program's `app/` (a copy the test may change); `stackFile` gives the config. */
    constructor(
        readonly cloud: FakeCloud,
        readonly name: string,
        stackFile: string,
        readonly workDir: string,
    ) {
        this.config = stackConfig(stackFile);
    }

    /** `pulumi up` (or `pulumi preview`): runs the program, diffs against the state, applies to the cloud. */
    async up(options: { preview?: boolean; config?: Record<string, string> } = {}): Promise<RunResult> {
        const preview = options.preview ?? false;
        const steps: Step[] = [];
        const failures: string[] = [];
        const seen = new Set<string>();
        const next = new Map<string, StateEntry>();
        const engine: mocks.FakeEngine = (request) => {
            const key = `${request.type}::${request.name}`;
            seen.add(key);
            try {
                const { op, outputs } = this.step(request, preview);
                steps.push({ op, type: request.type, name: request.name });
                const retainOnDelete =
                    mocks.resources.find((r) => `${r.type}::${r.name}` === key)?.retainOnDelete ?? false;
                next.set(key, {
                    type: request.type,
                    name: request.name,
                    inputs: request.inputs,
                    outputs,
                    retainOnDelete,
                });
                return outputs;
            } catch (e) {
                failures.push(`${request.type} ${request.name}: ${(e as Error).message}`);
                const prior = this.state.get(key);
                if (prior) next.set(key, prior);
                return { ...request.outputs, digest: unknownValue };
            }
        };
        const { exports, unknown, errors } = await this.runProgram(
            preview,
            { ...this.config, ...options.config },
            engine,
        );
        failures.push(...errors);
        for (const key of [...this.order].reverse()) {
            if (seen.has(key) || !this.state.has(key)) continue;
            const old = this.state.get(key)!;
            if (!preview) this.remove(old, steps, failures, next);
        }
        if (!preview) this.commit(next);
        return { steps, exports, unknown, failures };
    }

    /** `pulumi destroy`: deletes every resource in reverse order; retained ones are only dropped from the state. */
    async destroy(): Promise<RunResult> {
        const steps: Step[] = [];
        const failures: string[] = [];
        const next = new Map(this.state);
        for (const key of [...this.order].reverse()) {
            const entry = this.state.get(key);
            if (entry) this.remove(entry, steps, failures, next);
        }
        this.commit(next);
        return { steps, exports: {}, unknown: [], failures };
    }

    /** What a resource in the state holds now, e.g. a build's digest. */
    stateOf(type: string, name: string): StateEntry | undefined {
        return this.state.get(`${type}::${name}`);
    }

    /** The resources in the state, by type. */
    resourcesOf(type: string): StateEntry[] {
        return [...this.state.values()].filter((e) => e.type === type);
    }

    private remove(entry: StateEntry, steps: Step[], failures: string[], next: Map<string, StateEntry>): void {
        const key = `${entry.type}::${entry.name}`;
        try {
            if (!entry.retainOnDelete) this.cloud.delete(this.name, entry.type, entry.inputs, entry.outputs);
            steps.push({ op: entry.retainOnDelete ? "retain" : "delete", type: entry.type, name: entry.name });
            next.delete(key);
        } catch (e) {
            failures.push(`${entry.type} ${entry.name}: ${(e as Error).message}`);
        }
    }

    private commit(next: Map<string, StateEntry>): void {
        for (const key of next.keys()) if (!this.order.includes(key)) this.order.push(key);
        this.state = next;
    }

    /** What the engine decides for one resource, and the outputs the provider returns. */
    private step(
        request: mocks.ProviderRequest,
        preview: boolean,
    ): { op: Operation; outputs: Record<string, unknown> } {
        const prior = this.state.get(`${request.type}::${request.name}`);
        if (request.type === dockerBuild) return this.buildStep(request, prior, preview);
        if (!prior) {
            if (!preview) this.cloud.create(this.name, request.type, request.inputs, request.outputs);
            return { op: "create", outputs: request.outputs };
        }
        if (JSON.stringify(prior.inputs) === JSON.stringify(request.inputs))
            return { op: "same", outputs: prior.outputs };
        if (!preview) this.cloud.update(request.type, request.inputs, prior.outputs);
        return { op: "update", outputs: { ...prior.outputs, ...request.outputs } };
    }

    /**
     * docker-build: it diffs its inputs (registry passwords aside) and its own context hash (file modes included);
     * any difference rebuilds and pushes every tag again. A preview builds nothing: a create has an unknown digest,
     * an update whose inputs are unchanged (only the context hash differs) an empty one, as the provider reports.
     */
    private buildStep(
        request: mocks.ProviderRequest,
        prior: StateEntry | undefined,
        preview: boolean,
    ): { op: Operation; outputs: Record<string, unknown> } {
        const location = String((request.inputs.context as { location?: string }).location);
        const contextHash = providerContextHash(path.resolve(this.workDir, location), this.cloud.buildProviderVersion);
        const inputsChanged = !prior || dockerBuildDiffInputs(prior.inputs) !== dockerBuildDiffInputs(request.inputs);
        if (prior && !inputsChanged && prior.outputs.contextHash === contextHash) {
            this.registryHolds(request.inputs, prior.outputs.digest);
            return { op: "same", outputs: prior.outputs };
        }
        const op: Operation = prior ? "update" : "create";
        if (preview) {
            const sameInputs = prior && JSON.stringify(prior.inputs) === JSON.stringify(request.inputs);
            return { op, outputs: { ...request.outputs, contextHash, digest: sameInputs ? "" : unknownValue } };
        }
        const digest = this.inWorkDir(() => this.cloud.build(request.inputs));
        this.registryHolds(request.inputs, digest);
        return { op, outputs: { ...request.outputs, contextHash, digest } };
    }

    /** What the registry API answers in this run for a pushed image (the program reads it for an image index). */
    private registryHolds(inputs: Record<string, unknown>, digest: unknown): void {
        if (typeof digest === "string" && digest.startsWith("sha256:")) mocks.recordPushes(inputs, digest);
    }

    private inWorkDir<T>(run: () => T): T {
        const cwd = process.cwd();
        process.chdir(this.workDir);
        try {
            return run();
        } finally {
            process.chdir(cwd);
        }
    }

    /** Runs index.ts in the stack's work directory; exports that fail or stay unknown are reported, never awaited forever. */
    private async runProgram(
        preview: boolean,
        config: Record<string, string>,
        engine: mocks.FakeEngine,
    ): Promise<{ exports: Record<string, unknown>; unknown: string[]; errors: string[] }> {
        const cwd = process.cwd();
        process.chdir(this.workDir);
        const exports: Record<string, unknown> = {};
        const unknown: string[] = [];
        const errors: string[] = [];
        try {
            mocks.setupMocks(preview, this.name, engine);
            pulumi.runtime.setAllConfig(config);
            const entry = require.resolve(path.join(repoRoot, "index"));
            delete require.cache[entry];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(entry) as Record<string, pulumi.Input<unknown>>;
            for (const [key, output] of Object.entries(program)) {
                try {
                    // Plain exports (the image's Windows release) count as known values.
                    const { value, known } = await mocks.settled(pulumi.output(output));
                    exports[key] = value;
                    if (!known) unknown.push(key);
                } catch (e) {
                    errors.push(`export ${key}: ${(e as Error).message}`);
                }
            }
            await mocks.settle();
        } finally {
            process.chdir(cwd);
        }
        return { exports, unknown, errors };
    }
}

/** A work directory holding a copy of the sample service, as a checkout would. */
export function checkout(into: string): string {
    fs.cpSync(path.join(repoRoot, "app"), path.join(into, "app"), { recursive: true });
    return into;
}
