/**
 * Verdicts over what a Docker host's kernel and firewall say about its daemon
 * settings (`iptables-save`, `ps`, /proc). Pure: recorded output in, verdict out.
 */
export interface DaemonVerdict {
  status: "pass" | "fail";
  reason: string;
}

/** icc=false: the engine drops bridge-internal forwarding on the default bridge. */
export function assertIccDropRule(iptablesSave: string, bridge = "docker0"): DaemonVerdict {
  const rule = new RegExp(`^-A (FORWARD|DOCKER-ISOLATION\\S*|DOCKER-FORWARD) -i ${bridge} -o ${bridge} -j DROP$`, "m").exec(iptablesSave);
  if (rule) return { status: "pass", reason: `the filter table drops ${bridge} → ${bridge}: "${rule[0]}"` };
  const accept = new RegExp(`^-A \\S+ -i ${bridge} -o ${bridge} -j ACCEPT$`, "m").exec(iptablesSave);
  return { status: "fail", reason: accept ? `${bridge} → ${bridge} is accepted ("${accept[0]}"): inter-container traffic is allowed` : `no rule about ${bridge} → ${bridge} forwarding` };
}

export interface HairpinEvidence {
  /** `ps -eo args` on the host. */
  processes: string;
  /** `iptables-save -t nat` on the host. */
  natRules: string;
  /** /proc/sys/net/ipv4/conf/<bridge>/route_localnet. */
  routeLocalnet: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

/**
 * userland-proxy=false: a published port on 127.0.0.1 is served by NAT, not by
 * docker-proxy — no proxy process for the port, the host's own (OUTPUT) traffic
 * to local addresses, loopback included, goes through the DOCKER chain's DNAT,
 * and the bridge accepts 127.0.0.0/8 sources (route_localnet), masqueraded out.
 */
export function assertHairpinNat(e: HairpinEvidence): DaemonVerdict {
  const proxy = e.processes.split("\n").find((l) => /docker-proxy\b/.test(l) && l.includes(`-host-port ${e.hostPort}`));
  if (proxy) return { status: "fail", reason: `docker-proxy serves port ${e.hostPort}: "${proxy.trim()}"` };
  const dnat = e.natRules.split("\n").find((l) => l.startsWith("-A DOCKER ") && l.includes(`--dport ${e.hostPort} `) && l.includes(`--to-destination ${e.containerIp}:${e.containerPort}`));
  if (!dnat) return { status: "fail", reason: `no DNAT ${e.hostPort} → ${e.containerIp}:${e.containerPort} in the DOCKER chain` };
  const output = e.natRules.split("\n").find((l) => /^-A OUTPUT .*--dst-type LOCAL -j DOCKER$/.test(l));
  if (!output) return { status: "fail", reason: "the host's own traffic (OUTPUT) does not go through the DOCKER chain" };
  if (output.includes("! -d 127.0.0.0/8")) return { status: "fail", reason: `loopback is excluded from DNAT ("${output}"): 127.0.0.1 would need docker-proxy` };
  if (e.routeLocalnet.trim() !== "1") return { status: "fail", reason: `route_localnet is ${e.routeLocalnet.trim() || "unset"}: the bridge would drop 127.0.0.1-sourced packets` };
  const masq = e.natRules.split("\n").find((l) => /^-A POSTROUTING .*--src-type LOCAL.*-j MASQUERADE$/.test(l) || /^-A POSTROUTING -s 127\.0\.0\.0\/8 .*-j MASQUERADE$/.test(l));
  if (!masq) return { status: "fail", reason: "no MASQUERADE for the host's local (127.0.0.1) sources toward the bridge" };
  return { status: "pass", reason: `no docker-proxy for ${e.hostPort}; "${output}" then "${dnat.trim()}", route_localnet=1, "${masq}"` };
}

/** An interface's MTU as the kernel reports it (/sys/class/net/<if>/mtu). */
export function assertMtu(reported: string, expected: number, what: string): DaemonVerdict {
  const mtu = Number(reported.trim());
  if (!Number.isInteger(mtu) || mtu <= 0) return { status: "fail", reason: `could not read ${what}'s MTU ("${reported.trim()}")` };
  return mtu === expected ? { status: "pass", reason: `${what} has MTU ${mtu}` } : { status: "fail", reason: `${what} has MTU ${mtu}, expected ${expected}` };
}

/**
 * iptables:false: the engine wrote no chain and no NAT rule of its own. A
 * docker-in-docker host's namespace also holds its OUTER engine's embedded-DNS
 * rules (DOCKER_OUTPUT / DOCKER_POSTROUTING, for 127.0.0.11): not this engine's.
 */
export function assertNoEngineRules(iptablesSave: string): DaemonVerdict {
  const mine = iptablesSave.split("\n").filter((l) => /^(:DOCKER[- ]|-A DOCKER[- ]|-A \S+ .*-j DOCKER(-[A-Z0-9-]+)?$|-A POSTROUTING .*-j MASQUERADE)/.test(l));
  return mine.length === 0 ? { status: "pass", reason: "no DOCKER chain, no jump to one, no MASQUERADE: the engine left the firewall alone" } : { status: "fail", reason: `the engine wrote ${mine.length} rules: ${mine.slice(0, 3).join(" | ")}` };
}
