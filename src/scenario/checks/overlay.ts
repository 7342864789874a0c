import { captureOnHost } from "../../capture/index.js";
import { assertSwarmReady, parseNodeLs } from "../../assert/swarm.js";
import { assertVxlan } from "../../assert/vxlan.js";
import { assertGossip, assertKvNetwork, GOSSIP_PORT, type KvNetworkView } from "../../assert/overlay-control.js";
import { sleep } from "../../util/abort.js";
import { NODE_LS_FORMAT } from "../../lab/dind/swarm.js";
import { underlayOf } from "../../lab/host-underlay.js";
import { addressOn } from "../../lab/started.js";
import type { DockerHostDecl, NetworkDecl, NodeDecl } from "../../lab/topology.js";
import { icmpReach } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { toEvidence } from "../context.js";
import type { CheckDecl } from "../define.js";

/** Every declared host is a Ready, Active swarm node; the first is the leader. */
export function swarmReadyCheck(hosts: DockerHostDecl[]): CheckDecl {
  const names = hosts.map((h) => h.name);
  return {
    name: "swarm-nodes-ready",
    category: "topology",
    expectation: `${names.join(", ")} form one swarm, every node Ready and Active, ${names[0]} the leader`,
    async run(ctx) {
      // Side by side: each is a `docker` CLI start-up inside a host (~1–2 s under load), none depends on another.
      const [ls, ...infos] = await Promise.all([
        ctx.lab.host(names[0]).shell.exec(["docker", "node", "ls", "--format", NODE_LS_FORMAT], { signal: ctx.signal, timeoutMs: 10_000 }),
        ...hosts.map((h) => ctx.lab.host(h.name).shell.exec(["docker", "info", "--format", "{{.Name}}"], { signal: ctx.signal, timeoutMs: 10_000 })),
      ]);
      const evidence: Evidence[] = [toEvidence(ls!), ...infos.map(toEvidence)];
      const hostnames = infos.map((r) => r.stdout.trim());
      const swarm = ctx.lab.swarm;
      if (swarm) evidence.push({ kind: "note", text: `swarm formed in ${swarm.readyMs} ms (init, join, every node Ready, every worker knowing a manager)` });
      for (const r of swarm?.retriedAttaches ?? ctx.lab.retriedAttaches) evidence.push({ kind: "note", text: `attach of ${r.node} timed out on the swarm and was retried: ${r.error}` });
      if (ls.exitCode !== 0) return { status: "fail", reason: `docker node ls on ${names[0]} failed: ${ls.stderr.trim()}`, evidence };
      const v = assertSwarmReady(parseNodeLs(ls.stdout), hostnames, hostnames[0]!);
      return { ...v, evidence };
    },
  };
}

/**
 * a → b pings cross the underlay as VXLAN: a capture where the hosts meet
 * shows every inner a ⇄ b packet wrapped in UDP 4789 between the two hosts'
 * underlay addresses, in the overlay network's VNI.
 */
export function vxlanOnUnderlayCheck(a: NodeDecl, b: NodeDecl, network: NetworkDecl, opts: { vniOf?: NetworkDecl } = {}): CheckDecl {
  const vniOf = opts.vniOf ?? network;
  return {
    name: `${a.name}-to-${b.name}-is-vxlan-on-the-underlay`,
    category: "reachability",
    expectation: `${a.name} → ${b.name} on ${network.name} travels as VXLAN (UDP 4789, ${vniOf.name}'s VNI) between the two hosts' underlay addresses, the inner packets ${a.name} ⇄ ${b.name}`,
    async run(ctx) {
      const na = ctx.node(a);
      const nb = ctx.node(b);
      if (na.labHost === nb.labHost) return { status: "fail", reason: `${a.name} and ${b.name} are on the same host ${na.labHost.name}: nothing crosses the underlay`, evidence: [] };
      const [pa, pb] = [await underlayOf(na.labHost, ctx.run, ctx.signal), await underlayOf(nb.labHost, ctx.run, ctx.signal)];
      const aIp = addressOn(na, network)?.ipv4;
      const bIp = addressOn(nb, network)?.ipv4;
      if (!aIp || !bIp) return { status: "fail", reason: `no address on ${network.name} (${a.name}: ${aIp ?? "none"}, ${b.name}: ${bIp ?? "none"})`, evidence: [] };
      const net = ctx.lab.networks.get(vniOf.name);
      const info = net ? await net.labHost.engine.inspectNetwork(net.id) : undefined;
      const vniText = info?.Options?.["com.docker.network.driver.overlay.vxlanid_list"];
      const vni = vniText ? Number(vniText.split(",")[0]) : undefined;
      const cap = await captureOnHost(ctx, pa.captureOn, { iface: pa.iface, filter: `udp port 4789 and host ${pa.address} and host ${pb.address}`, name: `${a.name}-${b.name}-underlay-vxlan`, signal: ctx.signal }, () =>
        ctx.probe(a, icmpReach(bIp, { count: 3, timeoutS: 3 })),
      );
      const verdict = assertVxlan(cap.capture.packets(), { outer: { a: pa.address, b: pb.address }, inner: { a: aIp, b: bIp }, vni });
      const evidence: Evidence[] = [
        cap.value.evidence,
        cap.evidence(verdict.carrying, `${pa.captureOn.name} ${pa.iface} (underlay)`),
        { kind: "note", text: `underlay: ${na.labHost.name} ${pa.address}, ${nb.labHost.name} ${pb.address}; network ${vniOf.name} VNI ${vni ?? "not reported by the engine"}` },
      ];
      if (!cap.value.value.reached) return { status: "fail", reason: `${a.name} (${aIp}) could not ping ${b.name} (${bIp}): ${cap.value.value.detail}`, evidence };
      return { status: verdict.status, reason: verdict.reason, evidence };
    },
  };
}

