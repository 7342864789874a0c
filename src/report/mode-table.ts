/**
 * The table the classic write-ups print per networking mode — multi-host?
 * access to the outside? how do containers talk? isolation? — filled in from
 * THIS run's check results: every answer names the passed check that backs it.
 * No check, no answer ("not measured"). Pure: results in, rows out.
 *
 * Rows are modes, plus "bridge + icc=false + links" (the "containers talk only
 * through a link" case) from the daemon scenarios about links; the other daemon
 * scenarios are settings, not modes, and get no row.
 */
import type { CheckResult, QualitativeCell, QualitativeRow, ScenarioResult } from "./model.js";

interface Rule {
  /** The check's name part (after `<mode>/<scenario>/`). */
  match: RegExp;
  category?: CheckResult["category"];
  answer: string;
  /** Only for these rows (default: any). */
  rows?: string[];
  /** The target must be another container (not the host, the external host, a gateway…). */
  peer?: boolean;
}

export const LINKS_ROW = "bridge + icc=false + links";
const SINGLE_HOST_BRIDGES = ["bridge", "user-defined"];

/** Names no node could have: targets that are not another container. */
const NOT_A_PEER = /external|host|gateway|loopback|published|lab-names|itself|peer-on-|-as-/;

const MULTI_HOST: Rule[] = [
  { match: /-is-vxlan-on-the-underlay$/, answer: "yes: VXLAN between the hosts' underlay addresses" },
  { match: /cross-host|across-hosts|other-host|multi-host/, category: "reachability", answer: "yes" },
  { match: /cross-host|across-hosts|other-host|multi-host/, category: "isolation", answer: "no" },
  { match: /-to-external-snat-in-captures$/, rows: SINGLE_HOST_BRIDGES, answer: "no: host-local subnet, other hosts see the host's address (SNAT) and reach containers only through published ports" },
  { match: /-no-nat-in-captures$/, rows: ["host"], answer: "through the host's own address (no NAT)" },
  { match: /-interfaces$/, rows: ["none"], answer: "no: no interface but lo" },
  { match: /-shares-namespace-with-/, rows: ["container"], answer: "as its target's network (one namespace)" },
  { match: /peer-reaches-|peer-routes-to-the-containers/, rows: ["macvlan", "ipvlan"], category: "reachability", answer: "yes: other machines on the segment reach the containers directly" },
  { match: /-reaches-a-peer-on-the-segment/, rows: ["ipvlan"], category: "reachability", answer: "yes: containers reach other machines on the segment directly" },
  { match: /-through-etc-hosts$/, rows: [LINKS_ROW], answer: "no: a link is an /etc/hosts entry for an address on this host's docker0" },
];

const OUTSIDE: Rule[] = [
  { match: /-to-external-snat-in-captures$/, answer: "yes, masqueraded to the host's address" },
  { match: /-reaches-external-/, category: "reachability", answer: "yes" },
  { match: /^c2e-(throughput|latency)/, category: "performance", answer: "yes" },
  { match: /-cannot-reach-external-/, category: "isolation", answer: "no" },
  { match: /-shares-namespace-with-/, rows: ["container"], answer: "as its target" },
  { match: /-reaches-the-router$|-reaches-[a-z0-9-]*peer/, rows: ["macvlan", "ipvlan"], category: "reachability", answer: "on the segment (its router, its peers), no NAT" },
];

const C2C: Rule[] = [
  { match: /-reaches-[a-z0-9-]+-as-[a-z0-9-]+-http$/, rows: [LINKS_ROW], category: "reachability", answer: "only through a link, on the linked container's exposed ports" },
  { match: /-reaches-[a-z0-9-]+-as-[a-z0-9-]+-(http|icmp|tcp)$/, rows: ["bridge"], category: "reachability", answer: "by IP; by name only through a link (/etc/hosts)" },
  { match: /-shares-namespace-with-/, answer: "one shared namespace (127.0.0.1)" },
  { match: /in-host-network-namespace/, answer: "the host's own stack (127.0.0.1)" },
  { match: /-reaches-[a-z0-9-]+-by-name-/, category: "reachability", answer: "by name and IP (embedded DNS)", peer: true },
  // "No name resolution" only where a check proved the name does not resolve; a reach by IP proves only "by IP".
  { match: /-cannot-resolve-|-cannot-reach-[a-z0-9]+-by-name-/, rows: ["bridge"], answer: "by IP only (no name resolution)" },
  { match: /-reaches-[a-z0-9-]+-icmp$/, category: "reachability", answer: "by IP", peer: true },
  { match: /-cannot-reach-[a-z0-9]+-icmp$/, category: "isolation", answer: "none", peer: true },
];

