/**
 * The table users know ("multi-host? access to outside? how do containers talk?
 * isolation?") filled in from THIS run's check results: every answer names the
 * passed check that backs it. No check, no answer ("not measured").
 */
import type { CheckResult, QualitativeCell, QualitativeRow, ScenarioResult } from "../report/model.js";

interface Rule {
  /** The check's name part (after `<mode>/<scenario>/`). */
  match: RegExp;
  category?: CheckResult["category"];
  answer: string;
  /** The target must be another container (not the host, the external host, a gateway…). */
  peer?: boolean;
}

/** Names no node could have: targets that are not another container. */
const NOT_A_PEER = /external|host|gateway|loopback|published|lab-names|itself/;

const OUTSIDE: Rule[] = [
  { match: /-reaches-external-/, category: "reachability", answer: "yes" },
  { match: /^c2e-(throughput|latency)/, category: "performance", answer: "yes" },
  { match: /-cannot-reach-external-/, category: "isolation", answer: "no" },
];

const MULTI_HOST: Rule[] = [
  { match: /cross-host|across-hosts|other-host|multi-host/, category: "reachability", answer: "yes" },
  { match: /cross-host|across-hosts|other-host|multi-host/, category: "isolation", answer: "no" },
];

const C2C: Rule[] = [
  { match: /-shares-namespace-with-/, answer: "one shared namespace (127.0.0.1)" },
  { match: /in-host-network-namespace/, answer: "the host's own stack (127.0.0.1)" },
  { match: /-reaches-[a-z0-9-]+-by-name-/, category: "reachability", answer: "by name and IP (embedded DNS)", peer: true },
  { match: /-reaches-[a-z0-9-]+-icmp$/, category: "reachability", answer: "by IP only (no name resolution)", peer: true },
  { match: /-cannot-reach-[a-z0-9]+-icmp$/, category: "isolation", answer: "none", peer: true },
];

const ISOLATION: Rule[] = [
  { match: /in-host-network-namespace/, answer: "none: shares the host's namespace" },
  { match: /-cannot-reach-host-/, category: "isolation", answer: "complete: loopback only" },
  { match: /-shares-namespace-with-/, answer: "none from its target (one namespace)" },
  { match: /-cannot-reach-[a-z0-9]+-(icmp|tcp|http)$/, category: "isolation", answer: "from other networks", peer: true },
  { match: /-reaches-[a-z0-9-]+-icmp$/, category: "reachability", answer: "none between containers on the network", peer: true },
];

const nameOf = (c: CheckResult) => c.id.split("/").slice(2).join("/");

function decide(checks: CheckResult[], rules: Rule[]): QualitativeCell {
  for (const rule of rules) {
    const hits = checks.filter((c) => rule.match.test(nameOf(c)) && (!rule.category || c.category === rule.category) && !(rule.peer && NOT_A_PEER.test(nameOf(c))));
    const passed = hits.find((c) => c.status === "pass");
    if (passed) return { answer: rule.answer, checkId: passed.id, status: passed.status, detail: `${passed.id} passed` };
  }
  const tried = checks.filter((c) => rules.some((r) => r.match.test(nameOf(c))) && c.status !== "pass");
  if (tried.length) return { answer: "unknown", checkId: tried[0]!.id, status: tried[0]!.status, detail: `${tried[0]!.id} ${tried[0]!.status}: no passed check decides it` };
  return { answer: "not measured", detail: "no check in this run decides it" };
}

export function qualitativeTable(scenarios: readonly ScenarioResult[]): QualitativeRow[] {
  const modes = [...new Set(scenarios.map((s) => s.mode))];
  return modes.map((mode) => {
    const checks = scenarios.filter((s) => s.mode === mode).flatMap((s) => s.checks);
    const multiHost = decide(checks, MULTI_HOST);
    if (multiHost.answer === "not measured") multiHost.detail = "this run had one lab host: multi-host needs the VM lab";
    return {
      mode,
      multiHost,
      outside: decide(checks, OUTSIDE),
      containerToContainer: decide(checks, C2C),
      isolation: decide(checks, ISOLATION),
    };
  });
}
