import { describe, expect, it } from "vitest";
import type { Packet } from "../pcap/index.js";
import { judgeNoRouteOut, type NoRouteOutEvidence, judgeRefused, judgeSharedMac, judgeSubInterfaceLife, judgeViaGateway, judgeVlanTags } from "./vlan-trunk.js";

const PARENT = "52:54:00:aa:bb:01";
const icmp = (src: string, dst: string, vlans: number[], srcMac = PARENT): Packet =>
  ({ vlans, srcMac, ip: { version: 4, src, dst, ttl: 64, protocol: 1, fragment: false } }) as unknown as Packet;
const arpReply = (senderIp: string, senderMac: string, vlans: number[] = []): Packet =>
  ({ vlans, srcMac: senderMac, arp: { operation: "reply", senderIp, senderMac, targetIp: "10.214.21.250", targetMac: "52:54:00:aa:bb:02" } }) as unknown as Packet;

describe("judgeVlanTags", () => {
  const trunk = [icmp("10.214.23.2", "10.214.23.250", [20]), icmp("10.214.24.2", "10.214.24.250", [30])];
  const sources = [
    { name: "a20", ip: "10.214.23.2", vlan: 20 },
    { name: "a30", ip: "10.214.24.2", vlan: 30 },
  ];
  it("passes when each source's frames carry its own VLAN's tag", () => {
    expect(judgeVlanTags(trunk, sources)).toMatchObject({ status: "pass", reason: expect.stringContaining("a30: 1 frames, all VLAN 30") });
  });
  // Wrong-expectation twins: each must fail.
  it("fails when a source is expected on the other VLAN", () => {
    expect(judgeVlanTags(trunk, [{ name: "a20", ip: "10.214.23.2", vlan: 30 }])).toMatchObject({ status: "fail", reason: expect.stringContaining("seen: 20") });
  });
  it("fails on untagged or double-tagged frames, and on a source never seen", () => {
    expect(judgeVlanTags([icmp("10.214.23.2", "x", [])], [sources[0]!]).reason).toContain("untagged");
    expect(judgeVlanTags([icmp("10.214.23.2", "x", [20, 30])], [sources[0]!]).status).toBe("fail");
    expect(judgeVlanTags([trunk[1]!], sources)).toMatchObject({ status: "fail", reason: expect.stringContaining("no frame from a20") });
  });
});

describe("judgeSharedMac", () => {
  const nodes = [
    { name: "a", ip: "10.214.21.2" },
    { name: "b", ip: "10.214.21.3" },
  ];
  const good = [arpReply("10.214.21.2", PARENT), arpReply("10.214.21.3", PARENT), icmp("10.214.21.2", "10.214.21.250", []), icmp("10.214.21.3", "10.214.21.250", [])];
  it("passes when ARP replies and frames of every node carry the parent's MAC", () => {
    expect(judgeSharedMac(good, PARENT.toUpperCase(), nodes).status).toBe("pass");
  });
  it("fails when a node answers ARP with a MAC of its own (macvlan behaviour)", () => {
    expect(judgeSharedMac([...good.slice(1), arpReply("10.214.21.2", "02:42:0a:d6:15:02")], PARENT, nodes)).toMatchObject({ status: "fail", reason: expect.stringContaining("02:42:0a:d6:15:02") });
  });
  it("fails when the expected parent MAC is another one, or no ARP reply was captured", () => {
    expect(judgeSharedMac(good, "52:54:00:aa:bb:99", nodes).status).toBe("fail");
    expect(judgeSharedMac(good.slice(2), PARENT, nodes)).toMatchObject({ status: "fail", reason: expect.stringContaining("no ARP reply") });
  });
  it("fails on a frame from a node with another source MAC", () => {
    expect(judgeSharedMac([...good, icmp("10.214.21.3", "x", [], "02:42:00:00:00:01")], PARENT, nodes).reason).toContain("source MAC 02:42:00:00:00:01");
  });
});

