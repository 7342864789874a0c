import { ensureEngine, type EnsuredEngine } from "./ensure-engine.js";
import { ensureProbeImage } from "./probe-image.js";
import { ensureDindHostImage } from "./dind-host-image.js";
import type { ScratchImageResult } from "./scratch-image.js";

export interface SetupOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** apt-get install what is missing (root on Debian/Ubuntu). Default true. */
  install?: boolean;
  /** Rebuild the probe image even when its inputs are unchanged. */
  forceImage?: boolean;
}

export interface SetupResult {
  engine: EnsuredEngine;
  image: ScratchImageResult;
}

/** What `netcheck setup` and the test suite's global setup both run: engine first, then the probe image. */
export async function runSetup(options: SetupOptions = {}): Promise<SetupResult> {
  const { signal, log = () => undefined } = options;
  const engine = await ensureEngine({ signal, log, install: options.install ?? true });
  const image = await ensureProbeImage(engine.engine, { signal, log, force: options.forceImage ?? false });
  // The docker-in-docker lab hosts (overlay, daemon settings, engine versions): an empty root, built in milliseconds.
  await ensureDindHostImage(engine.engine, { signal, log, force: options.forceImage ?? false });
  return { engine, image };
}
