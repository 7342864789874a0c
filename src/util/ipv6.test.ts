import { describe, expect, it } from "vitest";
import { bigIntToIpv6, cidr6Contains, cidrs6Overlap, ipv6ToBigInt, isIpv6, labRange6, nthAddress6, nthSubnet64, parseCidr6 } from "./ipv6.js";

describe("ipv6", () => {
  it("parses and prints canonical text", () => {
    expect(bigIntToIpv6(ipv6ToBigInt("FD00:0:0:0:0:0:0:1"))).toBe("fd00::1");
    expect(bigIntToIpv6(ipv6ToBigInt("::"))).toBe("::");
    expect(bigIntToIpv6(ipv6ToBigInt("::1"))).toBe("::1");
    expect(bigIntToIpv6(ipv6ToBigInt("2001:db8:0:1:0:0:0:1"))).toBe("2001:db8:0:1::1");
    expect(bigIntToIpv6(ipv6ToBigInt("::ffff:198.18.0.1"))).toBe("::ffff:c612:1");
    expect(bigIntToIpv6(ipv6ToBigInt("fe80::1:0:0:0"))).toBe("fe80::1:0:0:0");
    expect(bigIntToIpv6(ipv6ToBigInt("fe80:0:0:1::"))).toBe("fe80:0:0:1::");
  });
  it("refuses what is not an address", () => {
    for (const bad of ["1.2.3.4", "fd00:::1", "1:2:3:4:5:6:7:8:9", "fd00::1::2", "g::1", "", "1:2:3:4:5:6:7", "::1.2.3.256"]) expect(isIpv6(bad), bad).toBe(false);
    expect(isIpv6("1:2:3:4:5:6:7:8")).toBe(true);
  });
  it("contains, overlaps, nth", () => {
    const lab = parseCidr6("fd6e:1:2::/48");
    expect(cidr6Contains(lab, "fd6e:1:2:5::3")).toBe(true);
    expect(cidr6Contains(lab, "fd6e:1:3::1")).toBe(false);
    expect(cidr6Contains(lab, "fd00::1")).toBe(false);
    expect(cidrs6Overlap(lab, parseCidr6("fd6e:1::/32"))).toBe(true);
    expect(cidrs6Overlap(lab, parseCidr6("fd00::/64"))).toBe(false);
    expect(nthSubnet64(lab, 0)).toBe("fd6e:1:2::/64");
    expect(nthSubnet64(lab, 7)).toBe("fd6e:1:2:7::/64");
    expect(nthAddress6(parseCidr6("fd6e:1:2:7::/64"), 1)).toBe("fd6e:1:2:7::1");
  });
  it("a run's range is a ULA /48, stable per run id, another with a salt", () => {
    const r = labRange6("x6r5v");
    expect(r).toMatch(/^fd6e:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/48$/);
    expect(labRange6("x6r5v")).toBe(r);
    expect(labRange6("x6r5v", 1)).not.toBe(r);
    expect(cidr6Contains(parseCidr6("fc00::/7"), r.split("/")[0]!)).toBe(true);
  });
});