describe("judgeRefused", () => {
  const docker = { exitCode: 1, stderr: "Error response from daemon: network dm-1234 is already using parent interface eth1\n" };
  it("passes on Docker's own refusal", () => {
    expect(judgeRefused(docker, /already using parent interface eth1/, "an L2 network on eth1")).toMatchObject({ status: "pass", reason: expect.stringContaining("dm-1234") });
  });
  it("fails when Docker accepts it, or refuses for another reason", () => {
    expect(judgeRefused({ exitCode: 0, stderr: "" }, /already using/, "x").reason).toContain("accepted");
    expect(judgeRefused({ exitCode: 1, stderr: "Pool overlaps with other one on this address space" }, /already using/, "x")).toMatchObject({ status: "fail", reason: expect.stringContaining("Pool overlaps") });
  });
});

describe("judgeSubInterfaceLife", () => {
  const vlan40 = "5: eth1.40@eth1: <BROADCAST,MULTICAST,UP> mtu 1500\n    vlan protocol 802.1Q id 40 <REORDER_HDR>";
  it("passes when Docker's own sub-interface comes and goes with the network", () => {
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 40, during: vlan40, preexisting: false }).status).toBe("pass");
  });
  it("passes when a pre-existing one outlives the network", () => {
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 40, before: vlan40, during: vlan40, after: vlan40, preexisting: true }).status).toBe("pass");
  });
  it("fails when Docker leaves its own behind, or takes the user's with it", () => {
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 40, during: vlan40, after: vlan40, preexisting: false }).reason).toContain("left it behind");
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 40, before: vlan40, during: vlan40, preexisting: true }).reason).toContain("removed it");
  });
  it("fails when the link was there before (nothing proves Docker made it) or has another id", () => {
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 40, before: vlan40, during: vlan40, preexisting: false }).status).toBe("fail");
    expect(judgeSubInterfaceLife({ dev: "eth1.40", vlan: 41, during: vlan40, preexisting: false }).status).toBe("fail");
  });
});

describe("judgeViaGateway", () => {
  const GW = "52:54:00:aa:bb:02";
  const req = (dstMac: string): Packet => ({ vlans: [], srcMac: PARENT, dstMac, icmp: { type: 8, code: 0 }, ip: { version: 4, src: "10.214.21.2", dst: "10.214.90.12", ttl: 64, protocol: 1, fragment: false } }) as unknown as Packet;
  const e = { node: "a", src: "10.214.21.2", dst: "10.214.90.12", gateway: "10.214.21.1", gatewayMac: GW };
  it("passes when the off-subnet requests are framed to the gateway's MAC", () => {
    expect(judgeViaGateway([req(GW), req(GW)], e).status).toBe("pass");
  });
  it("fails when they go to another MAC, or none arrived", () => {
    expect(judgeViaGateway([req("52:54:00:aa:bb:03")], e).reason).toContain("52:54:00:aa:bb:03");
    expect(judgeViaGateway([], e).status).toBe("fail");
    expect(judgeViaGateway([req(GW)], { ...e, gatewayMac: "52:54:00:aa:bb:09" }).status).toBe("fail");
  });
});

