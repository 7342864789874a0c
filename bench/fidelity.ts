// npm run bench:fidelity — does netcheck measure what a person with the docker CLI would?
// The same iperf3 pair (two probe-image containers on a user-defined network, TCP,
// same duration and streams) is run by hand with plain `docker` commands and through
// netcheck (user-defined/perf's c2c-throughput-tcp check, run on its lab exactly as the
// runner does), alternating second by second within one netcheck run, ROUNDS times each:
// a shared machine's load swings faster than a whole `netcheck run` takes.
// The last line is `deviation=<|netcheck - raw| / raw>` over the medians; it must stay < 0.05.
//
// Safety: everything the raw side creates is labelled io.netcheck.run=bench-<id> and removed
// in `finally`; its containers get --dns 127.0.0.1 (never the host's resolver); traffic
// stays between the two containers.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localLabHost } from "../src/lab/lab-host.js";
import { RunLab } from "../src/lab/run-lab.js";
import { ScenarioLab } from "../src/lab/scenario-lab.js";
import { CheckContext } from "../src/scenario/context.js";
import { declare } from "../src/scenario/define.js";
import { loadFile } from "../src/scenario/loader.js";
import { parseIperf3Result } from "../src/probes/iperf3.js";
import { formatBitRate, percentile } from "../src/probes/stats.js";
import { projectRoot, probeImageTag } from "../src/util/version.js";
import { newRunId } from "../src/util/ids.js";

/** A shared 2-core box swings ±30% between runs: enough rounds for the medians to settle. */
const ROUNDS = Number(process.env.FIDELITY_ROUNDS ?? 9);
/** netcheck's default iperf3 duration (throughputCheck): both sides measure the same way. */
const DURATION_S = 2;
const PORT = 5201;
const id = `bench-${newRunId()}`;
const label = `io.netcheck.run=${id}`;
const network = `netcheck-${id}`;
const server = `netcheck-${id}-server`;
const client = `netcheck-${id}-client`;

const docker = (...args: string[]): string => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function rawSetup(): string {
  docker("network", "create", "--label", label, network);
  for (const name of [server, client]) docker("run", "-d", "--label", label, "--name", name, "--network", network, "--dns", "127.0.0.1", probeImageTag(), "sleep", "3600");
  docker("exec", "-d", server, "timeout", "3600", "iperf3", "-s", "-p", String(PORT));
  return docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", server);
}

function rawMeasure(ip: string): number {
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    let stdout = "";
    try {
      stdout = docker("exec", client, "iperf3", "-c", ip, "-p", String(PORT), "-J", "-t", String(DURATION_S), "-P", "1");
    } catch (err) {
      stdout = String((err as { stdout?: string }).stdout ?? "");
    }
    const r = parseIperf3Result({ where: client, command: [], exitCode: 0, stdout, stderr: "", durationMs: Date.now() - started, startedAt: "", timedOut: false }, ip, PORT);
    if (r.ok) return r.bitsPerSecond;
    if (attempt >= 20 || !/unable to connect|busy/.test(r.error)) throw new Error(`raw iperf3 failed: ${r.error}`);
    execFileSync("sleep", ["0.25"]);
  }
}

function rawTeardown(): void {
  const ids = docker("ps", "-aq", "--filter", `label=${label}`).split("\n").filter(Boolean);
  if (ids.length) docker("rm", "-f", ...ids);
  const nets = docker("network", "ls", "-q", "--filter", `label=${label}`).split("\n").filter(Boolean);
  if (nets.length) docker("network", "rm", ...nets);
}

/** netcheck's side: its run lab, the scenario's lab, and the check itself, kept up between rounds. */
async function netcheckLab(reportsRoot: string): Promise<{ measure(): Promise<number>; dispose(): Promise<void> }> {
  const [scenario] = await loadFile(join(projectRoot(), "scenarios", "user-defined", "perf.ts"));
  const { topology, checks } = declare(scenario!);
  const check = checks.find((c) => c.name === "c2c-throughput-tcp");
  if (!check) throw new Error("user-defined/perf has no c2c-throughput-tcp check");
  const run = await RunLab.start({ runId: newRunId(), hosts: [await localLabHost()] });
  const lab = new ScenarioLab(run, scenario!.id, "fidelity");
  const dispose = async () => {
    await lab.dispose();
    await run.dispose();
  };
  try {
    await lab.bringUp(topology);
  } catch (err) {
    await dispose();
    throw err;
  }
  const ctx = new CheckContext(run, lab, reportsRoot);
  return {
    dispose,
    async measure() {
      const out = await check.run(ctx);
      const m = out.evidence.find((e) => e.kind === "measurement" && e.metric === "throughput");
      if (!m || m.kind !== "measurement") throw new Error(`netcheck measured nothing: ${out.reason}`);
      return m.value;
    },
  };
}

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-fidelity-"));
const raw: number[] = [];
const ours: number[] = [];
let nc: Awaited<ReturnType<typeof netcheckLab>> | undefined;
try {
  const ip = rawSetup();
  nc = await netcheckLab(reportsRoot);
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(rawMeasure(ip));
    ours.push(await nc.measure());
    console.log(`round ${i + 1}: raw ${formatBitRate(raw[i]!)}  netcheck ${formatBitRate(ours[i]!)}`);
  }
} finally {
  await nc?.dispose();
  rawTeardown();
  rmSync(reportsRoot, { recursive: true, force: true });
}
const rawMedian = percentile(raw, 50);
const ourMedian = percentile(ours, 50);
console.log(`iperf3 TCP, ${DURATION_S} s, 1 stream, container → container on a user-defined bridge, ${ROUNDS} alternating rounds in one netcheck run`);
console.log(`raw docker CLI  median ${formatBitRate(rawMedian)}  (${raw.map(formatBitRate).join(", ")})`);
console.log(`netcheck        median ${formatBitRate(ourMedian)}  (${ours.map(formatBitRate).join(", ")})`);
// Rounds are seconds apart, so each pair saw about the same machine: their ratio shows a
// systematic netcheck overhead even when the load swings the medians.
const paired = percentile(ours.map((v, i) => v / raw[i]!), 50);
console.log(`paired median netcheck/raw ${paired.toFixed(3)}; medians differ by ${(((ourMedian - rawMedian) / rawMedian) * 100).toFixed(1)}%`);
console.log(`deviation=${(Math.abs(ourMedian - rawMedian) / rawMedian).toFixed(4)}`);
