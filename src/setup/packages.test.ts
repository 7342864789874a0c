import { describe, expect, it } from "vitest";
import { ENGINE_REQUIREMENTS, missingPackages, parseDpkgStatus, TOOL_REQUIREMENTS } from "./packages.js";
import { parseAppletList } from "./probe-image.js";

describe("packages", () => {
  it("reads dpkg-query status lines, dropping the arch suffix and half-installed packages", () => {
    const out = "busybox-static installed\ndocker.io not-installed\niperf3 installed\nlibc6:amd64 installed\ntcpdump config-files\n";
    expect([...parseDpkgStatus(out)]).toEqual(["busybox-static", "iperf3", "libc6"]);
  });

  it("lists only what is missing, accepting alternatives", () => {
    const reqs = [...TOOL_REQUIREMENTS, ...ENGINE_REQUIREMENTS];
    expect(missingPackages(reqs, new Set())).toEqual(["busybox-static", "iperf3", "tcpdump", "iputils-ping", "docker.io", "iptables"]);
    expect(missingPackages(reqs, new Set(["busybox", "iperf3", "tcpdump", "iputils-ping", "docker-ce", "iptables"]))).toEqual([]);
    expect(missingPackages(reqs, new Set(["busybox-static", "iperf3", "iputils-ping", "docker.io"]))).toEqual(["tcpdump", "iptables"]);
  });
});

describe("parseAppletList", () => {
  it("never yields a link named busybox, which would replace the binary with a link to itself", () => {
    expect(parseAppletList("[\n[[\nbusybox\nsh\nping\nsh\n\n")).toEqual(["[", "[[", "ping", "sh"]);
  });
});
