export { runSetup, type SetupOptions, type SetupResult } from "./run-setup.js";
export { ensureEngine, planEngineSetup, type EnsureEngineOptions, type EnsuredEngine, type EnginePlan, type EngineFacts } from "./ensure-engine.js";
export { ensureProbeImage, probeImageTag, PROBE_IMAGE, LABEL_IMAGE, PROBE_TOOLS } from "./probe-image.js";
export {
  buildScratchImage,
  LABEL_IMAGE_INPUTS,
  type ScratchImageSpec,
  type ScratchImageResult,
  type BuildScratchOptions,
} from "./scratch-image.js";
export { createTar, type TarEntry } from "./tar-writer.js";
export { netcheckVersion } from "../util/version.js";
