import { afterAll, describe, expect, inject, it } from "vitest";
import setupCommand from "../../src/cli/commands/setup.js";
import { Engine } from "../../src/engine/engine.js";
import { ensureProbeImage, LABEL_IMAGE, probeImageTag } from "../../src/setup/probe-image.js";
import { buildScratchImage, LABEL_IMAGE_INPUTS } from "../../src/setup/scratch-image.js";
import { newRunId } from "../../src/util/ids.js";
import { dockerName, LABEL_RUN } from "../../src/util/labels.js";

const engine = Engine.fromEnv();
const runId = newRunId();
const labels = { [LABEL_RUN]: runId };

afterAll(async () => {
  if (inject("integrationSkipped")) return;
  // Sweep by label, not by memory: whatever this file created goes.
  for (const c of await engine.listContainers({ label: [`${LABEL_RUN}=${runId}`] })) await engine.removeContainer(c.Id);
  for (const img of await engine.docker.listImages({ filters: { label: [`${LABEL_RUN}=${runId}`] } })) {
    await engine.docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  }
});

/** Start a probe container with no network at all and run one shell script in it. */
async function inProbe(script: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const id = await engine.runContainer({
    name: dockerName(runId, `probe-${Math.random().toString(36).slice(2, 7)}`),
    image: probeImageTag(),
    cmd: ["sleep", "2147483647"],
    networkMode: "none",
    dns: ["127.0.0.1"],
    labels,
  });
  try {
    return await engine.exec(id, ["sh", "-c", script], "probe", { timeoutMs: 60_000 });
  } finally {
    await engine.removeContainer(id);
  }
}

// Skipped only when the runner asked for it with NETCHECK_SKIP_INTEGRATION=1 (global setup says so loudly).
describe.skipIf(inject("integrationSkipped"))("netcheck setup (integration)", () => {
  it("global setup provided the probe image, labelled and on the engine", async () => {
    expect(inject("probeImage")).toBe(probeImageTag());
    const imgLabels = await engine.imageLabels(probeImageTag());
    expect(imgLabels?.[LABEL_IMAGE]).toBe("probe");
    expect(imgLabels?.[LABEL_IMAGE_INPUTS]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("runs busybox applets, iperf3, tcpdump and ping in a probe container", async () => {
    const res = await inProbe("ls /bin | wc -l; iperf3 --version; tcpdump --version; ping -c1 127.0.0.1; stat -c '%a' /tmp; ls -l /bin/busybox");
    expect(res.exitCode, res.stderr).toBe(0);
    const appletCount = Number(res.stdout.split("\n")[0]);
    expect(appletCount).toBeGreaterThan(200);
    expect(res.stdout).toMatch(/^iperf 3\.\d+/m);
    expect(res.stdout + res.stderr).toMatch(/tcpdump version \d+\.\d+/);
    expect(res.stdout).toMatch(/1 packets transmitted, 1 packets received/);
    expect(res.stdout).toMatch(/^1777$/m);
    expect(res.stdout).toMatch(/^-rwxr-xr-x .* \/bin\/busybox$/m); // the binary, not a link to itself
  });

  it("captures to /tmp as the tcpdump user and measures loopback throughput with iperf3", async () => {
    const script = [
      "tcpdump -i lo -n -c 2 -w /tmp/t.pcap icmp 2>/tmp/tcpdump.err & sleep 1",
      "ping -c 2 127.0.0.1 >/dev/null; wait",
      "ls -ln /tmp/t.pcap",
      "iperf3 -s -1 -D; sleep 0.5; iperf3 -c 127.0.0.1 -t 1 -J | grep -c bits_per_second",
    ].join("\n");
    const res = await inProbe(script);
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^-rw-r--r-- +1 101 +101 +\d+ .*\/tmp\/t\.pcap$/m); // tcpdump dropped to its uid
    expect(Number(res.stdout.trim().split("\n").at(-1))).toBeGreaterThan(0);
  });

  it("a second ensureProbeImage is a cache hit: same hash, same image, fast", async () => {
    const before = await ensureProbeImage(engine);
    const again = await ensureProbeImage(engine);
    expect(again.built).toBe(false);
    expect(again.inputsHash).toBe(before.inputsHash);
    expect(again.imageId).toBe(before.imageId);
    // A rebuild takes seconds; the hit only hashes inputs and inspects the image (its figure is in `netcheck setup`'s output).
    expect(again.durationMs).toBeLessThan(10_000);
    expect(again.sizeBytes).toBeGreaterThan(5e6);
    expect(again.sizeBytes).toBeLessThan(40e6);
  });

  it("buildScratchImage rebuilds only when an input changes, and drops the superseded image", async () => {
    const spec = (marker: string) => ({
      tag: `netcheck-test/scratch:${runId}`,
      labels,
      binaries: ["iperf3"],
      files: [{ path: "/etc/marker", content: marker }],
      cmd: ["/usr/bin/iperf3", "--version"],
    });
    const first = await buildScratchImage(engine, spec("a"));
    const same = await buildScratchImage(engine, spec("a"));
    const changed = await buildScratchImage(engine, spec("b"));
    expect([first.built, same.built, changed.built]).toEqual([true, false, true]);
    expect(same.inputsHash).toBe(first.inputsHash);
    expect(changed.inputsHash).not.toBe(first.inputsHash);
    expect(changed.imageId).not.toBe(first.imageId);
    expect(await engine.docker.getImage(first.imageId).inspect().then(() => "still there", () => "removed")).toBe("removed");
    // The loader and libc sit at the paths ldd printed, so the dynamic binary runs FROM scratch.
    const id = await engine.runContainer({ name: dockerName(runId, "scratch"), image: spec("b").tag, cmd: ["/usr/bin/iperf3", "-v"], networkMode: "none", labels });
    await engine.docker.getContainer(id).wait();
    expect(await engine.containerLogs(id)).toMatch(/^iperf 3\./);
    await engine.removeContainer(id);
  });

  it("`netcheck setup` run again installs and builds nothing, reports the cached image and exits 0", async () => {
    let out = "";
    let err = "";
    const io = {
      stdout: { write: (s: string) => ((out += s), true) } as never,
      stderr: { write: (s: string) => ((err += s), true) } as never,
      signal: AbortSignal.timeout(120_000),
      argv: ["setup", "--no-install"],
    };
    const t0 = Date.now();
    expect(await setupCommand.run(["--no-install"], io), err).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(out).toMatch(/engine +unix:\/\/\/var\/run\/docker\.sock: Docker \d+\.\d+/);
    expect(out).toContain(`${probeImageTag()}: up to date (cached)`);
    expect(await setupCommand.run(["--bogus"], io)).toBe(2);
    expect(err).toMatch(/Unknown argument for setup: --bogus/);
  });
});
