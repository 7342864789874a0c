import { describe, expect, it } from "vitest";
import { judgeAddressing6 } from "./addressing6.js";

// Recorded in a container on `docker network create --ipv6 --subnet fd6e:e5c6:621b:1::/64` (Docker 20.10.24).
const ADDR = `1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
24: eth0    inet6 fd6e:e5c6:621b:1::2/64 scope global nodad \\       valid_lft forever preferred_lft forever
24: eth0    inet6 fe80::42:acff:fe12:2/64 scope link \\       valid_lft forever preferred_lft forever`;
const ROUTE = `fd6e:e5c6:621b:1::/64 dev eth0 proto kernel metric 256 pref medium
fe80::/64 dev eth0 proto kernel metric 256 pref medium
default via fd6e:e5c6:621b:1::1 dev eth0 metric 1024 pref medium`;
const base = { node: "a", subnet: "fd6e:e5c6:621b:1::/64", gateway: "fd6e:e5c6:621b:1::1", ipAddrOutput: ADDR, ipRouteOutput: ROUTE };

describe("judgeAddressing6", () => {
  it("passes on an address in the declared subnet and the default route via the declared gateway", () => {
    expect(judgeAddressing6(base)).toMatchObject({ status: "pass", reason: "fd6e:e5c6:621b:1::2/64 in fd6e:e5c6:621b:1::/64, default via fd6e:e5c6:621b:1::1" });
  });
  it("fails on another subnet, another prefix, another gateway, no default route; a link-local address never counts", () => {
    expect(judgeAddressing6({ ...base, subnet: "fd6e:e5c6:621b:2::/64" }).status).toBe("fail");
    expect(judgeAddressing6({ ...base, subnet: "fd6e:e5c6:621b::/48" }).reason).toMatch(/prefix \/64, declared/);
    expect(judgeAddressing6({ ...base, gateway: "fd6e:e5c6:621b:1::9" }).reason).toMatch(/default IPv6 route via fd6e:e5c6:621b:1::1, declared gateway/);
    expect(judgeAddressing6({ ...base, ipRouteOutput: ROUTE.split("\n").slice(0, 2).join("\n") }).reason).toMatch(/default IPv6 route missing/);
    expect(judgeAddressing6({ ...base, subnet: "fe80::/64" }).status).toBe("fail");
    expect(judgeAddressing6({ ...base, ipRouteOutput: "", internal: true }).status).toBe("pass");
  });
});
