import { describe, expect, it } from "vitest";
import type { ExecResult } from "../host/host.js";
import { parseHttpReach, parsePingReach, tcpReach } from "./reach.js";

const res = (exitCode: number, stderr = "", stdout = "", timedOut = false): ExecResult => ({ where: "t", command: [], exitCode, stdout, stderr, durationMs: 1000, startedAt: "", timedOut });
const tcp = (r: ExecResult) => tcpReach("192.0.2.2", 80).parse(r).outcome;

// Recorded from busybox 1.35 (Debian) nc/ping/nslookup between two namespaces, with
// iptables REJECT/DROP rules and unreachable/prohibit routes at the far end and at the source.
describe("reach outcome classes from probe output", () => {
  it("nc: connected, refused (RST and ICMP port-unreachable both read as refused)", () => {
    expect(tcp(res(0))).toMatchObject({ class: "delivered" });
    expect(tcp(res(1, "nc: can't connect to remote host (192.0.2.2): Connection refused\n"))).toMatchObject({ class: "refused" });
  });
  it("nc: unreachable on the path (ICMP host-unreachable or admin-prohibited, no ARP answer)", () => {
    expect(tcp(res(1, "nc: can't connect to remote host (192.0.2.2): No route to host\n"))).toMatchObject({ class: "unreachable", at: "path" });
  });
  it("nc: unreachable at the source (no route, prohibit route, local firewall)", () => {
    expect(tcp(res(1, "nc: can't connect to remote host (10.79.0.1): Network is unreachable\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(tcp(res(1, "nc: can't connect to remote host (10.78.0.1): Permission denied\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(tcp(res(1, "nc: can't connect to remote host (10.78.0.1): Operation not permitted\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(tcp(res(1, "nc: can't connect to remote host (10.77.0.1): Invalid argument\n"))).toMatchObject({ class: "unreachable", at: "source" });
  });
  it("nc: silent drop is a timeout", () => {
    expect(tcp(res(1, "nc: timed out\n"))).toMatchObject({ class: "timeout" });
  });
  it("a probe killed by the exec deadline did not finish: not a timeout (nothing shows it sent anything)", () => {
    expect(tcp(res(137, "", "", true))).toMatchObject({ class: "probe-error", why: expect.stringMatching(/killed by the exec deadline/) });
    expect(parsePingReach(res(137, "", "PING 10.0.0.2 (10.0.0.2): 104 data bytes\n", true)).outcome.class).toBe("probe-error");
  });
  it("a name that does not resolve and a bad port prove nothing about the path", () => {
    expect(tcp(res(1, "nc: bad address 'nope'\n"))).toMatchObject({ class: "dns-failure" });
    expect(tcp(res(1, "nc: bad port '70000'\n"))).toMatchObject({ class: "probe-error" });
    expect(tcp(res(127, "sh: busybox: not found\n"))).toMatchObject({ class: "probe-error" });
    expect(tcp(res(139, ""))).toMatchObject({ class: "probe-error" });
    expect(tcp(res(1, "something else entirely\n"))).toMatchObject({ class: "probe-error" });
  });
  it("ping: replies, silence, and local refusals on sendto", () => {
    expect(parsePingReach(res(0, "", "1 packets transmitted, 1 packets received, 0% packet loss\n")).outcome.class).toBe("delivered");
    expect(parsePingReach(res(1, "", "1 packets transmitted, 0 packets received, 100% packet loss\n")).outcome.class).toBe("timeout");
    expect(parsePingReach(res(1, "ping: sendto: Network is unreachable\n", "PING 10.79.0.1 (10.79.0.1): 56 data bytes\n"))).toMatchObject({ outcome: { class: "unreachable", at: "source" } });
    expect(parsePingReach(res(1, "ping: sendto: No route to host\n"))).toMatchObject({ outcome: { class: "unreachable" } });
    expect(parsePingReach(res(1, "ping: sendto: Permission denied\n")).outcome).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: sendto: Invalid argument\n")).outcome).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: bad address 'b'\n")).outcome.class).toBe("dns-failure");
  });
  // Recorded from busybox 1.35 between two namespaces over IPv6 (ULA /64, nodad), with ip6tables
  // REJECT (icmp6-adm-prohibited) and DROP at the far end and prohibit/blackhole/no routes at the source.
  // Over v6 nc names no address in its errors; ping and nc ignore ICMPv6 admin-prohibited (read as timeouts,
  // so an isolation verdict then rests on the capture at the target).
  it("IPv6: nc and ping outputs", () => {
    const tcp6 = (r: ExecResult) => tcpReach("fd6e:ffff:1::2", 80).parse(r).outcome;
    expect(parsePingReach(res(0, "", "PING fd6e:ffff:1::2 (fd6e:ffff:1::2): 123 data bytes\n131 bytes from fd6e:ffff:1::2: seq=0 ttl=64 time=0.123 ms\n\n--- fd6e:ffff:1::2 ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\n")).outcome.class).toBe("delivered");
    expect(tcp6(res(1, "nc: can't connect to remote host: Connection refused\n"))).toMatchObject({ class: "refused" });
    expect(tcp6(res(1, "nc: can't connect to remote host: Network is unreachable\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: sendto: Network is unreachable\n", "PING fd6e:ffff:9::2 (fd6e:ffff:9::2): 56 data bytes\n")).outcome).toMatchObject({ class: "unreachable", at: "source" });
    // REJECT with icmp6-adm-prohibited and DROP read the same: timeouts.
    expect(tcp6(res(1, "nc: timed out\n"))).toMatchObject({ class: "timeout" });
    expect(parsePingReach(res(1, "", "PING fd6e:ffff:1::2 (fd6e:ffff:1::2): 56 data bytes\n\n--- fd6e:ffff:1::2 ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n")).outcome.class).toBe("timeout");
    // No neighbour answers (NDP): nc says so after ~3 s, ping times out.
    expect(tcp6(res(1, "nc: can't connect to remote host: No route to host\n"))).toMatchObject({ class: "unreachable", at: "path" });
    // prohibit and blackhole routes at the source.
    expect(tcp6(res(1, "nc: can't connect to remote host: Permission denied\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: sendto: Permission denied\n")).outcome).toMatchObject({ class: "unreachable", at: "source" });
    expect(tcp6(res(1, "nc: can't connect to remote host: Invalid argument\n"))).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: sendto: Invalid argument\n")).outcome).toMatchObject({ class: "unreachable", at: "source" });
    expect(parsePingReach(res(1, "ping: bad address 'nosuchname'\n")).outcome.class).toBe("dns-failure");
  });
  it("http (nc): the status line and the identity of the node that answered", () => {
    const ok = parseHttpReach(res(0, "", "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nnode=xb\n"));
    expect(ok).toMatchObject({ reached: true, identity: "xb", outcome: { class: "delivered" } });
    expect(parseHttpReach(res(0, "", "HTTP/1.1 404 Not Found\r\n\r\n"))).toMatchObject({ reached: true, identity: undefined });
    expect(parseHttpReach(res(1, "nc: can't connect to remote host (10.1.0.2): Connection refused\n")).outcome.class).toBe("refused");
    expect(parseHttpReach(res(1, "nc: timed out\n")).outcome.class).toBe("timeout");
  });
});
