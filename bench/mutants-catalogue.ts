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
  },
  {
    id: "masquerade-docker0-deleted",
    fault: "docker0's MASQUERADE rule is gone (a firewall reload flushed the nat table's POSTROUTING)",
    seenIn: "moby issues: 'no internet in containers after firewalld/ufw reload'",
    apply: "iptables -w -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    undo: "iptables -w -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
  },
  {
    id: "published-port-dnat-bypassed",
    fault: "PREROUTING no longer jumps to DOCKER: published ports are not DNATed from outside",
    seenIn: "moby issues: 'published port not reachable from another host, works on localhost'",
    apply: "iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    undo: "iptables -w -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
  },
  {
    id: "icmp-dropped-in-forward",
    fault: "forwarded ICMP is dropped (a hardening rule): ping between containers and to the outside fails, TCP still works",
    seenIn: "forums: 'I can curl but not ping from my container'",
    apply: "iptables -w -I FORWARD -p icmp -j DROP",
    undo: "iptables -w -D FORWARD -p icmp -j DROP",
  },
  {
    id: "icc-false",
    fault: "the daemon runs with icc=false: containers on the default bridge cannot talk to each other",
    seenIn: "docs + forums: 'containers cannot reach each other on docker0' (daemon.json icc:false, CIS benchmark 2.1)",
    daemonFlags: ["--icc=false"],
  },
  {
    id: "userland-proxy-off",
    fault: "the daemon runs with userland-proxy=false: 127.0.0.1:<published port> goes through hairpin NAT instead of docker-proxy",
    seenIn: "moby issues: client addresses / hairpin NAT behaviour changes with --userland-proxy=false",
    daemonFlags: ["--userland-proxy=false"],
  },
  {
    id: "embedded-dns-blocked-in-one-container",
    fault: "inside one container, traffic to the embedded DNS 127.0.0.11 is dropped (a container firewall, a broken DOCKER_OUTPUT chain)",
    seenIn: "moby issues: 'DNS resolution fails in one container, 127.0.0.11 connection refused/timed out'",
    watcher: inEachContainerNamedA("iptables -w -I OUTPUT -d 127.0.0.11 -j DROP"),
  },
  {
    id: "one-way-isolation-leak",
    fault: "requests from the default bridge are forwarded into other networks, replies are not: a half-open isolation leak",
    seenIn: "forums: DOCKER-USER rules written for one direction only",
    apply: "iptables -w -I DOCKER-USER -i docker0 -j ACCEPT",
    undo: "iptables -w -D DOCKER-USER -i docker0 -j ACCEPT",
  },
  {
    id: "forwarded-dns-dropped",
    fault: "forwarded DNS (UDP and TCP 53) is dropped: containers cannot resolve outside names, while everything else works",
    seenIn: "forums: 'DNS does not work in containers but ping 8.8.8.8 does' (a firewall dropping forwarded port 53)",
    apply: "iptables -w -I FORWARD -p udp --dport 53 -j DROP && iptables -w -I FORWARD -p tcp --dport 53 -j DROP",
    undo: "iptables -w -D FORWARD -p udp --dport 53 -j DROP; iptables -w -D FORWARD -p tcp --dport 53 -j DROP",
  },
  {
    id: "forward-policy-accept",
    fault: "the FORWARD policy is ACCEPT (ip_forward was on before dockerd started, so Docker never set DROP): unpublished containers are reachable from the LAN",
    seenIn: "moby issues: 'containers reachable from other hosts without -p' on hosts with ip_forward preset",
    apply: "iptables -w -P FORWARD ACCEPT",
    undo: "iptables -w -P FORWARD DROP",
  },
  {
    id: "ip-forward-off",
    fault: "net.ipv4.ip_forward=0 (a sysctl reset): nothing leaves a container's network",
    seenIn: "moby issues: 'WARNING: IPv4 forwarding is disabled. Networking will not work.'",
    apply: "sysctl -qw net.ipv4.ip_forward=0",
    undo: "sysctl -qw net.ipv4.ip_forward=1",
  },
  {
    id: "docker-isolation-flushed",
    fault: "the DOCKER-ISOLATION chains were flushed (iptables -F by a firewall script): user-defined networks are no longer isolated",
    seenIn: "moby issues: 'containers on different networks can communicate after iptables -F'",
    apply: "iptables -w -F DOCKER-ISOLATION-STAGE-1 && iptables -w -F DOCKER-ISOLATION-STAGE-2 && iptables -w -A DOCKER-ISOLATION-STAGE-1 -j RETURN && iptables -w -A DOCKER-ISOLATION-STAGE-2 -j RETURN",
    // The daemon rebuilds its chains on restart: the undo is a restart with default flags.
    restoreByRestart: true,
  },
];
