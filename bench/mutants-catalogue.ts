/**
 * Network faults users really hit, each as a mutant of a healthy Docker host:
 * a shell script run inside the disposable lab machine (bench/lab-machine.ts)
 * and its undo, or daemon flags the machine's dockerd is restarted with. The
 * built-in single-host suite must fail at least one check under each.
 */
export interface Mutant {
  id: string;
  /** What breaks, in the words a user would post. */
  fault: string;
  /** Where users meet it. */
  seenIn: string;
  /** Shell run inside the machine once its dockerd is up (before the suite). */
  apply?: string;
  undo?: string;
  /** dockerd flags for this mutant (the daemon is restarted with them, then back to defaults). */
  daemonFlags?: string[];
  /** A script run in the background during the suite (per-container faults), killed after. */
  watcher?: string;
  /** The daemon rebuilds what the fault removed: undo by restarting it with default flags. */
  restoreByRestart?: boolean;
  /**
   * What `explain` must name as the cause of the checks this fault fails
   * (bench:explain): matched against the cause's summary and fix.
   */
  cause: { expect: RegExp; says: string };
  /**
   * The built-in scenarios (ids) whose checks meet this fault: bench:explain
   * runs only these (the two-mode suite takes 5+ min per fault on this loaded
   * machine).
   */
  scenarios: string[];
}

/** Inject a rule into every new container whose name ends in `-a` (one container per scenario). */
function inEachContainerNamedA(rule: string): string {
  return [
    "touch /tmp/mutant-done",
    "while :; do",
    "  for id in $(docker ps -q --filter status=running 2>/dev/null); do",
    "    grep -q \"^$id$\" /tmp/mutant-done && continue",
    "    name=$(docker inspect -f '{{.Name}}' $id 2>/dev/null)",
    "    case \"$name\" in *-a) ;; *) continue ;; esac",
    "    pid=$(docker inspect -f '{{.State.Pid}}' $id 2>/dev/null)",
    `    [ -n "$pid" ] && [ "$pid" != 0 ] && nsenter -t $pid -n ${rule} && echo $id >> /tmp/mutant-done`,
    "  done",
    "  sleep 0.05",
    "done",
  ].join("\n");
}

