/** One rule from `iptables-save` / `iptables -S`: `-A CHAIN args…`. */
export interface IptablesRule {
  table: string;
  chain: string;
  /** The rule text after `-A CHAIN `, as printed. */
  spec: string;
  target?: string;
  comment?: string;
}

export interface IptablesTables {
  /** table → chain → policy (`ACCEPT`, `DROP`, `-` for user chains). */
  policies: Record<string, Record<string, string>>;
  rules: IptablesRule[];
}

/** Parse `iptables-save` output (any backend). Unknown lines are ignored. */
export function parseIptablesSave(text: string): IptablesTables {
  const out: IptablesTables = { policies: {}, rules: [] };
  let table = "filter";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      table = line.slice(1);
      out.policies[table] ??= {};
      continue;
    }
    const pol = /^:(\S+)\s+(\S+)/.exec(line);
    if (pol) {
      (out.policies[table] ??= {})[pol[1]!] = pol[2]!;
      continue;
    }
    const m = /^-A\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const spec = m[2]!;
    const target = /(?:^|\s)-j\s+(\S+)/.exec(spec)?.[1];
    const comment = /--comment\s+("([^"]*)"|(\S+))/.exec(spec);
    out.rules.push({ table, chain: m[1]!, spec, target, comment: comment ? (comment[2] ?? comment[3]) : undefined });
  }
  return out;
}

export function rulesIn(t: IptablesTables, table: string, chain: string): IptablesRule[] {
  return t.rules.filter((r) => r.table === table && r.chain === chain);
}

/** Count of rules across all tables: used to tell which backend holds rules. */
export function ruleCount(text: string): number {
  return text.split("\n").filter((l) => l.startsWith("-A ")).length;
}

/** The value after an option in a rule spec, e.g. `-s` → `172.17.0.0/16`; `!` negation is reported. */
export function ruleOption(spec: string, option: string): { value: string; negated: boolean } | undefined {
  const parts = spec.split(/\s+/);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] !== option) continue;
    const value = parts[i + 1];
    if (value === undefined) return undefined;
    return { value, negated: parts[i - 1] === "!" };
  }
  return undefined;
}
