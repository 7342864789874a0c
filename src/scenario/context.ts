import type { Host, ExecResult } from "../host/host.js";
import type { RunLab } from "../lab/run-lab.js";
import { own } from "../lab/owned.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import { addressOn, type StartedNode } from "../lab/started.js";
import type { NodeDecl } from "../lab/topology.js";
import type { Probe } from "../probes/probe.js";
import type { CommandEvidence } from "../report/model.js";
import { isIpv4 } from "../util/ipv4.js";
import { endpointLabel, type Endpoint, type Target } from "./targets.js";

export interface ResolvedTarget {
  label: string;
  /** An IPv4 address, or a name to resolve inside the source. */
  address: string;
  port?: number;
  /** The node that should answer, when the target is one of ours. */
  expectIdentity?: string;
}

export interface ProbeRun<T> {
  value: T;
  result: ExecResult;
  evidence: CommandEvidence;
}

/** What a check sees at run time: the started lab, and probes that record their own evidence. */
export class CheckContext {
  constructor(
    readonly run: RunLab,
    readonly lab: ScenarioLab,
    /** Absolute path of this run's report folder (captures and artifacts go here). */
    readonly reportDir: string,
    readonly signal?: AbortSignal,
  ) {}

  node(decl: NodeDecl): StartedNode {
    const n = this.lab.nodes.get(decl.name);
    if (!n) throw new Error(`node "${decl.name}" is not part of this scenario's lab`);
    return n;
  }

  shellOf(e: Endpoint): Host {
    if (e.kind === "node") return this.node(e).shell;
    if (e.kind === "lab-host") return this.lab.host(e.name).shell;
    return this.run.external.shell;
  }

  /** The address a target has once the lab is up, checked against the lab's ranges. */
  resolve(t: Target, opts: { from?: Endpoint; byName?: boolean | string; family?: 4 | 6 } = {}): ResolvedTarget {
    if (opts.family === 6) return this.resolve6(t, opts);
    switch (t.kind) {
      case "node": {
        const node = this.node(t);
        if (opts.byName) return { label: t.name, address: typeof opts.byName === "string" ? opts.byName : t.name, port: node.httpPort, expectIdentity: t.name };
        const addr = addressOn(node, sharedNetwork(this, opts.from, node));
        if (!addr) throw new Error(`node "${t.name}" has no IPv4 address (network mode ${node.networkMode})`);
        return { label: t.name, address: addr.ipv4, port: node.httpPort, expectIdentity: t.name };
      }
      case "gateway": {
        const addr = addressOn(this.node(t.of), t.network);
        if (!addr?.gateway) throw new Error(`node "${t.of.name}" has no gateway`);
        return { label: `${t.of.name}'s gateway`, address: addr.gateway };
      }
      case "loopback": {
        const node = this.node(t.serviceOf);
        return { label: `127.0.0.1 (${node.name}'s server)`, address: "127.0.0.1", port: node.httpPort, expectIdentity: node.name };
      }
      case "published": {
        const node = this.node(t.node);
        const hostPort = node.published.get(t.containerPort);
        if (hostPort === undefined) throw new Error(`node "${node.name}" does not publish port ${t.containerPort}`);
        // Published on one host address (hostIp): that address, e.g. 127.0.0.1, reachable from the host itself.
        const hostIp = node.decl.options.publish?.find((p) => p.container === t.containerPort)?.hostIp;
        const address = hostIp && hostIp !== "0.0.0.0" ? hostIp : this.run.external.hostSideAddress;
        return { label: `${hostIp ?? "host"}:${hostPort} → ${node.name}:${t.containerPort}`, address, port: hostPort, expectIdentity: node.name };
      }
      case "address":
        return { label: t.label ?? t.address, address: t.address };
      case "lab-host":
        return { label: endpointLabel(t), address: this.run.external.hostSideAddress };
      case "external-ref":
        return { label: "external", address: this.run.external.address };
    }
  }

