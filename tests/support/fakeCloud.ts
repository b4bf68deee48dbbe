// A stand-in for the engine and the clouds behind it, for lifecycle tests: stacks create, update, preview and destroy
// the program against accounts that enforce the documented constraints, and the build provider behaves as its source
// does (research notes in docs/guides/lifecycle.md).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { contextFiles } from "../../components/image";
import { daemonlessImageChanges } from "../../components/image/daemonlessProvider";
import type { DaemonlessImageOutputs } from "../../components/image/daemonlessProvider";
import { explicitNameProperties, physicalName } from "./autonaming";
import { brokenReferences, completeTrafficShift, deleteRefusal, refusal, replacedOnChange } from "./fakeAws";
import { repoRoot } from "./files";
import * as mocks from "./mocks";
import { stackConfig } from "./program";
import { processIgnoreChanges } from "./propertyPath";
import { aliasUrns, urnParts } from "./urns";

/** What the engine does to a resource in one run (a replacement creates the new one, then deletes the old). */
export type Operation = "create" | "update" | "replace" | "same" | "delete" | "retain";

export interface Step {
    readonly op: Operation;
    readonly type: string;
    readonly name: string;
}

export interface StateEntry {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly retainOnDelete: boolean;
    /** How many times the resource was replaced: a replacement is a new physical resource with a new ARN. */
    readonly generation: number;
    /** The physical resource in the cloud (kept when the resource moves to a new URN through an alias). */
    readonly physicalId: string;
}

/** A resource as it exists in the cloud, which ECS, Auto Scaling and the user may change behind Pulumi's back. */
export interface LiveResource {
    readonly stack: string;
    readonly urn: string;
    readonly type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/** The RPC protocol's marker for a value that is unknown during a preview. */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const dockerBuild = "docker-build:index:Image";
const ecrRepository = "aws:ecr/repository:Repository";

/**
 * Physical names that two stacks may share without an error from the cloud: task families take interleaved
 * revisions; dashboards, composite alarms and log resource policies are put, and a second put of a name overwrites
 * the first (`collisions()` reports every shared name all the same).
 */
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
    /** What exists in the accounts, by `stack|urn|generation`. */
    private readonly live = new Map<string, LiveResource>();
    /** Set by a test: the next push succeeds, then the build fails before the engine records it (a killed run). */
    interruptNextBuild = false;
    /** The build provider's version: an upgrade may hash contexts differently and so rebuild everything once. */
    buildProviderVersion = "0.0.22";
    /** Where X-Ray sends trace segments in the account: a setting no delete resets (the provider's delete is a no-op). */
    traceSegmentDestination = "XRay";

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

    /** Every live resource, or those of one stack (and type). */
    liveResources(stack?: string, type?: string): LiveResource[] {
        return [...this.live.values()].filter((r) => (!stack || r.stack === stack) && (!type || r.type === type));
    }

    /** The live resource of a stack's resource of this type and name, if it exists. */
    liveOf(stack: string, type: string, name: string): LiveResource | undefined {
        return this.liveResources(stack, type).find((r) => urnParts(r.urn).name === name);
    }

    /** ECS completes a traffic-shifting deployment of every canary, linear and blue/green service of a stack. */
    completeTrafficShift(stack: string): number {
        return completeTrafficShift(stack, this.liveResources());
    }

    /** Creates a resource, or refuses as the cloud would; `replacing` keeps its physical name (a new random suffix). */
    create(stack: string, entry: StateEntry, replacing = false): void {
        const { type, inputs, outputs } = entry;
        const refused = refusal(type, inputs, this.liveResources());
        if (refused.length > 0) throw new Error(refused.join("; "));
        if (!replacing) this.claimName(stack, type, inputs);
        if (type === ecrRepository) this.createRepository(stack, inputs, outputs);
        this.applyAccountSetting(type, inputs);
        this.live.set(liveKey(stack, entry), { stack, urn: entry.urn, type, inputs, outputs });
    }

    /** Account-wide settings that resources write: X-Ray's trace segment destination. */
    private applyAccountSetting(type: string, inputs: Record<string, unknown>): void {
        if (type === "aws:xray/traceSegmentDestination:TraceSegmentDestination")
            this.traceSegmentDestination = String(inputs.destination);
    }