/**
 * Classic overlay: the engines' gossip (port 7946) crosses the underlay
 * between the two hosts. Captured on the underlay for a few seconds: the
 * gossip is periodic, nothing needs to provoke it.
 */
export function gossipOnUnderlayCheck(h1: DockerHostDecl, h2: DockerHostDecl, opts: { port?: number; name?: string } = {}): CheckDecl {
  const port = opts.port ?? GOSSIP_PORT;
  return {
    name: opts.name ?? `${h1.name}-${h2.name}-gossip-on-port-${port}`,
    category: "topology",
    expectation: `${h1.name} and ${h2.name} exchange the overlay's control traffic (TCP/UDP ${port}) on the underlay`,
    async run(ctx) {
      const [pa, pb] = [await underlayOf(ctx.lab.host(h1.name), ctx.run, ctx.signal), await underlayOf(ctx.lab.host(h2.name), ctx.run, ctx.signal)];
      const cap = await captureOnHost(ctx, pa.captureOn, { iface: pa.iface, filter: `port ${port} and host ${pa.address} and host ${pb.address}`, name: `${h1.name}-${h2.name}-gossip-${port}`, signal: ctx.signal }, () => sleep(6000, ctx.signal));
      const v = assertGossip(cap.capture.packets(), { a: pa.address, b: pb.address }, port);
      return { status: v.status, reason: v.reason, evidence: [cap.evidence(v.gossip, `${pa.captureOn.name} ${pa.iface} (underlay), 6 s`), { kind: "note", text: `underlay: ${h1.name} ${pa.address}, ${h2.name} ${pb.address}` }] };
    },
  };
}

/** A network created on one host is known to every host sharing the key-value store, with `expectScope` ("global"), and no host is in a swarm. */
export function kvNetworkCheck(network: NetworkDecl, hosts: DockerHostDecl[], opts: { expectScope?: string; name?: string } = {}): CheckDecl {
  const expectScope = opts.expectScope ?? "global";
  return {
    name: opts.name ?? `${network.name}-is-${expectScope}-on-${hosts.map((h) => h.name).join("-")}-without-swarm`,
    category: "topology",
    expectation: `${network.name} is known to ${hosts.map((h) => h.name).join(" and ")} with scope "${expectScope}" (the key-value store carries it), and no host is in a swarm`,
    async run(ctx) {
      const net = ctx.lab.networks.get(network.name);
      if (!net) return { status: "fail", reason: `network ${network.name} was not created`, evidence: [] };
      const evidence: Evidence[] = [];
      const views: KvNetworkView[] = [];
      // Every host's two `docker` CLI calls side by side (each a CLI start-up inside the host, ~1–2 s under load).
      const asked = await Promise.all(
        hosts.map((h) => {
          const shell = ctx.lab.host(h.name).shell;
          return Promise.all([
            shell.exec(["docker", "network", "inspect", "--format", "{{.Id}} {{.Scope}}", net.dockerName], { signal: ctx.signal, timeoutMs: 10_000 }),
            shell.exec(["docker", "info", "--format", "{{.Swarm.LocalNodeState}}"], { signal: ctx.signal, timeoutMs: 10_000 }),
          ]);
        }),
      );
      hosts.forEach((h, i) => {
        const [inspect, info] = asked[i]!;
        evidence.push(toEvidence(inspect), toEvidence(info));
        const [id, scope] = inspect.stdout.trim().split(" ");
        views.push({ host: h.name, ...(inspect.exitCode === 0 ? { id, scope } : { error: inspect.stderr.trim() }), swarm: info.stdout.trim() });
      });
      if (ctx.lab.kvStore) evidence.push({ kind: "note", text: `key-value store: ${ctx.lab.kvStore.url} (etcd on the underlay, ready in ${ctx.lab.kvStore.readyMs} ms)` });
      return { ...assertKvNetwork(views, expectScope), evidence };
    },
  };
}
