import { cidrContains, isIpv4, parseCidr } from "../util/ipv4.js";
import type { Flow } from "./flow.js";

/**
 * Could this iptables rule match the probe's request packets? "yes" when every
 * option in it is one we understand and each matches; "no" when one of them
 * certainly does not; "maybe" when it holds a match we cannot evaluate. Only a
 * "yes" lets a dropped-by verdict be stated with confidence.
 */
export type RuleMatch = "yes" | "no" | "maybe";

// Options that never decide whether the request matches.
const IGNORED = new Set(["-m", "--comment", "-j", "-g", "--to-destination", "--to-source", "--to-ports", "--reject-with", "--random", "--random-fully"]);

export function ruleMatchesFlow(spec: string, flow: Flow): RuleMatch {
  const words = tokens(spec);
  let result: RuleMatch = "yes";
  for (let i = 0; i < words.length; i++) {
    let negated = false;
    let opt = words[i]!;
    if (opt === "!") {
      negated = true;
      opt = words[++i] ?? "";
    }
    const value = words[i + 1];
    const m = optionMatch(opt, value, flow);
    if (m === "skip-module") {
      i++;
      continue;
    }
    if (m === "skip") continue;
    i++;
    const r: RuleMatch = m === "maybe" ? "maybe" : m !== negated ? "yes" : "no";
    if (r === "no") return "no";
    if (r === "maybe") result = "maybe";
  }
  return result;
}

type OptionResult = boolean | "maybe" | "skip" | "skip-module";

function optionMatch(opt: string, value: string | undefined, flow: Flow): OptionResult {
  if (opt === "-m") return value === "comment" || value === "conntrack" || value === "tcp" || value === "udp" || value === "icmp" ? "skip-module" : "maybe";
  if (IGNORED.has(opt)) return opt === "-j" || opt === "-g" || opt === "--comment" || opt.startsWith("--to") || opt === "--reject-with" ? "skip-module" : "skip";
  if (value === undefined) return "maybe";
  switch (opt) {
    case "-s":
      return addressIn(flow.src, value);
    case "-d":
      return addressIn(flow.dst, value);
    case "-p":
      return value === "all" ? true : value === flow.proto;
    case "-i":
      return flow.inIface === undefined ? "maybe" : ifaceMatches(value, flow.inIface);
    case "-o":
      return flow.outIface === undefined ? "maybe" : ifaceMatches(value, flow.outIface);
    case "--dport":
      return flow.dport === undefined ? "maybe" : portIn(flow.dport, value);
    case "--ctstate":
    case "--state":
      // The probe's requests belong to a connection that was never answered: NEW.
      return value.split(",").includes("NEW");
    default:
      return "maybe";
  }
}

function tokens(spec: string): string[] {
  return [...spec.matchAll(/"[^"]*"|\S+/g)].map((m) => m[0]);
}

function addressIn(ip: string, cidr: string): boolean | "maybe" {
  if (!isIpv4(ip)) return "maybe";
  try {
    return cidrContains(parseCidr(cidr), ip);
  } catch {
    return "maybe";
  }
}

function ifaceMatches(pattern: string, iface: string): boolean {
  return pattern.endsWith("+") ? iface.startsWith(pattern.slice(0, -1)) : pattern === iface;
}

function portIn(port: number, spec: string): boolean {
  const [lo, hi] = spec.split(":").map(Number);
  return hi === undefined ? port === lo : port >= (lo ?? 0) && port <= hi;
}
