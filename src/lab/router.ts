import { execOk, type Host } from "../host/host.js";
import { NetnsHost } from "../host/netns-host.js";
import type { Cleanup } from "../util/cleanup.js";
import { netnsName } from "../util/labels.js";
import type { RunLab } from "./run-lab.js";
import { netnsUndo, own } from "./owned.js";
import type { StartedSegment } from "./segment.js";
import type { RouterDecl } from "./topology.js";

/**
 * A router between lab segments: a namespace with one leg on each segment's
 * switch, holding that segment's gateway address. Forwarding is switched on
 * inside this namespace only; it has no default route, so it can only move
 * packets between the segments it joins.
 */
export interface StartedRouter {
  decl: RouterDecl;
  name: string;
  namespace: string;
  shell: Host;
  /** Segment name → the router's interface and address there. */
  legs: Map<string, { iface: string; address: string }>;
}

const routerCount = new WeakMap<RunLab, number>();

export async function createRouter(run: RunLab, decl: RouterDecl, segments: Map<string, StartedSegment>, cleanup: Cleanup, signal?: AbortSignal): Promise<StartedRouter> {
  const n = routerCount.get(run) ?? 0;
  routerCount.set(run, n + 1);
  // netns names are netcheck-<letters>-<run>: `netcheck clean` matches them by that shape.
  const namespace = netnsName(run.runId, `rt${String.fromCharCode(97 + (n % 26))}`);
  const first = segments.get(decl.segments[0]?.name ?? "");
  if (!first) throw new Error(`router "${decl.name}" joins no started segment`);
  const host = first.labHost;
  const sh = host.shell;
  await execOk(sh, ["ip", "netns", "add", namespace], { signal });
  own(host, cleanup, run.ledger, `netns ${namespace}`, netnsUndo(namespace));
  const legs = new Map<string, { iface: string; address: string }>();
  for (const [i, segDecl] of decl.segments.entries()) {
    const seg = segments.get(segDecl.name);
    if (!seg) throw new Error(`router "${decl.name}": segment "${segDecl.name}" is not up`);
    if (seg.labHost !== host) throw new Error(`router "${decl.name}": segments on different lab hosts cannot share a router namespace`);
    const iface = `eth${i}`;
    // The switch-side port lives in the segment's namespace: both ends go away with their namespaces.
    const port = `rt${n}p${i}`;
    const steps = [
      ["ip", "-n", seg.namespace, "link", "add", port, "type", "veth", "peer", "name", iface, "netns", namespace],
      ["ip", "-n", seg.namespace, "link", "set", port, "master", seg.peer.bridge],
      ["ip", "-n", seg.namespace, "link", "set", port, "up"],
      ["ip", "-n", namespace, "addr", "add", `${seg.gateway}/${seg.prefix}`, "dev", iface],
      ["ip", "-n", namespace, "link", "set", iface, "up"],
    ];
    for (const step of steps) await execOk(sh, step, { signal });
    legs.set(seg.name, { iface, address: seg.gateway });
  }
  const shell = new NetnsHost(sh, namespace);
  await execOk(sh, ["ip", "-n", namespace, "link", "set", "lo", "up"], { signal });
  await execOk(shell, ["sysctl", "-qw", "net.ipv4.ip_forward=1"], { signal });
  return { decl, name: decl.name, namespace, shell, legs };
}
