import { describe, expect, it } from "vitest";
import { judgeV6Addresses, parseV6Addresses } from "./v6-addresses.js";

// Recorded on this machine (Docker 20.10.24): `ip -o -6 addr` on the host, and in --network none / host containers.
const HOST = `1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
4: eth0    inet6 fd00::2/64 scope global nodad \\       valid_lft forever preferred_lft forever
4: eth0    inet6 fe80::fc:ff:fe00:1/64 scope link \\       valid_lft forever preferred_lft forever`;

describe("IPv6 addresses of a namespace", () => {
  it("parses address, prefix and device", () => {
    expect(parseV6Addresses(HOST)).toEqual(["::1/128 (lo)", "fd00::2/64 (eth0)", "fe80::fc:ff:fe00:1/64 (eth0)"]);
  });
  it("none: passes on no address at all, fails on any (::1 included)", () => {
    expect(judgeV6Addresses("n", "", { kind: "none" }).status).toBe("pass");
    expect(judgeV6Addresses("n", HOST.split("\n")[0]!, { kind: "none" })).toMatchObject({ status: "fail", reason: "n has IPv6 addresses: ::1/128 (lo)" });
  });
  it("same as the host: every address, no more, no fewer; nothing to compare with is inconclusive", () => {
    expect(judgeV6Addresses("h", HOST, { kind: "same-as", reference: HOST, where: "the host" }).status).toBe("pass");
    expect(judgeV6Addresses("h", HOST.split("\n").slice(0, 2).join("\n"), { kind: "same-as", reference: HOST, where: "the host" }).reason).toMatch(/missing fe80::fc:ff:fe00:1\/64 \(eth0\); extra none/);
    expect(judgeV6Addresses("h", HOST, { kind: "same-as", reference: "", where: "the host" }).verdict).toBe("inconclusive");
    expect(judgeV6Addresses("n", "", { kind: "only", addresses: ["::1/128 (lo)"] }).status).toBe("fail");
  });
});