    /** Updates a resource in place, or refuses as the cloud would. */
    update(stack: string, entry: StateEntry): void {
        const { type, inputs, outputs } = entry;
        const self = this.live.get(liveKey(stack, entry));
        const refused = refusal(type, inputs, this.liveResources(), self);
        if (refused.length > 0) throw new Error(refused.join("; "));
        const repository = type === ecrRepository && this.repositories.get(String(outputs.repositoryUrl));
        if (repository) {
            repository.mutability = String(inputs.imageTagMutability ?? "MUTABLE");
            repository.exclusions = exclusionsOf(inputs);
            repository.forceDelete = inputs.forceDelete === true;
        }
        this.applyAccountSetting(type, inputs);
        if (self) Object.assign(self, { inputs, outputs, urn: entry.urn });
        else this.live.set(liveKey(stack, entry), { stack, urn: entry.urn, type, inputs, outputs });
    }

    /** Takes a resource another run made into the cloud as it is (no checks), for a seeded state. */
    adopt(stack: string, entry: StateEntry): void {
        this.claimName(stack, entry.type, entry.inputs);
        if (entry.type === ecrRepository) this.createRepository(stack, entry.inputs, entry.outputs);
        const { urn, type, inputs, outputs } = structuredClone(entry);
        this.live.set(liveKey(stack, entry), { stack, urn, type, inputs, outputs });
    }

    /** What the provider's read returns for a resource in the state (a refresh); undefined once it is gone. */
    read(stack: string, entry: StateEntry): LiveResource | undefined {
        return this.live.get(liveKey(stack, entry));
    }

    /** Problems a finished run left in a stack: resources that name deleted target groups, and so on. */
    brokenReferences(stack: string): string[] {
        return brokenReferences(stack, this.liveResources());
    }

    private claimName(stack: string, type: string, inputs: Record<string, unknown>): void {
        const name = physicalName(type, inputs);
        if (name !== undefined) {
            const key = `${type}|${name}`;
            const holders = this.names.get(key) ?? new Set<string>();
            if (holders.size > 0 && !sharedNamesAllowed.has(type))
                throw new Error(`${type} ${name} already exists (held by ${[...holders].join(", ")})`);
            this.names.set(key, holders.add(stack));
        }
    }

