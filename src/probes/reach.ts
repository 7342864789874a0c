import type { ExecResult } from "../host/host.js";
import type { Probe } from "./probe.js";

/**
 * Reachability probes. Every command is `busybox <applet>`, so the same probe
 * runs in a probe-image container, on the Docker host and in the external host
 * namespace (setup installs busybox-static on the host).
 */
export interface ReachResult {
  reached: boolean;
  /** What answered, when the peer says who it is (our nodes serve `node=<name>`). */
  identity?: string;
  detail: string;
}

export function icmpReach(to: string, opts: { timeoutS?: number; count?: number } = {}): Probe<ReachResult> {
  const timeoutS = opts.timeoutS ?? 2;
  return {
    name: "icmp",
    targets: [to],
    command: ["busybox", "ping", "-c", String(opts.count ?? 1), "-W", String(timeoutS), to],
    timeoutMs: (timeoutS + 3) * 1000,
    parse: parsePingReach,
  };
}

export function parsePingReach(r: ExecResult): ReachResult {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(r.stdout);
  const received = m ? Number(m[2]) : 0;
  const reached = r.exitCode === 0 && received > 0;
  const bad = /bad address '([^']+)'/.exec(r.stderr + r.stdout);
  const detail = bad ? `name "${bad[1]}" did not resolve` : m ? `${m[1]} sent, ${m[2]} received` : lastLine(r);
  return { reached, detail };
}

export function tcpReach(to: string, port: number, opts: { timeoutS?: number } = {}): Probe<ReachResult> {
  const timeoutS = opts.timeoutS ?? 2;
  return {
    name: "tcp",
    targets: [to],
    // Debian's busybox nc has no -z: `-e true` exits 0 as soon as the connection is up.
    command: ["busybox", "nc", "-w", String(timeoutS), to, String(port), "-e", "true"],
    timeoutMs: (timeoutS + 3) * 1000,
    parse: (r) => ({ reached: r.exitCode === 0, detail: r.exitCode === 0 ? `connected to ${to}:${port}` : lastLine(r) || `connect to ${to}:${port} failed (exit ${r.exitCode})` }),
  };
}

export function httpGet(to: string, port: number, opts: { path?: string; timeoutS?: number } = {}): Probe<ReachResult> {
  const timeoutS = opts.timeoutS ?? 3;
  const host = to.includes(":") ? `[${to}]` : to;
  return {
    name: "http",
    targets: [to],
    // No `-T`: Debian's busybox 1.35 wget segfaults with it (exit 139). The exec timeout bounds it instead.
    command: ["busybox", "wget", "-q", "-O", "-", `http://${host}:${port}${opts.path ?? "/"}`],
    timeoutMs: (timeoutS + 3) * 1000,
    parse: parseHttpReach,
  };
}

export function parseHttpReach(r: ExecResult): ReachResult {
  const identity = /node=([\w.-]+)/.exec(r.stdout)?.[1];
  if (r.exitCode === 0) return { reached: true, identity, detail: identity ? `answered by node ${identity}` : "HTTP 200" };
  const bad = /bad address '([^']+)'/.exec(r.stderr);
  return { reached: false, detail: bad ? `name "${bad[1]}" did not resolve` : lastLine(r) || `exit ${r.exitCode}` };
}

function lastLine(r: ExecResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split("\n");
  return (r.timedOut ? "timed out: " : "") + (text[text.length - 1] ?? "");
}
