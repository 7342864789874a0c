import { cidrContains, isIpv4, parseCidr } from "../util/ipv4.js";
import { counterDelta, type CountedRule, type RuleHit } from "./counters.js";
import type { Explanation, ExplainFacts, PlaceFacts } from "./facts.js";
import { flowText } from "./flow.js";
import { lookupRoute, type RouteDecision } from "./route.js";
import { ruleMatchesFlow, type RuleMatch } from "./rule-match.js";
import { settingOff } from "./daemon.js";
import { explainLeak } from "./explain-leak.js";
import { dropFix, plural, routeFix, ruleName } from "./fixes.js";

/**
 * Why a probe's packets did (not) get through: a pure function of the facts
 * read around one probe. Causes are tried from the source outwards; each
 * states itself only on evidence that names it (a refusing route, a sysctl, a
 * dropping rule whose counter moved and whose every match fits the flow).
 * Anything weaker is `likely`; nothing at all is `inconclusive` — never a
 * guess stated with confidence.
 */
export function explainFlow(f: ExplainFacts): Explanation {
  const hits = f.places.map((p) => ({ place: p, hits: placeHits(p, f) }));
  const path = pathEvidence(f, hits);
  const done = (kind: Explanation["kind"], summary: string, evidence: string[], fix?: string): Explanation => ({ kind, summary, evidence: [...evidence, ...path], ...(fix ? { fix } : {}) });
  const gotThrough = f.outcome.class === "delivered" || f.outcome.class === "refused";
  if (f.expect === "block" && (gotThrough || (f.arrival?.requests ?? 0) > 0)) {
    const leak = explainLeak(f, hits);
    return done(leak.kind, leak.summary, leak.evidence, leak.fix);
  }
  if (gotThrough) {
    const how = f.outcome.class === "delivered" ? `the target answered (${f.outcome.why})` : `the path is open: the target's kernel answered (${f.outcome.why})`;
    return done("delivered", how, []);
  }
  const source = f.places.find((p) => p.role === "source");
  const host = f.places.find((p) => p.role === "host");
  const target = f.places.find((p) => p.role === "target");

  // Before the probe-error exit: a blackhole route makes sendto fail with EINVAL, which the probe cannot classify.
  const srcRoute = source?.routeGet && refusingRoute(source, source.routeGet, f.flow.dst);
  if (srcRoute) return done("cause", `${srcRoute.what} from ${f.flow.src} to ${f.flow.dst} in ${source!.where}`, [...srcRoute.evidence, `probe: ${f.outcome.class} — ${f.outcome.why}`], routeFix(srcRoute.line, source!, f.flow.dst));
  // A dropping rule whose counter moved during the probe and whose every match fits the flow: evidence however the
  // probe failed (a DROP in OUTPUT makes the sender's own sendto fail with EPERM, which the probe cannot classify).
  const drops = hits.flatMap(({ place, hits }) => hits.filter((h) => isDrop(h.rule) && h.match !== "no").map((h) => ({ place, ...h })));
  const sure = drops.find((d) => d.match === "yes");
  if (sure) {
    return done(
      "cause",
      `dropped by ${ruleName(sure.rule)} in ${sure.place.where} (\`${sure.rule.spec}\`), ${plural(sure.packets, "packet")} during the probe`,
      [
        `${ruleName(sure.rule)} [${sure.rule.backend}] counter moved by ${sure.packets} while the probe ran; every match in it fits ${flowText(f.flow)}`,
        ...drops.filter((d) => d !== sure).map((d) => `also moved: ${ruleName(d.rule)} in ${d.place.where} (\`${d.rule.spec}\`), +${d.packets} (${d.match === "yes" ? "fits the flow" : "may fit the flow"})`),
      ],
      dropFix(sure.rule, sure.place, f.daemon),
    );
  }

  if (f.outcome.class === "probe-error" || f.outcome.class === "dns-failure") {
    return done("inconclusive", `inconclusive: the probe proved nothing about the path (${f.outcome.class}: ${f.outcome.why})`, []);
  }

  const forwarded = f.flow.inIface !== undefined && f.flow.outIface !== undefined && f.flow.inIface !== f.flow.outIface;
  const ipForward = host?.sysctls?.["net.ipv4.ip_forward"];
  if (host && forwarded && ipForward === "0") {
    const daemonOff = settingOff(f.daemon, "ipForward");
    return done(
      "cause",
      `ip_forward=0 on ${host.where}: packets from ${f.flow.inIface} to ${f.flow.outIface} are not forwarded${daemonOff ? ` (${daemonOff}, so it did not turn it on)` : ""}`,
      [`net.ipv4.ip_forward = 0 on ${host.where} (read from /proc/sys/net/ipv4/ip_forward)`, ...(daemonOff ? [daemonOff] : [])],
      `sysctl -w net.ipv4.ip_forward=1, and keep it in /etc/sysctl.d/ (a sysctl reset turned it off)${daemonOff ? '; or let dockerd turn it on: remove "ip-forward": false' : ""}`,
    );
  }
  const hostRoute = host?.routeGet && refusingRoute(host, host.routeGet, f.flow.dst);
  if (hostRoute) return done("cause", `${hostRoute.what} for ${f.flow.dst} on ${host!.where}`, hostRoute.evidence, routeFix(hostRoute.line, host!, f.flow.dst));
  const backRoute = host?.routeBack && refusingRoute(host, host.routeBack, f.flow.src);
  if (backRoute) return done("cause", `${backRoute.what} for ${f.flow.src} on ${host!.where}: the target's replies to ${f.flow.src} are dropped there`, backRoute.evidence, routeFix(backRoute.line, host!, f.flow.src));

  const unNat = missingMasquerade(f, host);
  if (unNat) return done(unNat.kind, unNat.summary, unNat.evidence, unNat.fix);
  const noAccept = host && forwardWithoutAccept(f, host);
  if (noAccept) return done(noAccept.kind, noAccept.summary, noAccept.evidence, noAccept.fix);

  const arrived = f.arrival && f.arrival.requests > 0;
  if (arrived && f.arrival!.replies > 0) {
    return done(
      "likely",
      `the target answered (${plural(f.arrival!.replies, "reply", "replies")} seen at ${f.arrival!.where}) but no reply reached the source: the reply was lost on the way back`,
      [],
      `capture on the way back (tcpdump -ni ${f.flow.inIface ?? "<the source's bridge>"} host ${f.flow.src}) to see where the reply stops`,
    );
  }
  if (arrived) {
    const targetDrops = drops.filter((d) => d.place === target);
    return done(
      "likely",
      `reached ${f.arrival!.where} (${plural(f.arrival!.requests, "probe packet")}), no reply${targetDrops.length ? `: ${ruleName(targetDrops[0]!.rule)} in ${target!.where} moved` : " from the target: its own firewall, or nothing answers"}`,
      [],
      `look inside the target: its firewall (iptables -S in ${target?.where ?? "its namespace"}) and whether anything listens`,
    );
  }
  const maybe = drops[0];
  if (maybe) {
    return done(
      "likely",
      `probably dropped by ${ruleName(maybe.rule)} in ${maybe.place.where} (\`${maybe.rule.spec}\`), +${maybe.packets} during the probe — it holds matches that could not be checked against the flow`,
      [],
      dropFix(maybe.rule, maybe.place, f.daemon),
    );
  }
  const policy = policyDrop(f, hits);
  if (policy) return done("likely", policy.summary, policy.evidence, policy.fix);
  const notArrived = f.arrival ? `: 0 probe packets arrived at ${f.arrival.where}` : "";
  return done("inconclusive", `inconclusive${notArrived}; no route, setting or dropping rule gathered explains it`, []);
}