const ISOLATION: Rule[] = [
  { match: /^unlinked-[a-z0-9-]+-cannot-reach-/, rows: [LINKS_ROW], category: "isolation", answer: "unlinked containers cannot talk (icc=false)" },
  { match: /in-host-network-namespace/, answer: "none: shares the host's namespace" },
  { match: /-cannot-reach-host-/, category: "isolation", answer: "complete: loopback only" },
  { match: /-shares-namespace-with-/, answer: "none from its target (one namespace)" },
  { match: /-cannot-reach-[a-z0-9]+-(icmp|tcp|http)$/, category: "isolation", answer: "from other networks", peer: true },
  { match: /-reaches-[a-z0-9-]+-icmp$/, category: "reachability", answer: "none between containers on the network", peer: true },
];

const nameOf = (c: CheckResult) => c.id.split("/").slice(2).join("/");

function decide(row: string, checks: CheckResult[], rules: Rule[]): QualitativeCell {
  const mine = rules.filter((r) => !r.rows || r.rows.includes(row));
  for (const rule of mine) {
    const hits = checks.filter((c) => rule.match.test(nameOf(c)) && (!rule.category || c.category === rule.category) && !(rule.peer && NOT_A_PEER.test(nameOf(c))));
    const passed = hits.find((c) => c.status === "pass");
    if (passed) return { answer: rule.answer, checkId: passed.id, status: passed.status, detail: `${passed.id} passed` };
  }
  const tried = checks.filter((c) => mine.some((r) => r.match.test(nameOf(c))) && c.status !== "pass" && c.status !== "skip");
  if (tried.length) return { answer: "unknown", checkId: tried[0]!.id, status: tried[0]!.status, detail: `${tried[0]!.id} ${tried[0]!.status}: no passed check decides it` };
  return { answer: "not measured", detail: "no check in this run decides it" };
}

/** The row a scenario's checks count for: its mode, the links row, or none (a daemon setting). */
export function modeTableRowOf(s: Pick<ScenarioResult, "id" | "mode">): string | undefined {
  if (s.mode !== "daemon") return s.mode;
  return /links/.test(s.id) ? LINKS_ROW : undefined;
}

/** One row per mode that ran at least one check (a mode whose scenarios were all skipped has nothing to say). */
export function modeTable(scenarios: readonly ScenarioResult[]): QualitativeRow[] {
  const rows = [...new Set(scenarios.map(modeTableRowOf).filter((r): r is string => r !== undefined))];
  return rows.flatMap((row) => {
    const checks = scenarios.filter((s) => modeTableRowOf(s) === row).flatMap((s) => s.checks);
    if (checks.length > 0 && checks.every((c) => c.status === "skip")) return [];
    const multiHost = decide(row, checks, MULTI_HOST);
    if (multiHost.answer === "not measured") multiHost.detail = "no check in this run decides it (multi-host modes need two lab hosts: docker-in-docker or the VM lab)";
    return [{ mode: row, multiHost, outside: decide(row, checks, OUTSIDE), containerToContainer: decide(row, checks, C2C), isolation: decide(row, checks, ISOLATION) }];
  });
}

/** The table as terminal text: one block per row, each answer with the check that backs it. */
export function renderModeTable(rows: readonly QualitativeRow[], opts: { color?: boolean } = {}): string {
  const bold = (s: string) => (opts.color ? `\u001b[1m${s}\u001b[22m` : s);
  const cell = (q: QualitativeCell) => (q.checkId ? `${q.answer} — ${q.detail}` : `${q.answer} (${q.detail})`);
  const out = [bold("What this run showed, per mode (each answer backed by a check of this run)")];
  for (const q of rows) {
    out.push(bold(q.mode));
    out.push(`  multi-host              ${cell(q.multiHost)}`);
    out.push(`  access to outside       ${cell(q.outside)}`);
    out.push(`  container ↔ container   ${cell(q.containerToContainer)}`);
    out.push(`  isolation               ${cell(q.isolation)}`);
  }
  return out.join("\n");
}
