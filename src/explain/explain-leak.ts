import { counterDelta, type CountedRule } from "./counters.js";
import { settingOff } from "./daemon.js";
import type { Hit } from "./explain.js";
import type { Explanation, ExplainFacts, PlaceFacts } from "./facts.js";
import { flowText } from "./flow.js";
import { plural, ruleName } from "./fixes.js";

type Leak = Pick<Explanation, "kind" | "summary" | "evidence" | "fix">;

/**
 * A bridge of Docker's: docker0 and br-<network id> by default, any name a
 * network's com.docker.network.bridge.name gives it — Docker then writes its
 * egress rule `-i <bridge> ! -o <bridge> -j ACCEPT` into FORWARD for it.
 */
function dockerBridge(iface: string | undefined, filter: CountedRule[]): iface is string {
  if (iface === undefined) return false;
  return iface === "docker0" || iface.startsWith("br-") || filter.some((r) => r.chain === "FORWARD" && r.spec === `-i ${iface} ! -o ${iface} -j ACCEPT`);
}

/**
 * Why a flow that had to be blocked got through (an isolation check that
 * failed): the rule or policy that accepted its requests, in the order the
 * FORWARD chain meets them — a user's ACCEPT in DOCKER-USER, Docker's own
 * isolation chains missing the pair of bridges, the chain's policy ACCEPT.
 */
export function explainLeak(f: ExplainFacts, hits: { place: PlaceFacts; hits: Hit[] }[]): Leak {
  const host = f.places.find((p) => p.role === "host");
  const how = f.outcome.class === "delivered" || f.outcome.class === "refused" ? `the probe got through (${f.outcome.why})` : `${plural(f.arrival?.requests ?? 0, "probe packet")} arrived at ${f.arrival?.where}`;
  if (!host) return { kind: "inconclusive", summary: `inconclusive: ${how}, and the host's rules were not read`, evidence: [] };
  const hostHits = hits.find((h) => h.place === host)?.hits ?? [];
  const accepts = hostHits.filter((h) => h.rule.table === "filter" && h.rule.target === "ACCEPT" && h.match !== "no");
  const evidence = (h: Hit) => `${ruleName(h.rule)} [${h.rule.backend}] counter moved by ${h.packets} while the probe ran; ${h.match === "yes" ? "every match in it fits" : "it may fit"} ${flowText(f.flow)}`;

  const user = accepts.find((h) => h.rule.chain === "DOCKER-USER");
  if (user) {
    return {
      kind: user.match === "yes" ? "cause" : "likely",
      summary: `let through by ${ruleName(user.rule)} on ${host.where} (\`${user.rule.spec}\`): ${how}`,
      evidence: [evidence(user), "DOCKER-USER runs before Docker's isolation rules: an ACCEPT there bypasses them"],
      fix: `delete it (iptables -D DOCKER-USER ${user.rule.position}) or narrow it: accept only replies (-m conntrack --ctstate RELATED,ESTABLISHED) or only the flows meant to pass, and end DOCKER-USER with -j RETURN`,
    };
  }

  const [inIf, outIf] = [f.flow.inIface, f.flow.outIface];
  const filter = host.rulesets.filter((r) => r.after.backend !== "nft").flatMap((r) => r.after.rules).filter((r) => r.table === "filter");
  if (dockerBridge(inIf, filter) && dockerBridge(outIf, filter) && inIf !== outIf) {
    const stage1 = filter.find((r) => r.chain === "DOCKER-ISOLATION-STAGE-1" && r.spec.startsWith(`-i ${inIf} ! -o ${inIf} `));
    const stage2 = filter.find((r) => r.chain === "DOCKER-ISOLATION-STAGE-2" && r.spec.startsWith(`-o ${outIf} `) && r.target === "DROP");
    if (filter.length && (!stage1 || !stage2)) {
      const noIptables = settingOff(f.daemon, "iptables");
      const missing = [!stage1 ? `DOCKER-ISOLATION-STAGE-1 has no rule for traffic from ${inIf}` : "", !stage2 ? `DOCKER-ISOLATION-STAGE-2 has no DROP for traffic into ${outIf}` : ""].filter(Boolean);
      const chains = [...new Set(filter.filter((r) => r.chain.startsWith("DOCKER-ISOLATION")).map((r) => `${r.chain}: \`${r.spec}\``))];
      return {
        kind: "cause",
        summary: `Docker's network isolation between ${inIf} and ${outIf} is missing on ${host.where}: ${missing.join(", ")} (${noIptables ?? "the isolation chains were flushed"}): ${how}`,
        evidence: [...missing, `isolation rules read: ${chains.length ? chains.join("; ") : "none"}`, ...accepts.slice(0, 3).map(evidence)],
        fix: noIptables ? 'set "iptables": true and restart dockerd (it writes the isolation chains)' : "restart dockerd (it rebuilds DOCKER-ISOLATION-STAGE-1/2), and stop what flushes them (a firewall script running iptables -F)",
      };
    }
  }

  const sure = accepts.find((h) => h.match === "yes" && !dockerEgress(h, inIf));
  if (sure) return { kind: "cause", summary: `let through by ${ruleName(sure.rule)} on ${host.where} (\`${sure.rule.spec}\`): ${how}`, evidence: [evidence(sure)], fix: `remove or narrow the rule (iptables -D ${sure.rule.chain} ${sure.rule.position})` };

  for (const { before, after } of host.rulesets) {
    const policy = counterDelta(before, after).policies.find((p) => p.policy.table === "filter" && p.policy.chain === "FORWARD" && p.policy.policy === "ACCEPT");
    if (policy && !accepts.some((h) => h.match === "yes")) {
      const noIptables = settingOff(f.daemon, "iptables");
      return {
        kind: "cause",
        summary: `let in by the FORWARD chain's policy ACCEPT on ${host.where}: no rule accepted or dropped it (+${policy.packets} on the policy counter during the probe): ${how}`,
        evidence: [`filter FORWARD policy ACCEPT [${after.backend}] counter moved by ${policy.packets}; no ACCEPT rule fitting ${flowText(f.flow)} moved`, ...(noIptables ? [noIptables] : [])],
        fix: noIptables
          ? 'set "iptables": true (dockerd then sets the FORWARD policy to DROP), or iptables -P FORWARD DROP with your own ACCEPT rules'
          : "iptables -P FORWARD DROP (dockerd sets DROP only when it turns ip_forward on itself: a host with ip_forward=1 preset keeps ACCEPT; set the policy in your firewall config)",
      };
    }
  }
  const any = accepts[0];
  if (any) return { kind: "likely", summary: `probably let through by ${ruleName(any.rule)} on ${host.where} (\`${any.rule.spec}\`): ${how}`, evidence: accepts.slice(0, 4).map(evidence), fix: `check whether this rule should accept ${flowText(f.flow)}` };
  return { kind: "inconclusive", summary: `inconclusive: ${how}; no rule or policy gathered shows what accepted it`, evidence: [] };
}

/** Docker's own "-i br ! -o br -j ACCEPT": it accepts what left the isolation chains, so it is not the leak itself. */
const dockerEgress = (h: Hit, inIf: string | undefined): boolean => inIf !== undefined && h.rule.chain === "FORWARD" && h.rule.spec === `-i ${inIf} ! -o ${inIf} -j ACCEPT`;
