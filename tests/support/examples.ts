// Examples import the package by its name, as a user's program does; in the tests that name is the repository's source.
import Module from "module";
import * as path from "path";
import { repoRoot } from "./files";

const moduleApi = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = moduleApi._resolveFilename;

/** Resolves `go-windows-containers` to `components/` of this repository from here on. */
export function usePackageFromSource(): void {
    if (moduleApi._resolveFilename !== original) return;
    moduleApi._resolveFilename = function (request: string, ...rest: unknown[]) {
        if (request === "go-windows-containers") return path.join(repoRoot, "components", "index.ts");
        return original.call(this, request, ...rest);
    };
}
