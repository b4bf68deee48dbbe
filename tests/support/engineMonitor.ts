// The project's tests stand in for an engine, not for a user's unit test: Pulumi's mock monitor behind a face the
// components do not take for mocks, so that they behave as under `pulumi up` against the stand-in clouds.
import * as pulumi from "@pulumi/pulumi";

/** The SDK's runtime state, where the mock monitor sits (internal to the SDK, so typed here). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor?: object } } };

/**
 * Puts the mock monitor `setMocks` installed behind a face that is not Pulumi's MockMonitor and holds no `mocks`:
 * `runningWithMocks()` is then false, and the components look up base digests, exchange registry tokens and refuse
 * what a provider must report as they do under an engine, against the stand-in registries (fakeRegistry.ts) and the
 * fetch stand-in. A user's plain `setMocks` is tested as it is, in tests/package/plainMocks.test.ts.
 */
export function presentMocksAsEngine(): void {
    const mockMonitor = pulumi.runtime.getMonitor() as object;
    installMonitor(
        new Proxy(mockMonitor, {
            get(target, key) {
                if (key === "mocks") return undefined;
                const value: unknown = Reflect.get(target, key);
                return typeof value === "function" ? value.bind(target) : value;
            },
            has: (target, key) => key !== "mocks" && Reflect.has(target, key),
            getPrototypeOf: () => Object.prototype,
        }),
    );
}

/** Makes `monitor` the one the SDK talks to, as `setMocks` does for its MockMonitor. */
export function installMonitor(monitor: object): void {
    state.getStore().settings.monitor = monitor;
}
