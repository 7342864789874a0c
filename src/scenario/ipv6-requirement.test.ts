import { describe, expect, it } from "vitest";
import { ipv6SkipReason } from "./ipv6-requirement.js";

const net = (name: string, ipv6?: boolean) => ({ kind: "network", name, options: ipv6 === undefined ? {} : { ipv6 } }) as never;
const host = (name: string, daemon?: Record<string, unknown>) => ({ kind: "docker-host", name, options: daemon ? { daemon } : {} }) as never;

describe("ipv6SkipReason", () => {
  const off = { unavailable: "IPv6 is disabled on local (net.ipv6.conf.all.disable_ipv6 = 1)" };
  it("skips a scenario with a v6 network or a v6 daemon on a lab without IPv6, quoting the probed reason", () => {
    expect(ipv6SkipReason({ networks: [net("app"), net("app6", true)], dockerHosts: [] }, off)).toBe('needs IPv6 for network "app6" (ipv6: true), but the lab has none: IPv6 is disabled on local (net.ipv6.conf.all.disable_ipv6 = 1)');
    expect(ipv6SkipReason({ networks: [], dockerHosts: [host("h1", { ipv6: true, "fixed-cidr-v6": "auto" })] }, { unavailable: "the kernel of local has no IPv6 (/proc/sys/net/ipv6 is missing)" })).toMatch(/Docker host "h1" \(daemon ipv6: true\).*\/proc\/sys\/net\/ipv6 is missing/);
  });
  it("runs everything on a lab with IPv6, and v4-only scenarios anywhere", () => {
    expect(ipv6SkipReason({ networks: [net("app6", true)], dockerHosts: [host("h1", { ipv6: true })] }, { range: "fd6e:1:2::/48" })).toBeUndefined();
    expect(ipv6SkipReason({ networks: [net("app", false)], dockerHosts: [host("h1", { icc: false })] }, off)).toBeUndefined();
  });
});
