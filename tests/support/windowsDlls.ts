// The DLLs a program in the image may import: those Nano Server, the smaller base, ships in System32 (Server Core
// ships them too). The integration tests check each executable's import table against this list.

/** Each DLL and why it is known to be on Nano Server. */
export const nanoServerDlls: ReadonlyMap<string, string> = new Map([
    ["kernel32.dll", "every Go program imports it; the official golang nanoserver images run Go programs"],
    ["ntdll.dll", "the Go runtime loads it at start (runtime/os_windows.go), on Nano Server too"],
    ["advapi32.dll", "Go's syscall package loads it; the golang nanoserver images run Go programs"],
    ["ws2_32.dll", "Go's syscall and net packages load it; the golang nanoserver images serve networks"],
    ["winmm.dll", "the Go runtime loads it where high-resolution timers are missing (runtime/os_windows.go)"],
    ["bcryptprimitives.dll", "Go 1.22 and later load it at start (ProcessPrng)"],
    [
        "msvcrt.dll",
        "MinGW-w64's C runtime; Git for Windows, built with MinGW-w64, runs on nanoserver:ltsc2022 " +
            "(its CI checks that: git-for-windows/git-sdk-64#55)",
    ],
]);

/** The DLLs an executable imports, lower case, read with MinGW-w64's objdump. */
export function importedDlls(objdumpOutput: string): string[] {
    return [...objdumpOutput.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase());
}
