import { describe, expect, it } from "vitest";
import { hostsFileEntry, judgeHostsFileName, type HostsFileNameEvidence } from "./links.js";
import type { DnsLookupResult } from "../probes/dns.js";

// Docker 20.10's /etc/hosts for `--link netcheck-x-b:db` (the linked container's hostname is b).
const HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n172.17.0.3\tdb b netcheck-x-b\n172.17.0.4\ta\n";
const nx: DnsLookupResult = { resolved: false, answer: "nxdomain", addresses: [], server: "198.18.7.1", nxdomain: true, detail: "NXDOMAIN from 198.18.7.1" };
const base: HostsFileNameEvidence = { from: "a", name: "db", hostsFile: HOSTS, resolvConf: "nameserver 198.18.7.1\n", lookup: nx, expectAddress: "172.17.0.3" };

describe("a name resolved through /etc/hosts (legacy links)", () => {
  it("finds the alias and the linked node's hostname on the link's line", () => {
    expect(hostsFileEntry(HOSTS, "db")?.address).toBe("172.17.0.3");
    expect(hostsFileEntry(HOSTS, "b")?.address).toBe("172.17.0.3");
    expect(hostsFileEntry(HOSTS, "c")).toBeUndefined();
  });
  it("passes only with the entry, no embedded DNS, and NXDOMAIN from the resolver", () => {
    expect(judgeHostsFileName(base).status).toBe("pass");
  });
  it("fails without an entry, or with the wrong address", () => {
    expect(judgeHostsFileName({ ...base, name: "other" }).reason).toMatch(/no entry for "other"/);
    expect(judgeHostsFileName({ ...base, expectAddress: "172.17.0.9" }).reason).toMatch(/expected 172.17.0.9/);
  });
  it("fails when the name could have come from DNS", () => {
    expect(judgeHostsFileName({ ...base, resolvConf: "nameserver 127.0.0.11\n" }).reason).toMatch(/embedded DNS/);
    const answered: DnsLookupResult = { ...nx, resolved: true, answer: "answer", addresses: ["172.17.0.3"], nxdomain: false, detail: "resolved to 172.17.0.3" };
    expect(judgeHostsFileName({ ...base, lookup: answered }).reason).toMatch(/DNS also resolves/);
  });
  it("is inconclusive when the resolver said nothing about the name", () => {
    const timeout: DnsLookupResult = { ...nx, answer: "timeout", nxdomain: false, detail: "timed out" };
    const v = judgeHostsFileName({ ...base, lookup: timeout });
    expect([v.status, v.verdict]).toEqual(["fail", "inconclusive"]);
  });
});