export interface Hit extends RuleHit {
  match: RuleMatch;
}

function placeHits(p: PlaceFacts, f: ExplainFacts): Hit[] {
  return p.rulesets.flatMap(({ before, after }) => counterDelta(before, after).rules.map((h) => ({ ...h, match: matchIn(h.rule, p, f) })));
}

function matchIn(rule: CountedRule, p: PlaceFacts, f: ExplainFacts): RuleMatch {
  if (rule.backend === "nft") return "maybe";
  // Interfaces are the host's; inside a namespace they are unknown.
  const flow = p.role === "host" ? f.flow : { ...f.flow, inIface: undefined, outIface: undefined };
  return ruleMatchesFlow(rule.spec, flow);
}

const isDrop = (r: CountedRule): boolean => r.target === "DROP" || r.target === "REJECT";

function refusingRoute(p: PlaceFacts, d: RouteDecision, dst: string): { what: string; evidence: string[]; line: string } | undefined {
  if (d.kind === "via" || d.kind === "local" || d.kind === "unknown") return undefined;
  const entry = p.routes && isIpv4(dst) ? lookupRoute(p.routes, dst) : undefined;
  const lookup = `\`ip route get ${dst}\` in ${p.where}: ${d.text}`;
  if (entry && entry.type !== "unicast") return { what: `${entry.type} route \`${entry.line}\``, line: entry.line, evidence: [lookup, `route table of ${p.where}: \`${entry.line}\` is the most specific route for ${dst}`] };
  // The lookup's errno alone is not proof: EHOSTUNREACH also comes from ip_forward=0, EINVAL from a bad iif.
  if (d.kind === "no-route" && p.routes && !entry) return { what: "no route", line: "", evidence: [lookup, `no route in ${p.where}'s table covers ${dst}`] };
  return undefined;
}

