// Windows images written without Docker: the layer (tar, security descriptors, deterministic gzip), the configuration
// and manifest of a base plus one layer, and the push through the registry API.
export { fileSddl, folderSddl, sha256Digest, windowsLayerTar } from "./windowsLayer";
export type { WindowsLayerFile } from "./windowsLayer";
export { encodeSid, securityDescriptorFromSddl } from "./securityDescriptor";
export { checkDeflater, deflaterCheck, deterministicGzip, gzipLevel } from "./gzip";
export { imageConfiguration, imageCreated } from "./imageConfig";
export type { HealthcheckSettings, RuntimeSettings } from "./imageConfig";
export { dockerFamily, familyOf, imageManifest, ociFamily, parseManifest } from "./imageManifest";
export type { BaseManifest, Descriptor, MediaTypeFamily } from "./imageManifest";
export { pushWindowsImage } from "./push";
export type { BaseLocation, LayerBlob, PushRequest, PushedImage } from "./push";
