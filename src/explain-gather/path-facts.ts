import type { Host } from "../host/host.js";
import { parseRouteGet, parseRouteTable } from "../explain/route.js";
import type { PlaceFacts } from "../explain/facts.js";
import { parseConntrackAny } from "../explain/conntrack-flow.js";
import type { ConntrackEntry } from "../probes/conntrack.js";
import { parseDaemonSettings, type DaemonSettings } from "../explain/daemon.js";

const exec = (h: Host, cmd: string[], signal?: AbortSignal) => h.exec(cmd, { signal, timeoutMs: 5000 }).catch(() => undefined);

/** Route decision, route table and neighbours inside a namespace, toward `dst`. */
export async function namespaceRouting(h: Host, dst: string, signal?: AbortSignal): Promise<Pick<PlaceFacts, "routeGet" | "routes" | "neighbours" | "sysctls">> {
  const [get, table, neigh, rp] = await Promise.all([
    exec(h, ["ip", "-o", "-4", "route", "get", dst], signal),
    exec(h, ["ip", "-4", "route", "show"], signal),
    exec(h, ["ip", "-4", "neigh", "show"], signal),
    exec(h, ["cat", "/proc/sys/net/ipv4/conf/all/rp_filter"], signal),
  ]);
  return {
    ...(get ? { routeGet: parseRouteGet(get.stdout, get.stderr, get.exitCode) } : {}),
    ...(table?.exitCode === 0 ? { routes: parseRouteTable(table.stdout) } : {}),
    ...(neigh?.exitCode === 0 && neigh.stdout.trim() ? { neighbours: neigh.stdout.trim().split("\n").slice(0, 6) } : {}),
    ...(rp?.exitCode === 0 ? { sysctls: { "net.ipv4.conf.all.rp_filter": rp.stdout.trim() } } : {}),
  };
}

/** The host's side of a forwarded flow: which interface the source's packets arrive on, which one the route sends them out of. */
export async function hostRouting(
  h: Host,
  src: string,
  dst: string,
  signal?: AbortSignal,
): Promise<{ inIface?: string; outIface?: string; outIsBridge: boolean; facts: Pick<PlaceFacts, "routeGet" | "routeBack" | "routes" | "sysctls" | "bridgePorts"> }> {
  const back = await exec(h, ["ip", "-o", "-4", "route", "get", src], signal);
  const inIface = back?.exitCode === 0 ? /\bdev (\S+)/.exec(back.stdout)?.[1] : undefined;
  const routeBack = back ? parseRouteGet(back.stdout, back.stderr, back.exitCode) : undefined;
  const getCmd = ["ip", "-o", "-4", "route", "get", dst, ...(inIface && inIface !== "lo" ? ["from", src, "iif", inIface] : [])];
  const [get, table, ...sys] = await Promise.all([
    exec(h, getCmd, signal),
    exec(h, ["ip", "-4", "route", "show"], signal),
    ...SYSCTLS.map((k) => exec(h, ["cat", `/proc/sys/${k.replace(/\./g, "/")}`], signal)),
  ]);
  const sysctls: Record<string, string> = {};
  SYSCTLS.forEach((k, i) => {
    const r = sys[i];
    if (r?.exitCode === 0) sysctls[k] = r.stdout.trim();
  });
  const routeGet = get ? parseRouteGet(get.stdout, get.stderr, get.exitCode) : undefined;
  // A refused forwarding lookup (ip_forward=0, a blackhole) names no interface: the plain lookup still does.
  const plain = routeGet?.dev ? undefined : await exec(h, ["ip", "-o", "-4", "route", "get", dst], signal);
  const outIface = routeGet?.dev ?? (plain?.exitCode === 0 ? /\bdev (\S+)/.exec(plain.stdout)?.[1] : undefined);
  const isBridge = outIface ? await exec(h, ["test", "-d", `/sys/class/net/${outIface}/bridge`], signal) : undefined;
  const ports = inIface ? await exec(h, ["bridge", "-d", "link", "show"], signal) : undefined;
  const bridgePorts = ports?.exitCode === 0 ? portLines(ports.stdout, inIface!) : [];
  return {
    ...(inIface ? { inIface } : {}),
    ...(outIface ? { outIface } : {}),
    outIsBridge: isBridge?.exitCode === 0,
    facts: { ...(routeGet ? { routeGet } : {}), ...(routeBack ? { routeBack } : {}), ...(table?.exitCode === 0 ? { routes: parseRouteTable(table.stdout) } : {}), sysctls, ...(bridgePorts.length ? { bridgePorts } : {}) },
  };
}

const SYSCTLS = ["net.ipv4.ip_forward", "net.bridge.bridge-nf-call-iptables", "net.ipv4.conf.all.rp_filter"];

/** `bridge -d link show` ports of `bridge`, each with its state and hairpin flag on one line. */
function portLines(text: string, bridge: string): string[] {
  const blocks = text.split(/\n(?=\d+:)/);
  return blocks
    .filter((b) => b.includes(`master ${bridge} `))
    .slice(0, 6)
    .map((b) => {
      const name = /^\d+:\s+(\S+?)[@:]/.exec(b)?.[1] ?? "?";
      const state = /\bstate (\S+)/.exec(b)?.[1] ?? "?";
      const hairpin = /\bhairpin (on|off)/.exec(b)?.[1] ?? "?";
      return `${name} on ${bridge}: state ${state}, hairpin ${hairpin}`;
    });
}

/** Conntrack entries of flows between `src` and `dst` (either direction), from the host's table. */
export async function flowConntrack(h: Host, src: string, dst: string, signal?: AbortSignal): Promise<ConntrackEntry[] | undefined> {
  const r = await exec(h, ["cat", "/proc/net/nf_conntrack"], signal);
  if (!r || r.exitCode !== 0) return undefined;
  return parseConntrackAny(r.stdout).filter((e) => (e.orig.src === src && e.orig.dst === dst) || (e.orig.src === src && e.reply.src === dst));
}

/**
 * The running dockerd's flags (its pidfile names it: never another daemon's,
 * such as a docker-in-docker host's seen in the same process list) and
 * /etc/docker/daemon.json.
 */
export async function daemonSettings(h: Host, signal?: AbortSignal): Promise<DaemonSettings | undefined> {
  const script = 'for f in /run/docker.pid /var/run/docker.pid; do [ -f $f ] && tr "\\0" " " < /proc/$(cat $f)/cmdline && break; done; echo; echo ---; cat /etc/docker/daemon.json 2>/dev/null; true';
  const r = await exec(h, ["sh", "-c", script], signal);
  if (!r || r.exitCode !== 0) return undefined;
  const [cmdline = "", json = ""] = r.stdout.split("\n---\n");
  return cmdline.trim() || json.trim() ? parseDaemonSettings(cmdline, json) : undefined;
}