    /** Deletes a resource, or refuses as the cloud would (a non-empty repository, a target group in use). */
    delete(stack: string, entry: StateEntry, keepName = false): void {
        const { type, inputs, outputs } = entry;
        const self = this.live.get(liveKey(stack, entry));
        const refused = self && deleteRefusal(self, this.liveResources());
        if (refused) throw new Error(refused);
        if (type === ecrRepository) {
            const repository = this.repositories.get(String(outputs.repositoryUrl));
            if (repository && repository.tags.size > 0 && !repository.forceDelete)
                throw new Error(
                    `RepositoryNotEmptyException: ${repository.url} cannot be deleted because it still contains images`,
                );
            this.repositories.delete(String(outputs.repositoryUrl));
        }
        const name = physicalName(type, inputs);
        if (name !== undefined && !keepName) this.names.get(`${type}|${name}`)?.delete(stack);
        this.live.delete(liveKey(stack, entry));
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

const liveKey = (_stack: string, entry: StateEntry) => entry.physicalId;

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

/** A program the stand-in runs: the repository's index.ts, or a function that declares resources and returns exports. */
export type Program = () => Record<string, pulumi.Input<unknown>>;

/** JSON with object keys sorted, so that two inputs compare equal whatever order their keys were set in. */
function canonical(value: unknown): string {
    return JSON.stringify(value, (_, v: unknown) =>
        v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
            : v,
    );
}

/** A replaced resource is a new physical one: its ARN gets the new generation, as a new random id would. */
function renewIdentity(outputs: Record<string, unknown>, generation: number): Record<string, unknown> {
    const renewed = { ...outputs };
    for (const key of ["arn", "arnSuffix"])
        if (typeof renewed[key] === "string") renewed[key] = `${String(renewed[key])}-g${generation}`;
    return renewed;
}

/**
 * A stack of the program: its config, its state (keyed by URN, as the engine's), and the cloud it deploys to. On
 * update it finds moved resources by their aliases, applies `ignoreChanges` as the engine does (propertyPath.ts),
 * replaces what the provider replaces (fakeAws.ts), and `refresh` reads back what the cloud holds.
 */
export class FakeStack {
    private state = new Map<string, StateEntry>();
    private readonly order: string[] = [];
    readonly config: Record<string, string>;
    /** Paths of `ignoreChanges` the engine could not apply in the last run (it logs them). */
    invalidIgnorePaths: string[] = [];

    /** `workDir` holds the program's `app/` (a copy the test may change); `stackFile` gives the config. */
    constructor(
        readonly cloud: FakeCloud,
        readonly name: string,
        stackFile: string | Record<string, string>,
        readonly workDir: string,
        /** What to run instead of the repository's index.ts. */
        private readonly program?: Program,
    ) {
        this.config = typeof stackFile === "string" ? stackConfig(stackFile) : stackFile;
    }

    /** `pulumi up` (or `pulumi preview`): runs the program, diffs against the state, applies to the cloud. */
    async up(
        options: { preview?: boolean; config?: Record<string, string>; program?: Program } = {},
    ): Promise<RunResult> {
        const preview = options.preview ?? false;
        const steps: Step[] = [];
        const failures: string[] = [];
        const seen = new Set<string>();
        const next = new Map<string, StateEntry>();
        /** New URN → the old URN it was found under (the engine's sg.aliases), for its children's aliases. */
        const matchedAliases = new Map<string, string>();
        const replaced: StateEntry[] = [];
        this.invalidIgnorePaths = [];
        const engine: mocks.FakeEngine = (request) => {
            const prior = this.findPrior(request, matchedAliases);
            seen.add(request.urn);
            if (prior) seen.add(prior.urn);
            try {
                const { op, entry } = this.step(request, prior, preview);
                steps.push({ op, type: request.type, name: request.name });
                if (op === "replace" && prior) replaced.push(prior);
                next.set(request.urn, entry);
                return entry.outputs;
            } catch (e) {
                failures.push(`${request.type} ${request.name}: ${(e as Error).message}`);
                if (prior) next.set(request.urn, { ...prior, urn: request.urn });
                return { ...request.outputs, digest: unknownValue };
            }
        };
        const { exports, unknown, errors } = await this.runProgram(
            preview,
            { ...this.config, ...options.config },
            engine,
            options.program ?? this.program,
        );
        failures.push(...errors);
        if (!preview) {
            // Deletes at the end, newest first: what the program no longer declares, then what was replaced.
            for (const key of [...this.order].reverse()) {
                if (seen.has(key) || !this.state.has(key)) continue;
                this.remove(this.state.get(key)!, steps, failures, next);
            }
            for (const old of replaced.reverse()) {
                try {
                    this.cloud.delete(this.name, old, true);
                } catch (e) {
                    failures.push(`${old.type} ${old.name} (replaced): ${(e as Error).message}`);
                }
            }
            for (const [oldUrn, newUrn] of [...matchedAliases.entries()].map(([n, o]) => [o, n] as const)) {
                const at = this.order.indexOf(oldUrn);
                if (at >= 0) this.order[at] = newUrn;
            }
            this.commit(next);
            failures.push(...this.cloud.brokenReferences(this.name));
        }
        return { steps, exports, unknown, failures };
    }

    /** `pulumi refresh`: the state takes what the cloud holds (the providers read inputs back too). */
    refresh(): void {
        for (const [urn, entry] of this.state) {
            const live = this.cloud.read(this.name, entry);
            if (live)
                this.state.set(urn, { ...entry, inputs: structuredClone(live.inputs), outputs: { ...live.outputs } });
        }
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
        return [...this.state.values()].find((e) => e.type === type && e.name === name);
    }

    /** The resources in the state, by type. */
    resourcesOf(type: string): StateEntry[] {
        return [...this.state.values()].filter((e) => e.type === type);
    }

    /** The URNs in the state. */
    urns(): string[] {
        return [...this.state.keys()];
    }

    /** The state's entries (what `pulumi stack export` would show of them). */
    entries(): StateEntry[] {
        return [...this.state.values()];
    }

    /**
     * Starts from a state another version of the program left, with the cloud holding what it describes (as an
     * existing stack does when a user upgrades the package).
     */
    seed(entries: readonly StateEntry[]): void {
        for (const entry of entries) {
            this.state.set(entry.urn, entry);
            this.order.push(entry.urn);
            this.cloud.adopt(this.name, entry);
        }
    }

    /** The old state of a resource: under its URN, or under one of its aliases (getOldResource). */
    private findPrior(request: mocks.ProviderRequest, matchedAliases: Map<string, string>): StateEntry | undefined {
        const own = this.state.get(request.urn);
        if (own) return own;
        for (const alias of aliasUrns(request, matchedAliases)) {
            const old = this.state.get(alias);
            if (old) {
                matchedAliases.set(request.urn, alias);
                return old;
            }
        }
        return undefined;
    }

    private remove(entry: StateEntry, steps: Step[], failures: string[], next: Map<string, StateEntry>): void {
        try {
            if (!entry.retainOnDelete) this.cloud.delete(this.name, entry);
            steps.push({ op: entry.retainOnDelete ? "retain" : "delete", type: entry.type, name: entry.name });
            next.delete(entry.urn);
        } catch (e) {
            failures.push(`${entry.type} ${entry.name}: ${(e as Error).message}`);
        }
    }

    private commit(next: Map<string, StateEntry>): void {
        for (const key of next.keys()) if (!this.order.includes(key)) this.order.push(key);
        this.state = next;
    }

    /** What the engine decides for one resource, and the state it records. */
    private step(
        request: mocks.ProviderRequest,
        prior: StateEntry | undefined,
        preview: boolean,
    ): { op: Operation; entry: StateEntry } {
        const retainOnDelete = mocks.resources.find((r) => r.urn === request.urn)?.retainOnDelete ?? false;
        const entryOf = (
            inputs: Record<string, unknown>,
            outputs: Record<string, unknown>,
            generation: number,
            physicalId = `${this.name}|${request.urn}|${generation}`,
        ): StateEntry => ({
            urn: request.urn,
            type: request.type,
            name: request.name,
            inputs,
            outputs,
            retainOnDelete,
            generation,
            physicalId,
        });
        if (request.type === dockerBuild) {
            const { op, outputs } = this.buildStep(request, prior, preview);
            return { op, entry: entryOf(request.inputs, outputs, 0, prior?.physicalId) };
        }
        if (request.type === mocks.daemonlessImageType && prior) {
            const { op, outputs } = this.daemonlessStep(request, prior);
            return { op, entry: entryOf(request.inputs, outputs, prior.generation, prior.physicalId) };
        }
        if (!prior) {
            const entry = entryOf(request.inputs, request.outputs, 0);
            if (!preview) this.cloud.create(this.name, entry);
            return { op: "create", entry };
        }
        const { inputs, invalidPaths } = processIgnoreChanges(request.inputs, prior.inputs, request.ignoreChanges);
        this.invalidIgnorePaths.push(...invalidPaths.map((p) => `${request.name}: ${p}`));
        if (canonical(prior.inputs) === canonical(inputs))
            return { op: "same", entry: { ...prior, urn: request.urn, retainOnDelete } };
        const outputs = { ...prior.outputs, ...request.outputs, ...inputs };
        const replacing = replacedOnChange[request.type] ?? [];
        const keys = replacing.includes("*") ? Object.keys({ ...prior.inputs, ...inputs }) : replacing;
        const forceNew = keys.filter((key) => canonical(prior.inputs[key]) !== canonical(inputs[key]));
        if (forceNew.length > 0) {
            const generation = prior.generation + 1;
            const entry = entryOf(inputs, renewIdentity(outputs, generation), generation);
            if (!preview) this.cloud.create(this.name, entry, true);
            return { op: "replace", entry };
        }
        const identity = { arn: prior.outputs.arn, arnSuffix: prior.outputs.arnSuffix };
        const entry = entryOf(inputs, { ...outputs, ...identity }, prior.generation, prior.physicalId);
        if (!preview) this.cloud.update(this.name, entry);
        return { op: "update", entry };
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

    /**
     * DaemonlessWindowsImage, a dynamic resource: the engine asks its provider's diff (the provider's own code), so
     * credentials alone change nothing and a registry or repository change replaces it. The outputs of a change are
     * the provider's (unknown in a preview, which writes nothing).
     */
    private daemonlessStep(
        request: mocks.ProviderRequest,
        prior: StateEntry,
    ): { op: Operation; outputs: Record<string, unknown> } {
        const plain = (value: unknown) => mocks.unwrapSecrets(value) as DaemonlessImageOutputs;
        const { changes, replaces } = daemonlessImageChanges(plain(prior.outputs), plain(request.inputs));
        if (!changes) return { op: "same", outputs: prior.outputs };
        return { op: replaces.length > 0 ? "replace" : "update", outputs: request.outputs };
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
        declare?: Program,
    ): Promise<{ exports: Record<string, unknown>; unknown: string[]; errors: string[] }> {
        const cwd = process.cwd();
        process.chdir(this.workDir);
        const exports: Record<string, unknown> = {};
        const unknown: string[] = [];
        const errors: string[] = [];
        try {
            mocks.setupMocks(preview, this.name, engine);
            pulumi.runtime.setAllConfig(config);
            const program = declare ? declare() : requireProgram();
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

/** The repository's program, loaded afresh: index.ts declares its resources when it is loaded. */
function requireProgram(): Record<string, pulumi.Input<unknown>> {
    const entry = require.resolve(path.join(repoRoot, "index"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(entry) as Record<string, pulumi.Input<unknown>>;
}

/** A work directory holding a copy of the sample service, as a checkout would. */
export function checkout(into: string): string {
    fs.cpSync(path.join(repoRoot, "app"), path.join(into, "app"), { recursive: true });
    return into;
}
