// The image: Go module reading, Dockerfile rendering, content hashing, and the GoWindowsImage component.
export { GoWindowsImage } from "./goWindowsImage";
export type { BaseImageRegistryArgs, GoWindowsImageArgs, GoWindowsImageHealthCheckArgs } from "./args";
export type { GoWindowsImageRelease } from "./releases";
export { resolveImageArgs } from "./resolve";
export type { ResolvedImageArgs } from "./resolve";
export { pinnedReference, windowsPlatform } from "./build";
export { renderDockerfile, renderDockerignore } from "./dockerfile";
export type { DockerfileSpec, HealthCheckSpec } from "./dockerfile";
export { contextFiles, hashContext, tagForHash } from "./contextHash";
export type { ImageInputs } from "./contextHash";
export { readGoMod, parseGoMod, defaultGoVersion, isGoVersion, isMainPackage, packageClause } from "./goModule";
export { goBuildInputs } from "./buildInputs";
export type { GoBuildLayout } from "./buildInputs";
export { evaluateGoBuild, fileNameHolds } from "./buildConstraints";
export type { GoBuildTarget } from "./buildConstraints";
export { hashContents, hashFiles } from "./contextHash";
export { readGoBuildInputs } from "./buildInputs";