function missingMasquerade(f: ExplainFacts, host: PlaceFacts | undefined): Explanation | undefined {
  if (!f.leavesHost || !host) return undefined;
  const entries = (f.conntrack ?? []).filter((e) => e.orig.src === f.flow.src && e.orig.dst === f.flow.dst);
  const nat = host.rulesets.flatMap((r) => r.after.rules).filter((r) => r.table === "nat" && r.chain === "POSTROUTING" && (r.target === "MASQUERADE" || r.target === "SNAT"));
  const fits = nat.filter((r) => ruleMatchesFlow(r.spec, f.flow) !== "no");
  const unSnated = entries.find((e) => e.reply.dst === f.flow.src);
  if (fits.length > 0 && !unSnated) return undefined;
  const noIptables = settingOff(f.daemon, "iptables");
  const evidence = [
    fits.length ? `nat POSTROUTING rules that could rewrite it: ${fits.map((r) => `\`${r.spec}\``).join("; ")}` : `no MASQUERADE/SNAT rule in nat POSTROUTING fits ${f.flow.src} out of ${f.flow.outIface ?? "?"} (${nat.length} such rules for other sources/interfaces)`,
    ...entries.map((e) => `conntrack: ${e.line}${e.reply.dst === f.flow.src ? " — reply goes to the private source address: not NATed" : ""}`),
    ...(f.arrival ? [`${f.arrival.requests} probe packets arrived at ${f.arrival.where}, ${f.arrival.replies} replies seen there`] : []),
    ...(noIptables ? [noIptables] : []),
  ];
  const proven = fits.length === 0 && (unSnated !== undefined || (f.arrival?.requests ?? 0) > 0);
  const bridge = f.flow.inIface ?? "<bridge>";
  const subnet = (host.routes && lookupRoute(host.routes, f.flow.src)?.prefix) ?? "<its subnet>";
  const rule = `iptables -t nat -A POSTROUTING -s ${subnet} ! -o ${bridge} -j MASQUERADE`;
  return {
    kind: proven ? "cause" : "likely",
    summary: `not masqueraded: ${f.flow.src} left ${host.where} through ${f.flow.outIface ?? "its uplink"} with its private address (no MASQUERADE for it in nat POSTROUTING${noIptables ? `: ${noIptables}, so Docker adds none` : ""}), so the target's reply has no way back`,
    evidence,
    fix: noIptables ? `set "iptables": true (and restart dockerd), or add the rule yourself: ${rule}` : `restart dockerd (it re-creates its MASQUERADE rules) or add it back: ${rule}; then find what flushed nat POSTROUTING (a firewall reload)`,
  };
}

/** Filter FORWARD ends in policy DROP and no ACCEPT rule for this flow exists at all: Docker's own rules are gone. */
function forwardWithoutAccept(f: ExplainFacts, host: PlaceFacts): Explanation | undefined {
  if (!f.flow.inIface || !f.flow.outIface) return undefined;
  // Traffic between two ports of one bridge meets iptables only with bridge-nf-call-iptables on.
  if (f.flow.inIface === f.flow.outIface && host.sysctls?.["net.bridge.bridge-nf-call-iptables"] !== "1") return undefined;
  for (const { before, after } of host.rulesets) {
    if (after.backend === "nft") continue;
    const moved = counterDelta(before, after).policies.find((p) => p.policy.table === "filter" && p.policy.chain === "FORWARD" && p.policy.policy === "DROP");
    if (!moved) continue;
    const accepts = after.rules.filter((r) => r.table === "filter" && r.target === "ACCEPT" && ruleMatchesFlow(r.spec, f.flow) !== "no");
    if (accepts.length) continue;
    const noIptables = settingOff(f.daemon, "iptables");
    const bridge = f.flow.inIface;
    return {
      kind: "cause",
      summary: `dropped by the FORWARD policy DROP on ${host.where}: no ACCEPT rule for traffic from ${bridge} to ${f.flow.outIface} exists (${noIptables ? `${noIptables}, so Docker adds none` : `Docker's FORWARD rules for ${bridge} are gone`}); +${moved.packets} on the policy counter during the probe`,
      evidence: [
        `filter FORWARD policy DROP [${after.backend}] counter moved by ${moved.packets} while the probe ran`,
        `no ACCEPT rule in table filter [${after.backend}] can match ${flowText(f.flow)} (${after.rules.filter((r) => r.table === "filter").length} filter rules read)`,
        ...(noIptables ? [noIptables] : []),
      ],
      fix: noIptables
        ? `set "iptables": true and restart dockerd, or accept the bridge's traffic yourself: iptables -I FORWARD -i ${bridge} -j ACCEPT; iptables -I FORWARD -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`
        : `restart dockerd (it re-creates its FORWARD rules), then find what removed them (a firewall reload: ufw, firewalld, iptables-restore)`,
    };
  }
  return undefined;
}

