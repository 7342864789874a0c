import { describe, expect, it } from "vitest";
import { parseRouteDestinations, SubnetAllocator } from "./subnets.js";

describe("SubnetAllocator", () => {
  it("skips subnets that overlap routes and networks already there", () => {
    const a = new SubnetAllocator({ pool: "10.213.0.0/22", prefix: 24, taken: ["10.213.0.0/24", "10.213.1.128/25"], seed: 0 });
    expect(a.allocate()).toBe("10.213.2.0/24");
    expect(a.allocate()).toBe("10.213.3.0/24");
    expect(() => a.allocate()).toThrow(/no free \/24 left in 10.213.0.0\/22/);
  });

  it("never hands out the same subnet twice and honours markTaken", () => {
    const a = new SubnetAllocator({ pool: "10.213.0.0/23", prefix: 24, taken: [], seed: 1 });
    const first = a.allocate();
    expect(first).toBe("10.213.1.0/24");
    a.markTaken("10.213.0.0/24");
    expect(() => a.allocate()).toThrow();
  });

  it("treats a covering route as taken", () => {
    const a = new SubnetAllocator({ pool: "10.213.0.0/16", prefix: 24, taken: ["10.0.0.0/8"], seed: 5 });
    expect(() => a.allocate()).toThrow(/no free/);
  });
});

describe("parseRouteDestinations", () => {
  it("reads prefixes and skips defaults and loopback", () => {
    const out = parseRouteDestinations(
      [
        "default via 192.0.2.1 dev eth0",
        "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1",
        "unreachable 10.213.4.0/24 metric 4242",
        "local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1",
        "broadcast 192.0.2.255 dev eth0 table local proto kernel scope link src 192.0.2.2",
      ].join("\n"),
    );
    expect(out).toEqual(["172.17.0.0/16", "10.213.4.0/24", "192.0.2.255/32"]);
  });
});

describe("parseRoute6Destinations", () => {
  it("keeps v6 destinations the lab must not overlap, drops default, multicast and link-local", async () => {
    const { parseRoute6Destinations } = await import("./subnets.js");
    const { formatCidr6 } = await import("../util/ipv6.js");
    const out = `fd00::/64 dev eth0 proto kernel metric 256 pref medium
fe80::/64 dev eth0 proto kernel metric 256 pref medium
unreachable fd6e:1:2::/48 dev lo metric 4242 pref medium
default via fd00::1 dev eth0 metric 1024 pref medium
local fd00::2 dev eth0 table local proto kernel metric 0 pref medium
multicast ff00::/8 dev eth0 table local proto kernel metric 256 pref medium`;
    expect(parseRoute6Destinations(out).map(formatCidr6)).toEqual(["fd00::/64", "fd6e:1:2::/48", "fd00::2/128"]);
  });
});
