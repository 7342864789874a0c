import { describe, expect, it } from "vitest";
import { Capture } from "../pcap/index.js";
import { classicPcap, tcpConversation } from "../../test/fixtures/pcap/craft.js";
import { assertNat, type NatCaptureSide } from "./nat.js";

const TOKEN = "nc5e1f00d";
const cap = (frames: Buffer[]) => Capture.fromBuffer(classicPcap(frames.map((data, i) => ({ data, nsec: i * 1000 }))));
const side = (label: string, frames: Buffer[], expectTuple?: NatCaptureSide["expect"]): NatCaptureSide => ({ label, file: `s/${label}.pcap`, capture: cap(frames), expect: expectTuple });

// A published port: the outside sends to the host's address, the container receives on its own.
const outside = tcpConversation(["198.18.0.2", 41000], ["198.18.0.1", 20080], TOKEN);
const inside = tcpConversation(["198.18.0.2", 41000], ["172.17.0.5", 80], TOKEN);

describe("assertNat", () => {
  it("proves DNAT with both tuples side by side", () => {
    const f = assertNat({ expect: "dnat", token: TOKEN, before: side("external", outside, { dst: "198.18.0.1", dstPort: 20080 }), after: side("server", inside, { dst: "172.17.0.5", dstPort: 80, src: "198.18.0.2" }) });
    expect(f.status).toBe("pass");
    expect(f.observed).toBe("dnat");
    const nat = f.evidence.find((e) => e.kind === "nat");
    expect(nat).toMatchObject({ rewrite: "dnat", token: TOKEN, before: { tuple: { dst: "198.18.0.1", dstPort: 20080 }, packets: 5 }, after: { tuple: { dst: "172.17.0.5", dstPort: 80 } } });
    const pk = f.evidence.filter((e) => e.kind === "packets");
    expect(pk).toHaveLength(2);
    expect(pk[0]).toMatchObject({ file: "s/external.pcap", total: 5 });
    expect((pk[0] as { lines: string[] }).lines[0]).toContain("198.18.0.2.41000 > 198.18.0.1.20080: Flags [S]");
  });

  it("fails an inverted expectation with the contradicting tuples", () => {
    const c = tcpConversation(["172.17.0.5", 50000], ["198.18.0.2", 30001], TOKEN);
    const e = tcpConversation(["198.18.0.1", 50000], ["198.18.0.2", 30001], TOKEN);
    const f = assertNat({ expect: "none", token: TOKEN, before: side("client", c), after: side("external", e) });
    expect(f.status).toBe("fail");
    expect(f.observed).toBe("snat");
    expect(f.reason).toMatch(/expected no address rewrite, but the packets show SNAT/);
    expect(f.reason).toContain("client saw tcp 172.17.0.5:50000 > 198.18.0.2:30001");
    expect(f.reason).toContain("external saw tcp 198.18.0.1:50000 > 198.18.0.2:30001");
    // …and the same captures pass when SNAT is what is expected.
    expect(assertNat({ expect: "snat", token: TOKEN, before: side("client", c), after: side("external", e, { src: "198.18.0.1" }) }).status).toBe("pass");
  });

  it("fails when the rewrite kind matches but an address does not", () => {
    const f = assertNat({ expect: "dnat", token: TOKEN, before: side("external", outside), after: side("server", inside, { dst: "172.17.0.9" }) });
    expect(f.status).toBe("fail");
    expect(f.reason).toContain("server saw dst 172.17.0.5, expected 172.17.0.9");
  });

  it("recognises a userland proxy by its second connection (new ISN)", () => {
    const lo = tcpConversation(["127.0.0.1", 45000], ["127.0.0.1", 20080], TOKEN, 1000);
    const ct = tcpConversation(["172.17.0.1", 46000], ["172.17.0.5", 80], TOKEN, 777777);
    const f = assertNat({ expect: "proxy", token: TOKEN, before: side("host lo", lo), after: side("server", ct, { src: "172.17.0.1" }) });
    expect(f.status).toBe("pass");
    expect(f.evidence.find((e) => e.kind === "nat")).toMatchObject({ rewrite: "proxy" });
    // Same ISN with both ends changed is NAT, not a proxy.
    const nat = tcpConversation(["172.17.0.1", 46000], ["172.17.0.5", 80], TOKEN, 1000);
    expect(assertNat({ expect: "proxy", token: TOKEN, before: side("host lo", lo), after: side("server", nat) }).observed).toBe("dnat+snat");
  });

  it("proves no rewrite and fails when the token is missing on one side", () => {
    const ab = tcpConversation(["10.213.0.2", 40000], ["10.213.0.3", 80], TOKEN);
    expect(assertNat({ expect: "none", token: TOKEN, before: side("a", ab), after: side("b", ab) }).status).toBe("pass");
    const other = tcpConversation(["10.213.0.2", 40000], ["10.213.0.3", 80], "nc0ther");
    const f = assertNat({ expect: "none", token: TOKEN, before: side("a", ab), after: side("b", other) });
    expect(f.status).toBe("fail");
    expect(f.reason).toMatch(/never showed up in b \(5 packets captured\)/);
    expect(f.evidence.filter((e) => e.kind === "packets")).toHaveLength(2);
  });
});
