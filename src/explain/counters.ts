/**
 * Per-rule netfilter counters, read from `iptables-save -c` (legacy or nft
 * backend) or `nft -a list ruleset`, and the difference between two reads:
 * which rules (and chain policies) packets hit while the probe ran.
 * Pure parsing; reading happens in the gatherer.
 */
export interface CountedRule {
  /** "iptables-nft", "iptables-legacy", "nft". */
  backend: string;
  table: string;
  chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` numbers it (nft: the handle). */
  position: number;
  /** The rule as printed, without the leading `-A CHAIN` (iptables) or the comment (nft). */
  spec: string;
  /** ACCEPT, DROP, REJECT, MASQUERADE, DNAT, a user chain… */
  target?: string;
  packets: number;
  bytes: number;
}

export interface CountedPolicy {
  backend: string;
  table: string;
  chain: string;
  policy: string;
  packets: number;
}

export interface CountedRuleset {
  backend: string;
  rules: CountedRule[];
  policies: CountedPolicy[];
}

/** Parse `iptables-save -c`: `[pkts:bytes] -A CHAIN spec` and `:CHAIN POLICY [pkts:bytes]`. */
export function parseIptablesSaveCounters(text: string, backend: string): CountedRuleset {
  const out: CountedRuleset = { backend, rules: [], policies: [] };
  const positions = new Map<string, number>();
  let table = "filter";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      table = line.slice(1);
      continue;
    }
    const pol = /^:(\S+)\s+(\S+)\s+\[(\d+):(\d+)\]/.exec(line);
    if (pol) {
      if (pol[2] !== "-") out.policies.push({ backend, table, chain: pol[1]!, policy: pol[2]!, packets: Number(pol[3]) });
      continue;
    }
    const m = /^(?:\[(\d+):(\d+)\]\s+)?-A\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const chain = m[3]!;
    const key = `${table}/${chain}`;
    const position = (positions.get(key) ?? 0) + 1;
    positions.set(key, position);
    const spec = m[4]!;
    const target = /(?:^|\s)-[jg]\s+(\S+)/.exec(spec)?.[1];
    out.rules.push({ backend, table, chain, position, spec, ...(target ? { target } : {}), packets: Number(m[1] ?? 0), bytes: Number(m[2] ?? 0) });
  }
  return out;
}

/**
 * Parse `nft -a list ruleset`: only rules with a `counter` carry figures.
 * Tables iptables-nft manages are skipped (their rules are read through
 * `iptables-save -c`, which quotes them in the words users know).
 */
export function parseNftCounters(text: string): CountedRuleset {
  const out: CountedRuleset = { backend: "nft", rules: [], policies: [] };
  let table = "";
  let chain = "";
  let skip = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const t = /^table\s+(\S+)\s+(\S+)/.exec(line);
    if (t) {
      table = `${t[1]} ${t[2]}`;
      // iptables-nft's tables: ip/ip6 filter, nat, raw, mangle, security.
      skip = /^(ip|ip6) (filter|nat|raw|mangle|security)$/.test(table);
      continue;
    }
    const c = /^chain\s+(\S+)/.exec(line);
    if (c) {
      chain = c[1]!;
      continue;
    }
    if (skip || !chain) continue;
    const counter = /counter packets (\d+) bytes (\d+)/.exec(line);
    const handle = /# handle (\d+)/.exec(line);
    if (!counter || !handle) continue;
    const spec = line.replace(/\s*# handle \d+$/, "");
    const target = /\b(accept|drop|reject|masquerade|dnat|snat|jump \S+|goto \S+)\b/.exec(spec)?.[1]?.toUpperCase();
    out.rules.push({ backend: "nft", table, chain, position: Number(handle[1]), spec, ...(target ? { target } : {}), packets: Number(counter[1]), bytes: Number(counter[2]) });
  }
  return out;
}

export interface RuleHit {
  rule: CountedRule;
  /** Packets that hit the rule between the two reads. */
  packets: number;
}

export interface PolicyHit {
  policy: CountedPolicy;
  packets: number;
}

/** Rules and policies whose counters moved between `before` and `after` (matched by backend, table, chain, position and text). */
export function counterDelta(before: CountedRuleset, after: CountedRuleset): { rules: RuleHit[]; policies: PolicyHit[] } {
  const key = (r: CountedRule) => `${r.table}\u0000${r.chain}\u0000${r.position}\u0000${r.spec}`;
  const old = new Map(before.rules.map((r) => [key(r), r]));
  const rules: RuleHit[] = [];
  for (const r of after.rules) {
    const prev = old.get(key(r));
    // A rule added between the reads counts from zero.
    const moved = r.packets - (prev?.packets ?? 0);
    if (moved > 0) rules.push({ rule: r, packets: moved });
  }
  const oldPol = new Map(before.policies.map((p) => [`${p.table}/${p.chain}`, p]));
  const policies: PolicyHit[] = [];
  for (const p of after.policies) {
    const moved = p.packets - (oldPol.get(`${p.table}/${p.chain}`)?.packets ?? 0);
    if (moved > 0) policies.push({ policy: p, packets: moved });
  }
  return { rules, policies };
}