export const MUTANTS: Mutant[] = [
  {
    id: "docker-user-accept-all",
    fault: "an ACCEPT-everything rule in DOCKER-USER (a common 'fix' for blocked traffic) bypasses network isolation and --internal",
    seenIn: "forums: 'containers on different networks can talk after I added -j ACCEPT to DOCKER-USER'",
    apply: "iptables -w -I DOCKER-USER -j ACCEPT",
    undo: "iptables -w -D DOCKER-USER -j ACCEPT",
    scenarios: ["user-defined/basic"],
    cause: { expect: /let through by DOCKER-USER rule 1 .*`-j ACCEPT`/, says: "the ACCEPT rule in DOCKER-USER" },
  },
  {
    id: "masquerade-docker0-deleted",
    fault: "docker0's MASQUERADE rule is gone (a firewall reload flushed the nat table's POSTROUTING)",
    seenIn: "moby issues: 'no internet in containers after firewalld/ufw reload'",
    apply: "iptables -w -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    undo: "iptables -w -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    scenarios: ["bridge/default"],
    cause: { expect: /not masqueraded/, says: "the missing MASQUERADE" },
  },
  {
    id: "published-port-dnat-bypassed",
    fault: "PREROUTING no longer jumps to DOCKER: published ports are not DNATed from outside",
    seenIn: "moby issues: 'published port not reachable from another host, works on localhost'",
    apply: "iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    undo: "iptables -w -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    scenarios: ["bridge/nat"],
    cause: { expect: /nat PREROUTING does not jump to DOCKER/, says: "PREROUTING's missing jump to DOCKER" },
  },
  {
    id: "icmp-dropped-in-forward",
    fault: "forwarded ICMP is dropped (a hardening rule): ping between containers and to the outside fails, TCP still works",
    seenIn: "forums: 'I can curl but not ping from my container'",
    apply: "iptables -w -I FORWARD -p icmp -j DROP",
    undo: "iptables -w -D FORWARD -p icmp -j DROP",
    scenarios: ["bridge/default"],
    cause: { expect: /dropped by FORWARD rule 1 in table filter .*`-p icmp -j DROP`/, says: "the ICMP DROP in FORWARD" },
  },
  {
    id: "icc-false",
    fault: "the daemon runs with icc=false: containers on the default bridge cannot talk to each other",
    seenIn: "docs + forums: 'containers cannot reach each other on docker0' (daemon.json icc:false, CIS benchmark 2.1)",
    daemonFlags: ["--icc=false"],
    scenarios: ["bridge/default"],
    cause: { expect: /`-i docker0 -o docker0 -j DROP`.*icc|icc.*`-i docker0 -o docker0 -j DROP`/s, says: "Docker's icc=false DROP rule" },
  },
  {
    id: "userland-proxy-off",
    fault: "the daemon runs with userland-proxy=false: 127.0.0.1:<published port> goes through hairpin NAT instead of docker-proxy",
    seenIn: "moby issues: client addresses / hairpin NAT behaviour changes with --userland-proxy=false",
    daemonFlags: ["--userland-proxy=false"],
    scenarios: ["bridge/nat"],
    cause: { expect: /"userland-proxy": false/, says: "the userland-proxy=false setting" },
  },
  {
    id: "embedded-dns-blocked-in-one-container",
    fault: "inside one container, traffic to the embedded DNS 127.0.0.11 is dropped (a container firewall, a broken DOCKER_OUTPUT chain)",
    seenIn: "moby issues: 'DNS resolution fails in one container, 127.0.0.11 connection refused/timed out'",
    watcher: inEachContainerNamedA("iptables -w -I OUTPUT -d 127.0.0.11 -j DROP"),
    scenarios: ["user-defined/basic"],
    cause: { expect: /dropped by OUTPUT rule 1 in table filter in a's namespace \(`-d 127\.0\.0\.11\/32 -j DROP`\)/, says: "the DROP to 127.0.0.11 in the container's OUTPUT" },
  },
  {
    id: "one-way-isolation-leak",
    fault: "requests from the default bridge are forwarded into other networks, replies are not: a half-open isolation leak",
    seenIn: "forums: DOCKER-USER rules written for one direction only",
    apply: "iptables -w -I DOCKER-USER -i docker0 -j ACCEPT",
    undo: "iptables -w -D DOCKER-USER -i docker0 -j ACCEPT",
    scenarios: ["user-defined/basic"],
    cause: { expect: /let through by DOCKER-USER rule 1 .*`-i docker0 -j ACCEPT`/, says: "the one-way ACCEPT in DOCKER-USER" },
  },
  {
    id: "forwarded-dns-dropped",
    fault: "forwarded DNS (UDP and TCP 53) is dropped: containers cannot resolve outside names, while everything else works",
    seenIn: "forums: 'DNS does not work in containers but ping 8.8.8.8 does' (a firewall dropping forwarded port 53)",
    apply: "iptables -w -I FORWARD -p udp --dport 53 -j DROP && iptables -w -I FORWARD -p tcp --dport 53 -j DROP",
    undo: "iptables -w -D FORWARD -p udp --dport 53 -j DROP; iptables -w -D FORWARD -p tcp --dport 53 -j DROP",
    scenarios: ["bridge/default"],
    cause: { expect: /dropped by FORWARD rule [12] in table filter .*--dport 53 -j DROP`/, says: "the port-53 DROP in FORWARD" },
  },
  {
    id: "forward-policy-accept",
    fault: "the FORWARD policy is ACCEPT (ip_forward was on before dockerd started, so Docker never set DROP): unpublished containers are reachable from the LAN",
    seenIn: "moby issues: 'containers reachable from other hosts without -p' on hosts with ip_forward preset",
    apply: "iptables -w -P FORWARD ACCEPT",
    undo: "iptables -w -P FORWARD DROP",
    scenarios: ["user-defined/same-lan"],
    cause: { expect: /policy ACCEPT/, says: "the FORWARD policy ACCEPT" },
  },
  {
    id: "ip-forward-off",
    fault: "net.ipv4.ip_forward=0 (a sysctl reset): nothing leaves a container's network",
    seenIn: "moby issues: 'WARNING: IPv4 forwarding is disabled. Networking will not work.'",
    apply: "sysctl -qw net.ipv4.ip_forward=0",
    undo: "sysctl -qw net.ipv4.ip_forward=1",
    scenarios: ["bridge/default"],
    cause: { expect: /ip_forward=0/, says: "ip_forward=0" },
  },
  {
    id: "docker-isolation-flushed",
    fault: "the DOCKER-ISOLATION chains were flushed (iptables -F by a firewall script): user-defined networks are no longer isolated",
    seenIn: "moby issues: 'containers on different networks can communicate after iptables -F'",
    apply: "iptables -w -F DOCKER-ISOLATION-STAGE-1 && iptables -w -F DOCKER-ISOLATION-STAGE-2 && iptables -w -A DOCKER-ISOLATION-STAGE-1 -j RETURN && iptables -w -A DOCKER-ISOLATION-STAGE-2 -j RETURN",
    // The daemon rebuilds its chains on restart: the undo is a restart with default flags.
    restoreByRestart: true,
    scenarios: ["user-defined/basic"],
    cause: { expect: /network isolation between \S+ and \S+ is missing/, says: "the flushed DOCKER-ISOLATION chains" },
  },
];

/**
 * The doctor's injected faults (test/integration/doctor*.test.ts) that change
 * what a flow meets, as lab-machine faults for bench:explain. Faults a
 * container's flows never meet are left out, each with its reason: a bridge
 * MTU above the uplink's (probes are small), a host stub resolver (lab
 * containers get the lab DNS), a stopped engine (nothing runs), ufw/firewalld
 * (warnings; not installed here), stale UDP conntrack and VXLAN offload (no
 * UDP or VXLAN flow in the single-host suite). The doctor's route overlap is
 * taken over the containers' own addresses (its slice holds none).
 */
export const DOCTOR_FAULTS: Mutant[] = [
  {
    id: "doctor/forward-accept-rules-deleted",
    fault: "FORWARD policy DROP without Docker's ACCEPT rules for docker0 (doctor: firewall/forward-policy)",
    seenIn: "test/integration/doctor.test.ts",
    apply: "iptables -w -D FORWARD -i docker0 ! -o docker0 -j ACCEPT && iptables -w -D FORWARD -i docker0 -o docker0 -j ACCEPT",
    restoreByRestart: true,
    scenarios: ["bridge/default"],
    cause: { expect: /policy DROP .*no ACCEPT rule for traffic from docker0/, says: "FORWARD policy DROP with docker0's ACCEPT rules gone" },
  },
  {
    id: "doctor/tables-flushed",
    fault: "a firewall reload flushed and deleted every filter and nat chain (doctor: firewall/docker-chains)",
    seenIn: "test/integration/doctor-field.test.ts",
    apply: "for t in filter nat; do iptables -w -t $t -F && iptables -w -t $t -X; done",
    restoreByRestart: true,
    scenarios: ["bridge/default"],
    cause: { expect: /no ACCEPT rule for traffic from|not masqueraded|no DNAT rule for/, says: "Docker's flushed FORWARD/nat rules" },
  },
  {
    id: "doctor/nat-docker-flushed",
    fault: "nat DOCKER flushed while containers run: published ports lost their DNAT (doctor: ports/published)",
    seenIn: "test/integration/doctor-field.test.ts",
    // dockerd writes a port's rule when it starts the container: flush after that, for as long as the suite runs.
    watcher: "while :; do iptables -w -t nat -F DOCKER 2>/dev/null; sleep 0.2; done",
    restoreByRestart: true,
    scenarios: ["bridge/nat"],
    cause: { expect: /no DNAT rule for tcp port \d+ in nat DOCKER/, says: "the published port's missing DNAT rule" },
  },
  {
    id: "doctor/docker-proxy-killed",
    fault: "the docker-proxy of each published port killed (doctor: ports/published)",
    seenIn: "test/integration/doctor-field.test.ts",
    // Inside the lab machine's own PID namespace: only its dockerd's proxies.
    watcher: "while :; do for p in $(ps -eo pid,args | awk '/docker-proxy -proto/ && !/awk/ {print $1}'); do kill $p 2>/dev/null; done; sleep 0.2; done",
    restoreByRestart: true,
    scenarios: ["bridge/nat"],
    cause: { expect: /no docker-proxy serves host tcp port \d+/, says: "the killed docker-proxy" },
  },
  {
    id: "doctor/daemon-iptables-false",
    fault: 'the daemon runs with "iptables": false (doctor: engine/daemon-iptables)',
    seenIn: "test/integration/doctor-field.test.ts",
    daemonFlags: ["--iptables=false"],
    // A restarted dockerd leaves the rules of its last run in place: start from what a host where it never wrote any has.
    apply: "for t in nat filter; do iptables -w -t $t -F && iptables -w -t $t -X; done; iptables -w -P FORWARD ACCEPT",
    undo: "iptables -w -P FORWARD DROP",
    restoreByRestart: true,
    scenarios: ["bridge/default"],
    cause: { expect: /"iptables": false/, says: "the iptables=false setting" },
  },
  {
    id: "doctor/daemon-ip-forward-false",
    fault: 'the daemon runs with "ip-forward": false on a host with ip_forward=0 (doctor: engine/daemon-ip-forward)',
    seenIn: "test/integration/doctor-field.test.ts",
    daemonFlags: ["--ip-forward=false"],
    apply: "sysctl -qw net.ipv4.ip_forward=0",
    undo: "sysctl -qw net.ipv4.ip_forward=1",
    scenarios: ["bridge/default"],
    cause: { expect: /ip_forward=0 .*"ip-forward": false/, says: "ip_forward=0 left off by the ip-forward=false setting" },
  },
  {
    id: "doctor/docker-user-drop",
    fault: "a DROP in DOCKER-USER for docker0's ICMP (doctor: firewall/docker-user)",
    seenIn: "test/integration/doctor.test.ts",
    apply: "iptables -w -I DOCKER-USER -i docker0 -p icmp -j DROP",
    undo: "iptables -w -D DOCKER-USER -i docker0 -p icmp -j DROP",
    scenarios: ["bridge/default"],
    cause: { expect: /dropped by DOCKER-USER rule 1 in table filter .*`-i docker0 -p icmp -j DROP`/, says: "the DROP in DOCKER-USER" },
  },
  {
    id: "doctor/route-overlap",
    fault: "a host route over docker0's containers (blackhole 172.17.0.0/24; doctor: network/overlap)",
    seenIn: "test/integration/doctor.test.ts",
    apply: "ip route add blackhole 172.17.0.0/24",
    undo: "ip route del blackhole 172.17.0.0/24",
    scenarios: ["bridge/default"],
    cause: { expect: /blackhole route `blackhole 172\.17\.0\.0\/24`/, says: "the overlapping blackhole route" },
  },
];
