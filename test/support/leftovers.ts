/**
 * "Nothing left behind", checked on the system itself (not by trusting the
 * tool): labelled containers and networks, netcheck-* namespaces and links,
 * DOCKER-USER rules commented netcheck:<run>, unreachable guard routes
 * (metric 4242), ledgers under /run/netcheck/runs and subnet claims.
 *
 * Other people's runs may share this engine, so by default only the given run
 * ids count (plus guard routes no claim explains, whoever made them). With
 * CI=true or NETCHECK_E2E_STRICT=1 (one run at a time) ANY netcheck resource counts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";

const STATE_DIR = process.env.NETCHECK_STATE_DIR ?? "/run/netcheck";
const GUARD_METRIC = "4242";

export const strictLeftovers = process.env.CI === "true" || process.env.NETCHECK_E2E_STRICT === "1";

async function sh(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false });
  return String(r.stdout);
}

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

export interface Leftover {
  runId?: string;
  what: string;
}

export async function findLeftovers(runIds: string[], strict = strictLeftovers): Promise<Leftover[]> {
  const ours = (id: string | undefined) => id !== undefined && (strict || runIds.includes(id));
  const found: Leftover[] = [];
  for (const kind of ["container", "network"] as const) {
    const out = kind === "container"
      ? await sh("docker", ["ps", "-a", "--filter", "label=io.netcheck.run", "--format", '{{.Names}} {{.Label "io.netcheck.run"}}'])
      : await sh("docker", ["network", "ls", "--filter", "label=io.netcheck.run", "--format", '{{.Name}} {{.Label "io.netcheck.run"}}']);
    for (const [name, id] of out.split("\n").filter(Boolean).map((l) => l.split(" "))) if (ours(id)) found.push({ runId: id, what: `${kind} ${name}` });
  }
  for (const line of (await sh("ip", ["netns", "list"])).split("\n")) {
    const name = line.split(/\s+/)[0] ?? "";
    const m = /^netcheck-[a-z]+-([0-9a-z]{5})$/.exec(name);
    if (name.startsWith("netcheck-") && (strict || ours(m?.[1]))) found.push({ runId: m?.[1], what: `netns ${name}` });
  }
  for (const m of (await sh("ip", ["-o", "link", "show"])).matchAll(/^\d+:\s+(netcheck-([0-9a-z]{5})?[^@:\s]*)[@:]/gm)) {
    // The VM lab's libvirt bridges live until `netcheck vm down`: not a run's leftovers.
    if (m[1]!.startsWith("netcheck-vm-")) continue;
    if (strict || ours(m[2])) found.push({ runId: m[2], what: `link ${m[1]}` });
  }
  for (const [tool, chain] of [["iptables", "DOCKER-USER"], ["ip6tables", "DOCKER-USER"], ["ip6tables", "FORWARD"]]) {
    for (const line of (await sh(tool!, ["-w", "-S", chain!])).split("\n")) {
      const m = /netcheck:([0-9a-z]+)/.exec(line);
      if (m && ours(m[1])) found.push({ runId: m[1], what: `${tool === "ip6tables" ? "ip6tables " : ""}DOCKER-USER rule ${line}` });
    }
  }
  const claims = listDir(join(STATE_DIR, "subnets")).map((f) => ({ subnet: f.replace("_", "/"), runId: readFileSync(join(STATE_DIR, "subnets", f), "utf8").trim() }));
  for (const c of claims) if (ours(c.runId)) found.push({ runId: c.runId, what: `subnet claim ${c.subnet}` });
  const claimed = new Set(claims.map((c) => c.subnet));
  for (const family of ["-4", "-6"]) {
    for (const line of (await sh("ip", [family, "route", "show", "type", "unreachable"])).split("\n")) {
      const m = new RegExp(`^unreachable (\\S+) .*metric ${GUARD_METRIC}\\b`).exec(line.trim());
      // A guard route whose subnet nobody claims belongs to no live run: an orphan, whoever made it.
      if (m && (strict || !claimed.has(m[1]!))) found.push({ what: `route ${line.trim()}` });
    }
  }
  // dind lab hosts: their state folders (daemon.json, socket) and the cgroups their inner containers made.
  for (const d of listDir(join(STATE_DIR, "dind"))) {
    const m = /^nc-([0-9a-z]{5})-/.exec(d);
    if (strict || ours(m?.[1])) found.push({ runId: m?.[1], what: `dind state ${join(STATE_DIR, "dind", d)}` });
  }
  for (const d of listDir("/sys/fs/cgroup/memory").concat(listDir("/sys/fs/cgroup/unified"))) {
    const m = /^netcheck-dind-([0-9a-z]{5})-/.exec(d);
    if (m && (strict || ours(m[1]))) found.push({ runId: m[1], what: `cgroup ${d}` });
  }
  for (const f of listDir(join(STATE_DIR, "runs"))) {
    const id = f.replace(/\.jsonl$/, "");
    if (ours(id)) found.push({ runId: id, what: `ledger ${join(STATE_DIR, "runs", f)}` });
  }
  return found;
}


/** What a run (or, without an id, any run) left on this machine, one line each. */
export async function leftovers(runId?: string): Promise<string[]> {
  return (await findLeftovers(runId ? [runId] : [], runId === undefined || strictLeftovers)).map((l) => l.what);
}
