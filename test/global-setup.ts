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
  const log = (line: string) => process.stderr.write(`netcheck setup: ${line}\n`);
  let result;
  try {
    result = await runSetup({ log, install: process.env.NETCHECK_SETUP_NO_INSTALL !== "1", signal: AbortSignal.timeout(900_000) });
  } catch (err) {
    throw new Error(
      `Integration tests need a Docker engine and the probe image, and setup failed:\n${errorMessage(err)}\n` +
        "Fix the above (or run `netcheck setup`), or set NETCHECK_SKIP_INTEGRATION=1 to skip integration tests on purpose.",
      { cause: err },
    );
  }
  // Check independently of what runSetup reported: a fresh client, the image by tag.
  const engine = Engine.fromEnv();
  await engine.ping(AbortSignal.timeout(10_000));
  await engine.requireImage(result.image.tag);
  log(`engine ${result.engine.endpoint} (Docker ${result.engine.version}), image ${result.image.tag} ${result.image.built ? "built" : "cached"}`);
  project.provide("integrationSkipped", false);
  project.provide("probeImage", result.image.tag);
  project.provide("engineEndpoint", result.engine.endpoint);
}
