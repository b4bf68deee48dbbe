// Watches what a piece of a program does beyond declaring resources: the processes it starts and the files it writes.
import childProcess from "child_process";
import fsModule from "fs";

/** Runs `declare` and returns what it did beyond declaring: `spawn <command>`, `writeFileSync <file>` and the like. */
export async function sideEffectsOf(declare: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const spied: [Record<string, unknown>, string][] = [
        [childProcess as unknown as Record<string, unknown>, "spawn"],
        [childProcess as unknown as Record<string, unknown>, "spawnSync"],
        [childProcess as unknown as Record<string, unknown>, "execFile"],
        [childProcess as unknown as Record<string, unknown>, "execFileSync"],
        [fsModule as unknown as Record<string, unknown>, "writeFileSync"],
        [fsModule as unknown as Record<string, unknown>, "mkdirSync"],
    ];
    const originals = spied.map(([module, key]) => module[key]);
    spied.forEach(([module, key], i) => {
        module[key] = (...args: unknown[]) => {
            seen.push(`${key} ${String(args[0])}`);
            return (originals[i] as (...a: unknown[]) => unknown)(...args);
        };
    });
    try {
        await declare();
    } finally {
        spied.forEach(([module, key], i) => (module[key] = originals[i]));
    }
    return seen;
}
