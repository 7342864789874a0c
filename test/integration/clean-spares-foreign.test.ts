/**
 * `netcheck clean` finds what it removes by label and name, never by guessing:
 * a container someone else started (here through testcontainers, entirely
 * outside netcheck's engine layer) must survive it, while a netcheck-labelled
 * one of a dead run is removed.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { LocalHost } from "../../src/host/local-host.js";
import { sweep } from "../../src/lab/sweep.js";
import { newRunId } from "../../src/util/ids.js";
import { LABEL_RUN } from "../../src/util/labels.js";
import { probeImageTag } from "../../src/util/version.js";

// Ryuk cannot be pulled here (no registry); we remove what we start ourselves.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const { GenericContainer, PullPolicy } = await import("testcontainers");

const engine = Engine.fromEnv();
const cleanupIds: string[] = [];
afterAll(async () => {
  for (const id of cleanupIds) await engine.removeContainer(id).catch(() => undefined);
});

describe("netcheck clean", () => {
  it("removes a dead run's labelled container and spares a foreign one", async () => {
    const foreign = await new GenericContainer(probeImageTag())
      .withPullPolicy(PullPolicy.defaultPolicy())
      .withCommand(["sleep", "300"])
      .withNetworkMode("none")
      .withLabels({ "example.owner": "someone-else" })
      .start();
    cleanupIds.push(foreign.getId());

    const deadRun = newRunId();
    const ours = await engine.runContainer({
      name: `nc-${deadRun}-stray`,
      image: probeImageTag(),
      cmd: ["sleep", "300"],
      networkMode: "none",
      labels: { [LABEL_RUN]: deadRun },
    });
    cleanupIds.push(ours);

    const report = await sweep({ name: "local", shell: new LocalHost(), engine }, { runId: deadRun });
    expect(report.removed).toContain(`container nc-${deadRun}-stray`);
    expect((await engine.listContainers({ id: [ours] })).length).toBe(0);
    expect((await engine.inspectContainer(foreign.getId())).State.Running).toBe(true);
    await foreign.stop({ remove: true });
  });
});
