import { describe, expect, it } from "vitest";
import { assertGossip, assertKvNetwork } from "./overlay-control.js";
import type { Packet } from "../pcap/index.js";

const pkt = (src: string, dst: string, proto: "udp" | "tcp", sport: number, dport: number): Packet =>
  ({ ip: { src, dst }, ...(proto === "udp" ? { udp: { srcPort: sport, dstPort: dport } } : { tcp: { srcPort: sport, dstPort: dport } }), vlans: [] }) as unknown as Packet;

describe("classic overlay's control plane and store", () => {
  const hosts = { a: "10.1.0.2", b: "10.1.0.3" };
  it("gossip: port 7946 both ways between the two hosts", () => {
    const v = assertGossip([pkt("10.1.0.2", "10.1.0.3", "udp", 7946, 7946), pkt("10.1.0.3", "10.1.0.2", "udp", 7946, 7946), pkt("10.1.0.3", "10.1.0.2", "tcp", 7946, 40000)], hosts);
    expect(v.status).toBe("pass");
    expect(v.reason).toMatch(/TCP and UDP 7946/);
  });
  it("gossip fails one-way, between other hosts, or on another port", () => {
    expect(assertGossip([pkt("10.1.0.2", "10.1.0.3", "udp", 7946, 7946)], hosts).reason).toMatch(/only one way/);
    expect(assertGossip([pkt("10.1.0.2", "10.1.0.9", "udp", 7946, 7946), pkt("10.1.0.9", "10.1.0.2", "udp", 7946, 7946)], hosts).status).toBe("fail");
    expect(assertGossip([pkt("10.1.0.2", "10.1.0.3", "udp", 7946, 7946), pkt("10.1.0.3", "10.1.0.2", "udp", 7946, 7946)], hosts, 7947).status).toBe("fail");
  });
  it("the store's network: same id, the expected scope, no swarm", () => {
    const views = [{ host: "h1", id: "abc123", scope: "global", swarm: "inactive" }, { host: "h2", id: "abc123", scope: "global", swarm: "inactive" }];
    expect(assertKvNetwork(views, "global").status).toBe("pass");
    expect(assertKvNetwork(views, "swarm").reason).toMatch(/expected "swarm"/);
    expect(assertKvNetwork([views[0]!, { host: "h2", error: "No such network", swarm: "inactive" }], "global").reason).toMatch(/h2 does not know/);
    expect(assertKvNetwork([views[0]!, { ...views[1]!, swarm: "active" }], "global").reason).toMatch(/in a swarm/);
  });
});