describe("judgeNoRouteOut", () => {
  // Shaped like the VMs' evidence (Docker 20.10.24, kernel 6.1): 2 requests left a, none on the parent's wire nor at the
  // external host, the counters still, vm1 ARPing for the external address on eth1 with no answer.
  const dropped: NoRouteOutEvidence = {
    subject: "a → 198.18.4.2 (external)",
    outcome: { class: "timeout", why: "2 echo requests sent, no reply within the deadline" },
    leftSource: 2,
    onParent: 0,
    atDestination: 0,
    parent: "vm1 eth1",
    slaveTxDropped: 0,
    parentTxErrors: 0,
    arpOnParent: 3,
    neighbour: "198.18.4.2 INCOMPLETE",
    hostRoute: "RTNETLINK answers: Network is unreachable",
  };
  it("a silent drop on the host passes only when the packets left the container, went nowhere, and the host's drop is seen", () => {
    const v = judgeNoRouteOut(dropped);
    expect(v.status).toBe("pass");
    expect(v.reason).toMatch(/dropped silently on the host.*2 packets left the container; the host took the destination for on-link and ARPed for it on vm1 eth1 \(3 requests, unanswered: "198.18.4.2 INCOMPLETE"\)/);
    // A failed lookup is counted instead of ARPed.
    const counted = judgeNoRouteOut({ ...dropped, arpOnParent: 0, neighbour: "", slaveTxDropped: 2, parentTxErrors: 2 });
    expect(counted.status).toBe("pass");
    expect(counted.reason).toMatch(/tx_dropped \+2; vm1 eth1 tx_errors \+2/);
  });
  it("unreachable at the source passes (the issue's expectation) when nothing left the host", () => {
    expect(judgeNoRouteOut({ ...dropped, outcome: { class: "unreachable", at: "source", why: "Network is unreachable" }, leftSource: 0, slaveTxDropped: 0, parentTxErrors: 0 }).status).toBe("pass");
  });
  it("fails when the probe left the host: arrived at the destination (no route back is not 'no route out'), or on the parent's wire", () => {
    expect(judgeNoRouteOut({ ...dropped, atDestination: 2 }).reason).toMatch(/left the host: 2 of its packets arrived at the destination/);
    expect(judgeNoRouteOut({ ...dropped, onParent: 1 }).reason).toMatch(/left the host: 1 of its packets were on vm1 eth1/);
    expect(judgeNoRouteOut({ ...dropped, outcome: { class: "unreachable", at: "path", why: "No route to host" } }).status).toBe("fail");
    expect(judgeNoRouteOut({ ...dropped, outcome: { class: "delivered", why: "2 of 2" } }).reason).toMatch(/has a way out/);
    expect(judgeNoRouteOut({ ...dropped, outcome: { class: "refused", why: "Connection refused" } }).reason).toMatch(/has a way out/);
  });
  it("silence proves nothing without the captures, without the probe leaving the container, or without the drop counted", () => {
    expect(judgeNoRouteOut({ ...dropped, atDestination: undefined }).reason).toMatch(/^inconclusive: .*no capture at the destination/);
    expect(judgeNoRouteOut({ ...dropped, onParent: undefined }).reason).toMatch(/^inconclusive: .*no capture on vm1 eth1/);
    expect(judgeNoRouteOut({ ...dropped, leftSource: 0 }).reason).toMatch(/^inconclusive: .*none of the probe's packets leaving/);
    expect(judgeNoRouteOut({ ...dropped, leftSource: undefined }).reason).toMatch(/^inconclusive: .*no capture in the container/);
    // An ARP answered (a REACHABLE neighbour) is no drop; no ARP at all with still counters shows nothing.
    expect(judgeNoRouteOut({ ...dropped, neighbour: "198.18.4.2 lladdr 52:54:00:01:02:03 REACHABLE" }).reason).toMatch(/^inconclusive: .*nothing on the host shows where/);
    expect(judgeNoRouteOut({ ...dropped, arpOnParent: 0 }).status).toBe("fail");
    expect(judgeNoRouteOut({ ...dropped, arpOnParent: undefined, neighbour: undefined, slaveTxDropped: 1, parentTxErrors: 1 }).status).toBe("fail");
    expect(judgeNoRouteOut({ ...dropped, outcome: { class: "probe-error", why: "killed by the exec deadline" } }).reason).toMatch(/^error: /);
  });
  it("the issue's literal claim (unreachable at the source) fails on a silent drop: the wrong twin on Docker 20.10 / kernel 6.1", () => {
    expect(judgeNoRouteOut(dropped, { requireUnreachable: true }).reason).toMatch(/must be refused at the source \(unreachable\), but the source sees a timeout/);
  });
});
