import type { Engine } from "../engine/engine.js";
import type { Explanation, ExplainFacts } from "../explain/facts.js";
import type { Host } from "../host/host.js";
import { PidNetnsHost } from "../host/pid-netns-host.js";
import { classifyConnect } from "../probes/outcome.js";
import { icmpReach, tcpReach, type ReachProbe } from "../probes/reach.js";
import { UsageError } from "../util/errors.js";
import { isIpv4 } from "../util/ipv4.js";
import { explainAround, type ExplainPlace } from "./explain-around.js";

/** A running container of the user's, as `docker inspect` describes it. */
interface LiveContainer {
  name: string;
  pid: number;
  /** network name → IPv4 address. */
  addresses: Map<string, string>;
}

export interface LiveExplainOptions {
  engine: Engine;
  /** The Docker host itself (local: nsenter joins the containers' network namespaces from here). */
  host: Host;
  from: string;
  to: string;
  port?: number;
  proto: "tcp" | "udp" | "icmp";
  signal?: AbortSignal;
}

export interface LiveExplanation {
  flow: string;
  explanation: Explanation;
  facts: ExplainFacts;
}

/**
 * `netcheck explain` on containers the user started: the probe runs in the
 * source container's network namespace (host binaries, joined with nsenter —
 * nothing is installed in or changed about the container), toward the named
 * target only; counters, routes and conntrack are only read.
 */
export async function explainLive(o: LiveExplainOptions): Promise<LiveExplanation> {
  const source = await findContainer(o.engine, o.from, o.signal);
  if (!source) throw new UsageError(`explain: "${o.from}" is not a running container (by name, id or IPv4 address) on this engine.`, { hint: "Give the source as a container name or its IP: netcheck explain <container|ip> <container|ip>[:port]." });
  const target = await findContainer(o.engine, o.to, o.signal);
  if (!target && !isIpv4(o.to)) throw new UsageError(`explain: "${o.to}" is neither a running container nor an IPv4 address.`, { hint: "Name the target container, or give its IP address." });
  const [srcAddr, picked] = target ? pickAddresses(source, target) : [first(source), o.to];
  const dstAddr = isIpv4(o.to) ? o.to : picked;
  if (!srcAddr || !dstAddr) throw new UsageError(`explain: ${source.name} or ${o.to} has no IPv4 address (host or none network mode).`, { hint: "explain follows IPv4 flows between containers with their own network namespace." });
  if (o.proto !== "icmp" && o.port === undefined) throw new UsageError(`explain: a ${o.proto} probe needs a port: ${o.to}:<port>.`);
  const srcNs = new PidNetnsHost(o.host, source.pid, `${source.name}'s namespace`);
  const probe = probeFor(o.proto, dstAddr, o.port);
  const dstLabel = target?.name ?? o.to;
  const where = (c: LiveContainer): ExplainPlace => ({ host: new PidNetnsHost(o.host, c.pid, `${c.name}'s namespace`), where: `${c.name}'s namespace` });
  const { explanation, facts } = await explainAround({
    host: { host: o.host, where: "the Docker host" },
    source: where(source),
    ...(target ? { target: where(target) } : {}),
    flow: { srcLabel: source.name, dstLabel, src: srcAddr, dst: dstAddr, proto: o.proto, ...(o.port !== undefined ? { dport: o.port } : {}) },
    probe: async () => {
      const r = await srcNs.exec(probe.command, { signal: o.signal, timeoutMs: probe.timeoutMs });
      return { outcome: probe.parse(r).outcome };
    },
    signal: o.signal,
  });
  const port = o.port !== undefined && o.proto !== "icmp" ? `:${o.port}` : "";
  return { flow: `${source.name} (${srcAddr}) → ${dstLabel} (${dstAddr}${port}, ${o.proto})`, explanation, facts };
}

function probeFor(proto: LiveExplainOptions["proto"], to: string, port: number | undefined): ReachProbe {
  if (proto === "icmp") return icmpReach(to, { count: 2 });
  if (proto === "tcp") return tcpReach(to, port!, { timeoutS: 2 });
  // UDP: one datagram; an answer is delivery, ICMP port-unreachable is refusal, silence proves nothing more than a timeout.
  return {
    name: "udp",
    targets: [to],
    command: ["sh", "-c", `echo netcheck-explain | busybox nc -u -w 2 ${to} ${port}`],
    timeoutMs: 6000,
    signature: { proto: "tcp", dstPort: port! },
    parse: (r) => {
      const outcome = classifyConnect(r, r.exitCode === 0 && r.stdout.trim() !== "");
      return { reached: outcome.class === "delivered", outcome: outcome.class === "probe-error" && r.exitCode === 0 ? { class: "timeout", why: "no UDP answer within 2 s" } : outcome, detail: outcome.why };
    },
  };
}

async function findContainer(engine: Engine, ref: string, signal?: AbortSignal): Promise<LiveContainer | undefined> {
  const toLive = (info: Awaited<ReturnType<Engine["inspectContainer"]>>): LiveContainer | undefined => {
    if (!info.State?.Running || !info.State.Pid) return undefined;
    const addresses = new Map(Object.entries(info.NetworkSettings?.Networks ?? {}).filter(([, n]) => n.IPAddress).map(([name, n]) => [name, n.IPAddress]));
    return { name: info.Name.replace(/^\//, ""), pid: info.State.Pid, addresses };
  };
  if (!isIpv4(ref)) {
    const info = await engine.inspectContainer(ref, signal).catch(() => undefined);
    return info ? toLive(info) : undefined;
  }
  for (const c of await engine.listContainers({ status: ["running"] }, signal)) {
    const nets = Object.values(c.NetworkSettings?.Networks ?? {});
    if (nets.some((n) => n.IPAddress === ref)) {
      const live = toLive(await engine.inspectContainer(c.Id, signal));
      if (live) return live;
    }
  }
  return undefined;
}

const first = (c: LiveContainer): string | undefined => [...c.addresses.values()][0];

/** The addresses on a network both share (what Docker's DNS would answer), else each one's first. */
function pickAddresses(a: LiveContainer, b: LiveContainer): [string | undefined, string | undefined] {
  for (const [net, addr] of a.addresses) if (b.addresses.has(net)) return [addr, b.addresses.get(net)];
  return [first(a), first(b)];
}
