import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Host } from "../host/host.js";
import type { Engine } from "../engine/engine.js";
import { LABEL_RUN } from "../util/labels.js";
import { GUARD_ROUTE_METRIC, IP6_GUARD_CHAINS } from "./guards.js";
import { ALREADY_GONE, netnsUndo } from "./owned.js";
import { isProcessAlive, readLedgers, STATE_DIR, type LedgerFile } from "./ledger.js";
import { cgroupSweepCommand, dindCgroupParent } from "./dind/daemon-config.js";
import { claimedSubnets, claimFile } from "./subnet-claims.js";

export interface SweepOptions {
  /** Only this run. */
  runId?: string;
  /** Also remove resources of runs whose process is still alive. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface SweepReport {
  removed: string[];
  problems: string[];
  /** Runs left alone because their process is alive. */
  liveRuns: string[];
}

/**
 * Remove what runs left behind, found on the system itself (containerlab's
 * way): Docker objects by label, namespaces and links by name, firewall rules
 * by comment, plus each dead run's ledger replayed. Runs whose process is
 * still alive are left alone unless `force`.
 */
export async function sweep(host: SweepHost, opts: SweepOptions = {}): Promise<SweepReport> {
  return sweepHosts([host], opts);
}

export interface SweepHost {
  name: string;
  shell: Host;
  engine: Engine;
}

/**
 * Sweep several lab hosts at once (the local engine and the VMs): each host's
 * labelled objects, links, rules and routes, and each dead run's ledger
 * entries for that host. A ledger is deleted once all its hosts were swept;
 * one with undo steps on a host named in `unreachable` (a VM that exists but
 * does not answer) is kept for the next `clean`.
 */
export async function sweepHosts(hosts: SweepHost[], opts: SweepOptions & { unreachable?: string[] } = {}): Promise<SweepReport> {
  const report: SweepReport = { removed: [], problems: [], liveRuns: [] };
  const ledgers = readLedgers();
  const live = new Set(ledgers.filter((l) => isProcessAlive(l.header.pid) && l.header.pid !== process.pid).map((l) => l.header.runId));
  const target = (runId: string | undefined) => runId !== undefined && (opts.runId ? runId === opts.runId : opts.force || !live.has(runId));
  report.liveRuns = [...live].filter((r) => !target(r));
  for (const host of hosts) await sweepOne(host, ledgers, target, report, opts.signal);
  const unreachable = new Set(opts.unreachable ?? []);
  for (const l of ledgers) {
    if (!target(l.header.runId)) continue;
    const waiting = [...new Set(l.entries.filter((e) => unreachable.has(e.host)).map((e) => e.host))];
    if (waiting.length) report.problems.push(`run ${l.header.runId}: its undo steps on ${waiting.join(", ")} wait until that host answers (kept in ${l.file})`);
    else rmSync(l.file, { force: true });
  }
  return report;
}

