import type { ExecResult } from "../host/host.js";
import { CLASS_WORDS, classifyConnect, classifyPing, type ReachOutcome } from "./outcome.js";
import type { Probe } from "./probe.js";

/**
 * Reachability probes. Every command is `busybox <applet>`, so the same probe
 * runs in a probe-image container, on the Docker host and in the external host
 * namespace (setup installs busybox-static on the host). Each has its own
 * deadline (nc -w, ping -W), so none has to be killed by the exec timeout.
 */
export interface ReachResult {
  /** `outcome.class === "delivered"`. */
  reached: boolean;
  outcome: ReachOutcome;
  /** What answered, when the peer says who it is (our nodes serve `node=<name>`). */
  identity?: string;
  detail: string;
}

/**
 * What the probe's packets look like on the wire, so a capture at the target
 * can count them: an ICMP payload size of its own, or (TCP) the initial
 * sequence numbers of its SYNs, read from a capture at the source — busybox nc
 * cannot bind a source port, and NAT may change the port but never the ISN.
 */
export interface ProbeSignature {
  proto: "tcp" | "icmp";
  dstPort?: number;
  /** TCP: the ISNs of the probe's SYNs, once known. */
  isns?: number[];
  /** ICMP echo payload bytes (busybox ping -s): the IPv4 total length is this + 28, the IPv6 payload length this + 8. */
  payloadSize?: number;
  /** 6: the probe goes over IPv6 (ICMPv6 echo, TCP over IPv6). */
  family?: 4 | 6;
}

export interface ReachProbe extends Probe<ReachResult> {
  signature: ProbeSignature;
}

/** A literal v6 address, or a name that must be resolved to its AAAA (`family: 6`). */
const overV6 = (to: string, family?: 4 | 6) => family === 6 || to.includes(":");

export function icmpReach(to: string, opts: { timeoutS?: number; count?: number; payloadSize?: number; family?: 4 | 6 } = {}): ReachProbe {
  const timeoutS = Math.max(1, Math.round(opts.timeoutS ?? 1));
  const count = opts.count ?? 1;
  // A payload size of its own makes this probe's echo requests countable at the target.
  const size = opts.payloadSize ?? 100 + Math.floor(Math.random() * 800);
  return {
    name: "icmp",
    targets: [to],
    // -w bounds the whole run (count × interval); -W the wait for the last reply.
    command: ["busybox", "ping", ...(overV6(to, opts.family) ? ["-6"] : []), "-c", String(count), "-s", String(size), "-W", String(timeoutS), "-w", String(count + timeoutS), to],
    timeoutMs: (count + timeoutS + 3) * 1000,
    signature: { proto: "icmp", payloadSize: size, ...(overV6(to, opts.family) ? { family: 6 as const } : {}) },
    parse: parsePingReach,
  };
}

export function parsePingReach(r: ExecResult): ReachResult {
  const o = classifyPing(r);
  return { reached: o.class === "delivered", outcome: { class: o.class, why: o.why, ...(o.at ? { at: o.at } : {}) }, detail: o.sent || o.received ? `${o.sent} sent, ${o.received} received` : o.why };
}

export function tcpReach(to: string, port: number, opts: { timeoutS?: number } = {}): ReachProbe {
  const timeoutS = Math.max(1, Math.round(opts.timeoutS ?? 1));
  return {
    name: "tcp",
    targets: [to],
    // Debian's busybox nc has no -z: `-e true` exits 0 as soon as the connection is up.
    command: ["busybox", "nc", "-w", String(timeoutS), to, String(port), "-e", "true"],
    timeoutMs: (timeoutS + 4) * 1000,
    signature: { proto: "tcp", dstPort: port, ...(overV6(to) ? { family: 6 as const } : {}) },
    parse: (r) => {
      const outcome = classifyConnect(r, r.exitCode === 0);
      return { reached: outcome.class === "delivered", outcome, detail: outcome.class === "delivered" ? `connected to ${to}:${port}` : outcome.why };
    },
  };
}

/**
 * GET through nc rather than wget: Debian's busybox 1.35 wget segfaults with
 * `-T`, and without it a dropped SYN hangs until the kernel gives up (~2 min).
 * nc's `-w` bounds the connect and the final read, and its errors are the
 * same words the TCP probe classifies.
 */
export function httpGet(to: string, port: number, opts: { path?: string; timeoutS?: number } = {}): ReachProbe {
  const timeoutS = Math.max(1, Math.round(opts.timeoutS ?? 2));
  const host = to.includes(":") ? `[${to}]` : to;
  const path = opts.path ?? "/";
  if (!/^\/[\w./?=&%-]*$/.test(path)) throw new Error(`HTTP probe path "${path}" has characters the probe does not quote`);
  const request = `GET ${path} HTTP/1.0\\r\\nHost: ${host}:${port}\\r\\nUser-Agent: netcheck\\r\\n\\r\\n`;
  return {
    name: "http",
    targets: [to],
    command: ["busybox", "sh", "-c", `printf '${request}' | busybox nc -w ${timeoutS} ${to} ${port}`],
    timeoutMs: (timeoutS * 2 + 4) * 1000,
    signature: { proto: "tcp", dstPort: port, ...(overV6(to) ? { family: 6 as const } : {}) },
    parse: parseHttpReach,
  };
}

export function parseHttpReach(r: ExecResult): ReachResult {
  const status = /^HTTP\/\d\.\d (\d{3})[^\r\n]*/m.exec(r.stdout);
  const identity = /node=([\w.-]+)/.exec(r.stdout)?.[1];
  if (status) {
    const outcome: ReachOutcome = { class: "delivered", why: `the server answered "${status[0].trim()}"` };
    return { reached: true, outcome, identity, detail: identity ? `answered by node ${identity}` : status[0].trim() };
  }
  // nc exits 0 only once connected: something accepted the connection but gave no HTTP answer (a proxy, a non-HTTP server).
  if (r.exitCode === 0) return { reached: true, outcome: { class: "delivered", why: `connected; no HTTP answer (${r.stdout.length} bytes)` }, detail: r.stdout.slice(0, 80) || "connected, no answer" };
  const outcome = classifyConnect(r, false);
  return { reached: false, outcome, detail: outcome.why };
}

export function describeOutcome(o: ReachOutcome): string {
  return `${CLASS_WORDS[o.class]} — ${o.why}`;
}