function policyDrop(f: ExplainFacts, hits: { place: PlaceFacts; hits: Hit[] }[]): Explanation | undefined {
  const host = f.places.find((p) => p.role === "host");
  if (!host) return undefined;
  const accepted = hits.find((h) => h.place === host)?.hits.some((h) => h.rule.table === "filter" && h.rule.chain === "FORWARD" && h.rule.target === "ACCEPT" && h.match === "yes");
  for (const { before, after } of host.rulesets) {
    const moved = counterDelta(before, after).policies.find((p) => p.policy.table === "filter" && p.policy.chain === "FORWARD" && p.policy.policy === "DROP");
    if (moved && !accepted) {
      return {
        kind: "likely",
        summary: `dropped by the FORWARD chain's policy DROP on ${host.where} (no rule accepted the flow; +${moved.packets} on the policy counter during the probe)`,
        evidence: [`filter FORWARD policy DROP [${moved.policy.backend}] counter moved by ${moved.packets}; no ACCEPT rule that fits the flow moved`],
        fix: `find which ACCEPT rule should have let it through (iptables -L FORWARD -v --line-numbers on ${host.where}); restarting dockerd re-creates Docker's own`,
      };
    }
  }
  return undefined;
}

function pathEvidence(f: ExplainFacts, hits: { place: PlaceFacts; hits: Hit[] }[]): string[] {
  const out: string[] = [];
  for (const p of f.places) {
    if (p.routeGet) out.push(`route in ${p.where}: ${p.routeGet.text}`);
    const moved = hits.find((h) => h.place === p)?.hits.filter((h) => h.match !== "no" && h.rule.target !== undefined && h.rule.target !== "RETURN" && !/^DOCKER/.test(h.rule.target)) ?? [];
    for (const h of moved.slice(0, 8)) out.push(`rule hit in ${p.where}: ${ruleName(h.rule)} (\`${h.rule.spec}\`) +${h.packets}${h.match === "maybe" ? " (may be other traffic)" : ""}`);
    for (const [k, v] of Object.entries(p.sysctls ?? {})) out.push(`${k} = ${v} on ${p.where}`);
    for (const n of p.neighbours ?? []) out.push(`neighbour in ${p.where}: ${n}`);
    for (const b of p.bridgePorts ?? []) out.push(`bridge port on ${p.where}: ${b}`);
  }
  for (const e of f.conntrack ?? []) out.push(`conntrack: ${e.line}${natWords(e)}`);
  if (f.arrival) out.push(`capture at ${f.arrival.where}: ${f.arrival.requests} probe packets, ${f.arrival.replies} replies`);
  out.push(...f.gathered.map((g) => `gathered: ${g}`));
  return out;
}

function natWords(e: { orig: { src: string; dst: string; dport: number }; reply: { src: string; dst: string; sport: number } }): string {
  const parts: string[] = [];
  if (e.reply.src !== e.orig.dst) parts.push(`DNAT ${e.orig.dst} → ${e.reply.src}`);
  if (e.reply.dst !== e.orig.src) parts.push(`SNAT ${e.orig.src} → ${e.reply.dst}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** Whether an address lies in one of the given subnets (the Docker bridges'). */
export function inAnySubnet(ip: string, subnets: string[]): boolean {
  return isIpv4(ip) && subnets.some((s) => {
    try {
      return cidrContains(parseCidr(s), ip);
    } catch {
      return false;
    }
  });
}
