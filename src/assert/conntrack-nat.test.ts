import { describe, expect, it } from "vitest";
import { parseConntrack } from "../probes/conntrack.js";
import { judgeConntrackNat } from "./nat.js";

// Recorded from /proc/net/nf_conntrack on Docker 20.10 (iptables-nft): a host-network server, a published port, a masqueraded egress.
const table = [
  "ipv4     2 unknown  2 316 src=10.213.224.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=10.213.224.1 mark=0 zone=0 use=2",
  "ipv4     2 tcp      6 119 TIME_WAIT src=198.18.7.2 dst=198.18.7.1 sport=41234 dport=8080 src=198.18.7.1 dst=198.18.7.2 sport=8080 dport=41234 [ASSURED] mark=0 zone=0 use=2",
  "ipv4     2 tcp      6 118 TIME_WAIT src=198.18.7.2 dst=198.18.7.1 sport=41240 dport=32768 src=172.17.0.3 dst=198.18.7.2 sport=80 dport=41240 [ASSURED] mark=0 zone=0 use=2",
  "ipv4     2 tcp      6 117 TIME_WAIT src=172.17.0.2 dst=198.18.7.2 sport=50000 dport=33333 src=198.18.7.2 dst=198.18.7.1 sport=33333 dport=50000 [ASSURED] mark=0 zone=0 use=2",
].join("\n");
const entries = parseConntrack(table);

describe("NAT from the kernel's conntrack entry", () => {
  it("parses original and reply tuples", () => {
    // Entries without ports (IGMP here) cannot carry a TCP/UDP flow: left out.
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ protocol: "tcp", state: "TIME_WAIT", orig: { src: "198.18.7.2", dport: 8080 }, reply: { src: "198.18.7.1", sport: 8080 } });
  });
  it("a host-network server: no rewrite; expecting DNAT fails", () => {
    const wire = { protocol: "tcp", src: "198.18.7.2", srcPort: 41234, dst: "198.18.7.1", dstPort: 8080 };
    const v = judgeConntrackNat({ expect: "none", wire, wireLabel: "external", entries });
    expect(v).toMatchObject({ status: "pass", observed: "none" });
    const nat = v.evidence.find((e) => e.kind === "nat");
    expect(nat && nat.kind === "nat" && nat.after.tuple).toEqual(nat && nat.kind === "nat" && nat.before.tuple);
    expect(judgeConntrackNat({ expect: "dnat", wire, wireLabel: "external", entries }).status).toBe("fail");
  });
  it("a published port: DNAT to the container, found by the original tuple", () => {
    const wire = { protocol: "tcp", src: "198.18.7.2", srcPort: 41240, dst: "198.18.7.1", dstPort: 32768 };
    expect(judgeConntrackNat({ expect: "none", wire, wireLabel: "external", entries })).toMatchObject({ status: "fail", observed: "dnat" });
  });
  it("masqueraded egress: found by the reply tuple of what the far end saw", () => {
    const wire = { protocol: "tcp", src: "198.18.7.1", srcPort: 50000, dst: "198.18.7.2", dstPort: 33333 };
    expect(judgeConntrackNat({ expect: "snat", wire, wireLabel: "external", entries })).toMatchObject({ status: "pass", observed: "snat" });
    expect(judgeConntrackNat({ expect: "none", wire, wireLabel: "external", entries }).status).toBe("fail");
  });
  it("no entry: nothing proven", () => {
    const wire = { protocol: "tcp", src: "198.18.7.9", srcPort: 1, dst: "198.18.7.1", dstPort: 2 };
    expect(judgeConntrackNat({ expect: "none", wire, wireLabel: "external", entries }).status).toBe("fail");
  });
});
