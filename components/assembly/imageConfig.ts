// The image configuration of an image made of a base and one more layer: the base's, with what a Dockerfile's
// runtime stage would set (ENV, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT, CMD, LABEL) and the new layer's diff id.

/** The HEALTHCHECK of the configuration; Docker Engine runs it on Windows, containerd ignores it. */
export interface HealthcheckSettings {
    /** `["CMD", program, ...arguments]`. */
    readonly test: readonly string[];
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly startPeriodSeconds: number;
    readonly retries: number;
}

/** What the image sets on top of its base, in the order a Dockerfile's instructions would apply it. */
export interface RuntimeSettings {
    /** ENV, in order; a name the base has already (any case: Windows names are case-insensitive) is replaced. */
    readonly env: readonly (readonly [string, string])[];
    /** EXPOSE, e.g. `8080/tcp`, added to the base's. */
    readonly exposedPorts: readonly string[];
    /** USER. */
    readonly user: string;
    /** WORKDIR; undefined keeps the base's. */
    readonly workingDir?: string;
    readonly healthcheck?: HealthcheckSettings;
    /** ENTRYPOINT, exec form: it clears the base's CMD. */
    readonly entrypoint: readonly string[];
    /** CMD, exec form; undefined or empty sets none. */
    readonly cmd?: readonly string[];
    /** LABEL, added to the base's. */
    readonly labels: Readonly<Record<string, string>>;
}

/** The time every image this writes is created at: the epoch, as `SOURCE_DATE_EPOCH=0` gives `cross` builds. */
export const imageCreated = "1970-01-01T00:00:00Z";

type Json = Record<string, unknown>;

const nanoseconds = (seconds: number) => seconds * 1e9;

/** The base's Env with `env` applied as Docker's ENV applies it on Windows (names compared without case). */
function applyEnv(base: unknown, env: RuntimeSettings["env"]): string[] {
    const result = Array.isArray(base) ? base.map(String) : [];
    for (const [name, value] of env) {
        const at = result.findIndex((entry) => entry.split("=")[0].toUpperCase() === name.toUpperCase());
        if (at >= 0) result[at] = `${name}=${value}`;
        else result.push(`${name}=${value}`);
    }
    return result;
}

/** The container settings: the base's, with `settings` applied. */
function containerConfig(base: Json, settings: RuntimeSettings): Json {
    const config: Json = { ...base };
    config.Env = applyEnv(base.Env, settings.env);
    const ports: Json = { ...((base.ExposedPorts as Json | undefined) ?? {}) };
    for (const port of settings.exposedPorts) ports[port] = {};
    if (Object.keys(ports).length > 0) config.ExposedPorts = ports;
    config.User = settings.user;
    if (settings.workingDir !== undefined) config.WorkingDir = settings.workingDir;
    if (settings.healthcheck) {
        const h = settings.healthcheck;
        config.Healthcheck = {
            Test: [...h.test],
            Interval: nanoseconds(h.intervalSeconds),
            Timeout: nanoseconds(h.timeoutSeconds),
            StartPeriod: nanoseconds(h.startPeriodSeconds),
            Retries: h.retries,
        };
    }
    config.Entrypoint = [...settings.entrypoint];
    // ENTRYPOINT clears the base's CMD unless the stage sets one.
    if (settings.cmd && settings.cmd.length > 0) config.Cmd = [...settings.cmd];
    else delete config.Cmd;
    config.Labels = { ...((base.Labels as Json | undefined) ?? {}), ...settings.labels };
    return config;
}

/**
 * The configuration of `base` (its JSON) with one more layer: its `os`, `architecture`, `os.version` and
 * `os.features` kept, `diffId` (the uncompressed layer's digest) appended to `rootfs.diff_ids` with one `history`
 * entry saying `createdBy`, and `settings` applied to its container settings. Created at the epoch; the same base,
 * layer and settings give the same bytes.
 */
export function imageConfiguration(base: Buffer, diffId: string, settings: RuntimeSettings, createdBy: string): Buffer {
    const parsed = JSON.parse(base.toString("utf8")) as Json;
    if (parsed.os !== "windows") throw new Error(`the base is a ${String(parsed.os)} image, not a Windows one`);
    const rootfs = parsed.rootfs as { type?: string; diff_ids?: string[] } | undefined;
    if (!rootfs || !Array.isArray(rootfs.diff_ids)) throw new Error("the base's configuration has no rootfs.diff_ids");
    const config: Json = { ...parsed };
    // They describe the container the base itself was built in.
    delete config.container;
    delete config.container_config;
    config.created = imageCreated;
    config.config = containerConfig((parsed.config as Json | undefined) ?? {}, settings);
    config.rootfs = { ...rootfs, type: "layers", diff_ids: [...rootfs.diff_ids, diffId] };
    const history = Array.isArray(parsed.history) ? parsed.history : [];
    config.history = [...history, { created: imageCreated, created_by: createdBy }];
    return Buffer.from(JSON.stringify(config));
}
