import { describe, expect, it } from "vitest";
import { parseTcpdumpLog, tcpdumpCommand } from "./tcpdump.js";

describe("tcpdump command and log", () => {
  it("is always bounded by timeout and writes unbuffered", () => {
    const cmd = tcpdumpCommand({ iface: "eth0", file: "/tmp/x.pcap", filter: "tcp port 80", maxSeconds: 60 });
    expect(cmd.slice(0, 3)).toEqual(["timeout", "60", "tcpdump"]);
    expect(cmd).toContain("-U");
    expect(cmd).toContain("--immediate-mode");
    expect(cmd.slice(-3)).toEqual(["-w", "/tmp/x.pcap", "tcp port 80"]);
    expect(() => tcpdumpCommand({ iface: "eth0", file: "f", maxSeconds: 0 })).toThrow(/positive/);
  });

  it("reads listening, statistics and errors from the log", () => {
    const started = "tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n";
    expect(parseTcpdumpLog(started)).toEqual({ listening: true });
    const done = `${started}12 packets captured\n24 packets received by filter\n0 packets dropped by kernel\n`;
    expect(parseTcpdumpLog(done)).toEqual({ listening: true, captured: 12, droppedByKernel: 0 });
    const bad = "tcpdump: eth9: No such device exists\n(SIOCGIFHWADDR: No such device)\n";
    expect(parseTcpdumpLog(bad)).toMatchObject({ listening: false, error: "tcpdump: eth9: No such device exists" });
  });
});
