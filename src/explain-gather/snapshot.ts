import type { ExecResult, Host } from "../host/host.js";
import { parseIptablesSaveCounters, parseNftCounters, type CountedRuleset } from "../explain/counters.js";

/**
 * One read of every per-rule counter in a namespace: iptables-nft, iptables-
 * legacy (when its tables exist) and native nftables rules with counters.
 * Reads only; `iptables-save` never changes a rule or a counter.
 */
export interface CounterSnapshot {
  rulesets: CountedRuleset[];
  /** One line per command: what ran and how it went. */
  log: string[];
}

const READERS: { backend: string; command: string[]; parse: (text: string, backend: string) => CountedRuleset }[] = [
  { backend: "iptables-nft", command: ["iptables-nft-save", "-c"], parse: parseIptablesSaveCounters },
  { backend: "iptables-legacy", command: ["iptables-legacy-save", "-c"], parse: parseIptablesSaveCounters },
  { backend: "nft", command: ["nft", "-a", "list", "ruleset"], parse: (t) => parseNftCounters(t) },
];

export async function snapshotCounters(host: Host, signal?: AbortSignal): Promise<CounterSnapshot> {
  const results = await Promise.all(READERS.map(async (r) => ({ r, res: await host.exec(r.command, { signal, timeoutMs: 10_000 }).catch((e: unknown) => failed(r.command, e)) })));
  const rulesets: CountedRuleset[] = [];
  const parts: string[] = [];
  for (const { r, res } of results) {
    if (res.exitCode !== 0) {
      parts.push(`${r.backend}: exit ${res.exitCode}${res.stderr.trim() ? ` (${res.stderr.trim().split("\n")[0]})` : ""}`);
      continue;
    }
    const set = r.parse(res.stdout, r.backend);
    rulesets.push(set);
    parts.push(`${r.backend} ${set.rules.length} rules`);
  }
  return { rulesets, log: [`counters on ${host.name} (${READERS.map((r) => r.command[0]).join(", ")}): ${parts.join(", ")}`] };
}

/** Pair the rulesets of two snapshots by backend. */
export function pairSnapshots(before: CounterSnapshot, after: CounterSnapshot): { before: CountedRuleset; after: CountedRuleset }[] {
  return after.rulesets.flatMap((a) => {
    const b = before.rulesets.find((x) => x.backend === a.backend);
    return b ? [{ before: b, after: a }] : [];
  });
}

function failed(command: string[], e: unknown): ExecResult {
  return { where: "", command, exitCode: 127, stdout: "", stderr: e instanceof Error ? e.message : String(e), durationMs: 0, startedAt: new Date().toISOString(), timedOut: false };
}
