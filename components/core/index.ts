// The leaf of the library: Windows release facts, image/host compatibility, and argument checks. Imports nothing of ours.
export * from "./windowsReleases";
export * from "./compatibility";
export * from "./arguments";
export { resolveArgsFor } from "./componentErrors";
export * from "./hostChecks";
export * from "./contentTags";
export {
    applyReported,
    fromReported,
    providedString,
    runningWithMocks,
    unknownOutput,
    unreportedOutput,
} from "./outputs";
export * from "./naming";
export * from "./windowsSelection";
export * from "./imageReleases";
