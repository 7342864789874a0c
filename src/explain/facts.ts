import type { ConntrackEntry } from "../probes/conntrack.js";
import type { ReachOutcome } from "../probes/outcome.js";
import type { TargetArrival } from "../assert/reach.js";
import type { CountedRuleset } from "./counters.js";
import type { DaemonSettings } from "./daemon.js";
import type { Flow } from "./flow.js";
import type { RouteDecision, RouteEntry } from "./route.js";

/** What was read in one network namespace (the host, the source's, the target's) around the probe. */
export interface PlaceFacts {
  /** "the host", "a's namespace". */
  where: string;
  role: "host" | "source" | "target";
  /** Each ruleset read before and after the probe (iptables-nft, iptables-legacy, nft). */
  rulesets: { before: CountedRuleset; after: CountedRuleset }[];
  /** The route decision toward the target (on the host: for the source's packets arriving on the flow's in-interface). */
  routeGet?: RouteDecision;
  /** On the host: the route decision toward the source (where the target's replies go). */
  routeBack?: RouteDecision;
  /** `ip route show`: lets a refused lookup be tied to the route that refused it. */
  routes?: RouteEntry[];
  /** "net.ipv4.ip_forward" → "1", "net.bridge.bridge-nf-call-iptables" → "1", "net.ipv4.conf.all.rp_filter"… */
  sysctls?: Record<string, string>;
  /** Neighbour entries toward the next hop (`ip neigh show`), as printed. */
  neighbours?: string[];
  /** Bridge port lines (`bridge -d link show`) of the ports the flow crosses. */
  bridgePorts?: string[];
}

/** Everything an explanation may use. Absent facts are simply not used; `gathered` says what was read. */
export interface ExplainFacts {
  flow: Flow;
  outcome: ReachOutcome;
  /** What the failed check wanted: the flow to get through (default), or to be blocked (an isolation check that leaked). */
  expect?: "reach" | "block";
  places: PlaceFacts[];
  /** The kernel's conntrack entries of this flow (on the host). */
  conntrack?: ConntrackEntry[];
  /** What a capture at the target saw of the probe's own packets. */
  arrival?: TargetArrival;
  /** The target lies beyond the host (the external host, the internet): Docker masquerades such traffic. */
  leavesHost?: boolean;
  /** How many request packets the probe sent (ping count, SYN retries), when known. */
  probePackets?: number;
  /** The Docker daemon's settings on the host (dockerd flags, daemon.json). */
  daemon?: DaemonSettings;
  /** One line per read: command, where, how it went. */
  gathered: string[];
}

/**
 * An explanation's strength. `cause`: the evidence names the stopping rule,
 * route or setting by itself. `likely`: consistent evidence that does not
 * exclude every other cause. `delivered`: the path as it was taken.
 * `inconclusive`: nothing gathered explains the failure.
 */
export type ExplainKind = "delivered" | "cause" | "likely" | "inconclusive";

export interface Explanation {
  kind: ExplainKind;
  /** One sentence: "dropped by FORWARD rule 1 in table filter (`-p icmp -j DROP`), 2 packets". */
  summary: string;
  /** The facts that prove it, one per line. */
  evidence: string[];
  /** What to do about it, concretely (a command, a setting). Present with every cause and likely cause. */
  fix?: string;
}
