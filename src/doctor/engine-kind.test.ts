import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Engine } from "../engine/engine.js";
import { FakeHost } from "../../test/fixtures/doctor/fake-host.js";
import { identifyEngine } from "./engine-kind.js";
import { runDoctor } from "./run-doctor.js";

const recorded = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/doctor/engine-info/${name}.json`, import.meta.url), "utf8")) as { info: Record<string, unknown>; version: Record<string, unknown> };

function engineFrom(name: string): Engine {
  const r = recorded(name);
  return {
    endpoint: { display: "unix:///fake.sock" },
    ping: async () => undefined,
    info: async () => r.info,
    version: async () => r.version,
    listNetworks: async () => [],
    listContainers: async () => [],
  } as unknown as Engine;
}

describe("which engine answers", () => {
  it.each([
    ["docker", "docker"],
    ["docker-desktop", "docker-desktop"],
    ["rootless-docker", "rootless-docker"],
    ["podman", "rootless-podman"],
  ])("%s is %s", (file, kind) => {
    expect(identifyEngine(recorded(file)).kind).toBe(kind);
  });

  it("Docker Desktop: said plainly, and this machine's plumbing checks are skips with the reason", async () => {
    const r = await runDoctor({ host: new FakeHost(), engine: engineFrom("docker-desktop") });
    expect(r.findings.find((f) => f.id === "engine/kind")?.title).toMatch(/Docker Desktop: the engine runs in its own Linux VM/);
    for (const id of ["nat-rules", "published-ports", "forward-policy", "kernel", "networks"]) {
      const f = r.findings.find((x) => x.id === `${id}/not-applicable`);
      expect(f?.status, id).toBe("skip");
      expect(f?.title, id).toMatch(/Docker Desktop runs the engine in its own VM/);
    }
    expect(r.totals.fail).toBe(0);
  });

  it("rootless Docker and Podman skip what they do not have; a rootful engine skips nothing (the twin)", async () => {
    const rootless = await runDoctor({ host: new FakeHost(), engine: engineFrom("rootless-docker") });
    expect(rootless.findings.find((f) => f.id === "macvlan/not-applicable")?.title).toMatch(/cannot create macvlan/);
    expect(rootless.findings.find((f) => f.id === "engine/kind")?.title).toMatch(/slirp4netns or pasta/);
    const podman = await runDoctor({ host: new FakeHost(), engine: engineFrom("podman") });
    expect(podman.findings.find((f) => f.id === "docker-chains/not-applicable")?.title).toMatch(/netavark/);
    expect(podman.findings.find((f) => f.id === "engine/kind")?.title).toMatch(/rootless Podman/);
    const docker = await runDoctor({ host: new FakeHost(), engine: engineFrom("docker") });
    expect(docker.findings.filter((f) => f.id.endsWith("/not-applicable"))).toEqual([]);
    expect(docker.findings.find((f) => f.id === "engine/kind")?.title).toBe("this engine is a rootful Docker Engine");
  });
});