async function sweepOne(host: SweepHost, ledgers: LedgerFile[], target: (runId: string | undefined) => boolean, report: SweepReport, signal?: AbortSignal): Promise<void> {
  const opts = { signal };
  // On another host than this machine, say which: "container x on vm1".
  const on = host.name === "local" ? "" : ` on ${host.name}`;
  const run = async (what: string, cmd: string[]) => {
    const r = await host.shell.exec(cmd, { signal: opts.signal });
    if (r.exitCode === 0) report.removed.push(`${what}${on}`);
    else if (!ALREADY_GONE.test(r.stderr)) report.problems.push(`${what}${on}: ${r.stderr.trim()}`);
  };

  // Swarm services first (on a manager): their tasks hold the overlay networks.
  // Labelled, and named nc-<run id>-… like every lab object: the name says which run.
  const services = await host.shell.exec(["docker", "service", "ls", "--filter", `label=${LABEL_RUN}`, "--format", "{{.Name}}"], { signal });
  for (const name of services.exitCode === 0 ? services.stdout.split("\n").filter(Boolean) : []) {
    if (target(/^nc-([0-9a-z]{5})-/.exec(name)?.[1])) await run(`swarm service ${name}`, ["docker", "service", "rm", name]);
  }
  const { containers, networks } = await host.engine.listLabelled();
  for (const c of containers) {
    if (!target(c.Labels?.[LABEL_RUN])) continue;
    await host.engine.removeContainer(c.Id).then(
      () => report.removed.push(`container ${c.Names?.[0]?.replace(/^\//, "") ?? c.Id}${on}`),
      (e: Error) => report.problems.push(e.message),
    );
  }
  for (const n of networks) {
    if (!target(n.Labels?.[LABEL_RUN])) continue;
    await host.engine.removeNetwork(n.Id).then(
      () => report.removed.push(`network ${n.Name}${on}`),
      (e: Error) => report.problems.push(e.message),
    );
  }

  for (const l of ledgers) {
    if (!target(l.header.runId)) continue;
    for (const e of [...l.entries].reverse()) {
      if (e.host !== host.name) continue;
      await run(e.what, e.undo);
    }
  }

  // dind hosts whose ledger was lost: state folders and inner containers' cgroups, found by name.
  if (host.name === "local") {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(join(STATE_DIR, "dind"));
    } catch {
      dirs = [];
    }
    for (const d of dirs) {
      const m = /^nc-([0-9a-z]{5})-/.exec(d);
      if (!m || !target(m[1])) continue;
      await run(`cgroups /${dindCgroupParent(d)}`, cgroupSweepCommand(dindCgroupParent(d)));
      await run(`dind state ${join(STATE_DIR, "dind", d)}`, ["rm", "-rf", join(STATE_DIR, "dind", d)]);
    }
  }

  const netns = await host.shell.exec(["ip", "netns", "list"], { signal: opts.signal });
  for (const line of netns.stdout.split("\n")) {
    const name = line.split(/\s+/)[0] ?? "";
    const m = /^netcheck-[a-z]+-([0-9a-z]{5})$/.exec(name);
    if (m && target(m[1])) await run(`netns ${name}`, netnsUndo(name));
  }
  const links = await host.shell.exec(["ip", "-o", "link", "show"], { signal: opts.signal });
  for (const m of links.stdout.matchAll(/^\d+:\s+(netcheck-([0-9a-z]{5})[0-9a-z])[@:]/gm)) {
    if (target(m[2])) await run(`link ${m[1]}`, ["ip", "link", "del", m[1]!]);
  }
  for (const [tool, chain] of [["iptables", "DOCKER-USER"], ...IP6_GUARD_CHAINS.map((c) => ["ip6tables", c])] as const) {
    const rules = await host.shell.exec([tool, "-w", "-S", chain], { signal: opts.signal });
    for (const line of rules.stdout.split("\n")) {
      const m = /--comment "?netcheck:([0-9a-z]{5})"?/.exec(line);
      if (!m || !target(m[1]) || !line.startsWith("-A ")) continue;
      const args = line.slice(3).match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ""));
      await run(`${tool === "ip6tables" ? "ip6tables " : ""}${chain} rule ${line}`, [tool, "-w", "-D", ...args]);
    }
  }
  if (host.name !== "local") return;
  const claims = claimedSubnets();
  const liveSubnets = new Set(claims.filter((c) => !target(c.runId)).map((c) => c.subnet));
  for (const c of claims) if (target(c.runId)) rmSync(claimFile(c.subnet), { force: true });
  for (const family of ["-4", "-6"]) {
    const routes = await host.shell.exec(["ip", family, "route", "show", "type", "unreachable"], { signal: opts.signal });
    for (const line of routes.stdout.split("\n")) {
      const m = new RegExp(`^unreachable (\\S+) (?:dev lo )?metric ${GUARD_ROUTE_METRIC}\\b`).exec(line.trim());
      if (m && !liveSubnets.has(m[1]!) && !report.liveRuns.length) await run(`route unreachable ${m[1]}`, ["ip", family, "route", "del", "unreachable", m[1]!, "metric", GUARD_ROUTE_METRIC]);
    }
  }
}