  /** The IPv6 address of a target (`family: 6`): a node's on a network it shares with the source, the gateway's, the external host's. */
  private resolve6(t: Target, opts: { from?: Endpoint; byName?: boolean | string }): ResolvedTarget {
    const missing = (what: string) => new Error(`${what} has no IPv6 address (declare its network with ipv6: true)`);
    switch (t.kind) {
      case "node": {
        const node = this.node(t);
        if (opts.byName) return { label: t.name, address: typeof opts.byName === "string" ? opts.byName : t.name, port: node.httpPort, expectIdentity: t.name };
        const shared = sharedNetwork(this, opts.from, node, true);
        const addr = shared ? addressOn(node, shared) : node.addresses.find((a) => a.ipv6);
        if (!addr?.ipv6) throw missing(`node "${t.name}"`);
        return { label: `${t.name} (IPv6)`, address: addr.ipv6, port: node.httpPort, expectIdentity: t.name };
      }
      case "gateway": {
        const addr = t.network ? addressOn(this.node(t.of), t.network) : this.node(t.of).addresses.find((a) => a.ipv6);
        if (!addr?.gateway6) throw missing(`${t.of.name}'s gateway`);
        return { label: `${t.of.name}'s IPv6 gateway`, address: addr.gateway6 };
      }
      case "external-ref":
        if (!this.run.external.address6) throw missing("the external host");
        return { label: "external (IPv6)", address: this.run.external.address6 };
      case "lab-host":
        if (!this.run.external.hostSideAddress6) throw missing("the lab host");
        return { label: `${endpointLabel(t)} (IPv6)`, address: this.run.external.hostSideAddress6 };
      case "address":
        return { label: t.label ?? t.address, address: t.address };
      default:
        throw new Error(`an IPv6 target of kind "${t.kind}" is not supported yet`);
    }
  }

  /** Run a probe from an endpoint; refuses targets outside the lab; the evidence is kept whatever the outcome. */
  async probe<T>(from: Endpoint, probe: Probe<T>): Promise<ProbeRun<T>> {
    const shell = this.shellOf(from);
    // Names go through the lab's resolvers; anything with a colon is an IPv6 literal (a zone index too) and is checked.
    for (const target of probe.targets) if (isIpv4(target) || target.includes(":")) this.run.assertTarget(target, `${probe.name} probe from ${endpointLabel(from)}`);
    const result = await shell.exec(probe.command, { signal: this.signal, timeoutMs: probe.timeoutMs });
    return { value: probe.parse(result), result, evidence: toEvidence(result) };
  }

  /**
   * A change a scenario makes outside its containers (a route, a sysctl, a
   * firewall rule on the lab host or in the external host): the undo is written
   * to the run's ledger before `apply` runs (so `kill -9` + `netcheck clean`
   * removes it) and runs when this scenario's lab is torn down. Inside a node a
   * change goes away with the container, so it is only applied.
   */
  async own(on: Endpoint, change: { what: string; apply: string[]; undo: string[] }, timeoutMs = 10_000): Promise<{ result: ExecResult; evidence: CommandEvidence }> {
    if (on.kind === "lab-host") own(this.lab.host(on.name), this.lab.cleanup, this.run.ledger, change.what, change.undo);
    if (on.kind === "external-ref") {
      const ext = this.run.external;
      own(ext.labHost, this.lab.cleanup, this.run.ledger, `${change.what} (in ${ext.namespace})`, ["ip", "netns", "exec", ext.namespace, ...change.undo]);
    }
    const result = await this.shellOf(on).exec(change.apply, { signal: this.signal, timeoutMs });
    return { result, evidence: toEvidence(result) };
  }

  /** Run a read-only command (ip, cat, readlink) on an endpoint, with evidence. */
  async inspect(from: Endpoint, command: string[], timeoutMs = 10_000): Promise<{ result: ExecResult; evidence: CommandEvidence }> {
    const result = await this.shellOf(from).exec(command, { signal: this.signal, timeoutMs });
    return { result, evidence: toEvidence(result) };
  }
}

export function toEvidence(r: ExecResult): CommandEvidence {
  const cap = (s: string) => (s.length > 8000 ? `${s.slice(0, 8000)}\n… (${s.length - 8000} more characters)` : s);
  return {
    kind: "command",
    where: r.where,
    command: r.command,
    exitCode: r.exitCode,
    stdout: cap(r.stdout),
    stderr: cap(r.stderr),
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    ...(r.timedOut ? { timedOut: true } : {}),
  };
}

/** When two nodes share several networks, aim at the address on one the source is also on. */
function sharedNetwork(ctx: CheckContext, from: Endpoint | undefined, to: StartedNode, v6 = false): string | undefined {
  if (from?.kind !== "node") return undefined;
  const src = ctx.node(from);
  return to.addresses.find((a) => (!v6 || a.ipv6) && src.addresses.some((b) => b.network === a.network))?.network;
}
