/**
 * Global setup of the integration project: the SAME code as `netcheck setup`
 * (imported from src/, so dist/ need not be built), then a loud failure when
 * the engine or the probe image is not there. Integration tests never skip
 * silently: only NETCHECK_SKIP_INTEGRATION=1 skips, and says so.
 */
import type { TestProject } from "vitest/node";
import { Engine } from "../src/engine/engine.js";
import { runSetup } from "../src/setup/run-setup.js";
import { errorMessage } from "../src/util/errors.js";
import { ensureBuilt } from "./e2e/cli.js";
import { buildDindImage } from "./fixtures/doctor/dind-target.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** netcheck/probe:<version>, built and present on the engine. */
    probeImage: string;
    /** Where the engine answers, e.g. unix:///var/run/docker.sock. */
    engineEndpoint: string;
    /** true only when NETCHECK_SKIP_INTEGRATION=1 was set. */
    integrationSkipped: boolean;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  if (process.env.NETCHECK_SKIP_INTEGRATION === "1") {
    process.stderr.write("netcheck: NETCHECK_SKIP_INTEGRATION=1: engine setup skipped; integration tests will fail or skip on their own.\n");
    project.provide("integrationSkipped", true);
    project.provide("probeImage", "");
    project.provide("engineEndpoint", "");
    return;
  }
  // Both integration projects (side by side, and alone) list this file; vitest loads it once per project,
  // in the one main process: globalThis carries the one preparation across the two module instances.
  const shared = globalThis as { netcheckIntegrationSetup?: Promise<Prepared> };
  const ready = await (shared.netcheckIntegrationSetup ??= prepare());
  project.provide("integrationSkipped", false);
  project.provide("probeImage", ready.probeImage);
  project.provide("engineEndpoint", ready.engineEndpoint);
}

interface Prepared {
  probeImage: string;
  engineEndpoint: string;
}

async function prepare(): Promise<Prepared> {
  const log = (line: string) => process.stderr.write(`netcheck setup: ${line}\n`);
  // The e2e files run the built CLI (bin/netcheck.js → dist/). Build it here, once, before any file starts
  // (beside the engine setup): files run side by side, and a build in one file's beforeAll would rewrite
  // dist/ under another's runs.
  const built = ensureBuilt();
  let result;
  try {
    result = await runSetup({ log, install: process.env.NETCHECK_SETUP_NO_INSTALL !== "1", signal: AbortSignal.timeout(900_000) });
  } catch (err) {
    await built.catch(() => undefined);
    throw new Error(
      `Integration tests need a Docker engine and the probe image, and setup failed:\n${errorMessage(err)}\n` +
        "Fix the above (or run `netcheck setup`), or set NETCHECK_SKIP_INTEGRATION=1 to skip integration tests on purpose.",
      { cause: err },
    );
  }
  await built;
  // Check independently of what runSetup reported: a fresh client, the image by tag.
  const engine = Engine.fromEnv();
  await engine.ping(AbortSignal.timeout(10_000));
  await engine.requireImage(result.image.tag);
  // The doctor's docker-in-docker target image, built (or found up to date: that too reads and hashes
  // ~150 MB of host binaries) once here rather than by each doctor file at the same time.
  await buildDindImage(engine, AbortSignal.timeout(600_000));
  log(`engine ${result.engine.endpoint} (Docker ${result.engine.version}), image ${result.image.tag} ${result.image.built ? "built" : "cached"}`);
  return { probeImage: result.image.tag, engineEndpoint: result.engine.endpoint };
}
