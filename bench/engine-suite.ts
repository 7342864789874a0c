/**
 * npm run bench:engines — the single-host suite (or the given scenarios) on
 * another Docker engine: a disposable lab machine (bench/lab-machine.ts) with
 * the engine's extracted root bound at /opt/engine runs its own dockerd and
 * netcheck itself. Prints each step's time beside the load average, then the
 * run's lines for failures and skips, and the engine the results name.
 *
 *   npm run bench:engines [-- --engine 26.1] [scenarios or modes...]
 */
import { loadavg } from "node:os";
import { Engine } from "../src/engine/engine.js";
import { ensureEngineRoot } from "../src/lab/dind/engine-fetch.js";
import type { RunResult } from "../src/report/model.js";
import { newRunId } from "../src/util/ids.js";
import { dindHostImageTag, probeImageTag } from "../src/util/version.js";
import { startLabMachine } from "./lab-machine.js";

const args = process.argv.slice(2);
const at = args.indexOf("--engine");
const version = at >= 0 ? args.splice(at, 2)[1]! : "26.1";
const targets = args.length ? args.join(" ") : "bridge host none container user-defined";
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
let t = Date.now();
const step = (what: string) => {
  console.log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s (load average ${load()})`);
  t = Date.now();
};

const outer = Engine.fromEnv("local");
const engineRoot = await ensureEngineRoot(version, (await outer.version()).Version);
step(`engine ${version} root ${engineRoot ?? "(the host's own)"}`);
const machine = await startLabMachine(outer, newRunId(), process.cwd(), { engineRoot });
let exitCode = 1;
try {
  step(`lab machine ${machine.name}`);
  await machine.startDockerd();
  step(`dockerd ${(await machine.sh("docker version --format '{{.Server.Version}}'")).stdout.trim()}`);
  await machine.loadImage(probeImageTag());
  await machine.loadImage(dindHostImageTag());
  step("probe and dind-host images (save | load)");
  for (const t of targets.split(" ").filter((x) => /\.[mc]?[jt]s$/.test(x))) await machine.makeWritable(t.replace(/\/[^/]*$/, ""));
  const run = await machine.sh(`node bin/netcheck.js run ${targets} --json /tmp/r.json --reports /tmp/reports --no-color > /tmp/run.log 2>&1; cat /tmp/r.json`, 1_800_000);
  step(`netcheck run ${targets}`);
  if (!run.stdout.trim()) throw new Error(`no results: ${(await machine.sh("tail -30 /tmp/run.log")).stdout}`);
  const r = JSON.parse(run.stdout) as RunResult;
  for (const s of r.scenarios) for (const c of s.checks) if (c.status !== "pass") console.log(`  ${c.status} ${c.id}: ${(c.reason ?? "").slice(0, 300)}`);
  console.log(`engine=${r.host.engine?.version} passed=${r.totals.pass} failed=${r.totals.fail} skipped=${r.totals.skip}`);
  exitCode = r.totals.fail ? 1 : 0;
} finally {
  await machine.remove();
}
process.exit(exitCode);
