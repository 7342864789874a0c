import { describe, expect, it } from "vitest";
import { parseIptablesSaveCounters } from "./counters.js";
import { parseDaemonSettings } from "./daemon.js";
import { explainFlow } from "./explain.js";
import type { ExplainFacts, PlaceFacts } from "./facts.js";
import type { Flow } from "./flow.js";
import { parseRouteGet, parseRouteTable } from "./route.js";

// iptables-save -c of a Docker 20.10 host with two networks (docker0, br-x), trimmed; `user` goes into DOCKER-USER, `iso` replaces the isolation rules.
const ISO = `[9:900] -A DOCKER-ISOLATION-STAGE-1 -i br-x ! -o br-x -j DOCKER-ISOLATION-STAGE-2
[9:900] -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN
[4:400] -A DOCKER-ISOLATION-STAGE-2 -o br-x -j DROP
[5:500] -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN`;
const save = (o: { user?: string; iso?: string; policy?: string; egress?: number; fwd?: string } = {}) => `*filter
:INPUT ACCEPT [0:0]
:FORWARD ${o.fwd ?? "DROP"} [${o.policy ?? "0:0"}]
:OUTPUT ACCEPT [0:0]
[50:5000] -A FORWARD -j DOCKER-USER
[50:5000] -A FORWARD -j DOCKER-ISOLATION-STAGE-1
[3:300] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
[0:0] -A FORWARD -o docker0 -j DOCKER
[${o.egress ?? 7}:700] -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
[0:0] -A FORWARD -i docker0 -o docker0 -j ACCEPT
[3:300] -A FORWARD -o br-x -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
[0:0] -A FORWARD -o br-x -j DOCKER
[7:700] -A FORWARD -i br-x ! -o br-x -j ACCEPT
[0:0] -A FORWARD -i br-x -o br-x -j ACCEPT
${o.user ?? ""}
[50:5000] -A DOCKER-USER -j RETURN
${o.iso ?? ISO}
COMMIT
`;
const flow: Flow = { srcLabel: "legacy", dstLabel: "a", src: "172.17.0.2", dst: "10.213.5.2", proto: "icmp", inIface: "docker0", outIface: "br-x" };
const host = (before: string, after: string, extra: Partial<PlaceFacts> = {}): PlaceFacts => ({
  where: "the lab host",
  role: "host",
  rulesets: [{ before: parseIptablesSaveCounters(before, "iptables-nft"), after: parseIptablesSaveCounters(after, "iptables-nft") }],
  sysctls: { "net.ipv4.ip_forward": "1" },
  ...extra,
});
const leak = (places: PlaceFacts[], extra: Partial<ExplainFacts> = {}): ExplainFacts => ({ flow, outcome: { class: "delivered", why: "1 of 1 replies" }, expect: "block", places, gathered: [], ...extra });

describe("explainFlow on an isolation check that leaked (expect: block)", () => {
  it("names a user's ACCEPT in DOCKER-USER whose counter moved, with a fix", () => {
    const e = explainFlow(leak([host(save({ user: "[0:0] -A DOCKER-USER -i docker0 -j ACCEPT" }), save({ user: "[2:168] -A DOCKER-USER -i docker0 -j ACCEPT" }))]));
    expect(e.kind).toBe("cause");
    expect(e.summary).toMatch(/^let through by DOCKER-USER rule 1 in table filter on the lab host \(`-i docker0 -j ACCEPT`\)/);
    expect(e.fix).toContain("iptables -D DOCKER-USER 1");
  });
  it("an ACCEPT for another bridge that moved is not the leak (wrong twin)", () => {
    const e = explainFlow(leak([host(save({ user: "[0:0] -A DOCKER-USER -i br-other -j ACCEPT" }), save({ user: "[2:168] -A DOCKER-USER -i br-other -j ACCEPT" }))]));
    expect(e.summary).not.toContain("DOCKER-USER rule 1");
  });
  it("names missing isolation rules between two Docker bridges; intact chains are not blamed", () => {
    const flushed = "[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN\n[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN";
    const e = explainFlow(leak([host(save({ iso: flushed }), save({ iso: flushed, egress: 9 }))]));
    expect(e.kind).toBe("cause");
    expect(e.summary).toContain("network isolation between docker0 and br-x is missing");
    expect(e.fix).toMatch(/restart dockerd/);
    const intact = explainFlow(leak([host(save(), save({ egress: 9 }))]));
    expect(intact.summary).not.toContain("isolation");
    expect(intact.kind).not.toBe("cause");
  });
  it("a bridge named by the network (com.docker.network.bridge.name) is Docker's when Docker's egress rule is there for it", () => {
    const named = (x: string) => x.replace(/br-x/g, "netcheck-ab12");
    const flushed = "[0:0] -A DOCKER-ISOLATION-STAGE-1 -j RETURN\n[0:0] -A DOCKER-ISOLATION-STAGE-2 -j RETURN";
    const e = explainFlow(leak([host(named(save({ iso: flushed })), named(save({ iso: flushed, egress: 9 })))], { flow: { ...flow, outIface: "netcheck-ab12" } }));
    expect(e.kind).toBe("cause");
    expect(e.summary).toContain("network isolation between docker0 and netcheck-ab12 is missing");
    // An interface with no Docker egress rule (not a Docker bridge) is not judged by Docker's isolation.
    const other = explainFlow(leak([host(save({ iso: flushed }), save({ iso: flushed, egress: 9 }))], { flow: { ...flow, outIface: "eth9" } }));
    expect(other.summary).not.toContain("isolation");
  });
  it("names the FORWARD policy ACCEPT when no rule accepted the flow", () => {
    const out: Flow = { ...flow, srcLabel: "the LAN", src: "198.18.7.2", inIface: "nc-ext0" };
    const e = explainFlow(leak([host(save({ fwd: "ACCEPT", policy: "0:0" }), save({ fwd: "ACCEPT", policy: "2:168" }))], { flow: out }));
    expect(e).toMatchObject({ kind: "cause" });
    expect(e.summary).toContain("policy ACCEPT");
    expect(e.fix).toContain("iptables -P FORWARD DROP");
    // Policy DROP that did not move: nothing is claimed.
    expect(explainFlow(leak([host(save(), save())], { flow: out })).kind).toBe("inconclusive");
  });
  it("a blocked probe that never arrived is not a leak", () => {
    const e = explainFlow(leak([host(save(), save())], { outcome: { class: "timeout", why: "no reply" }, arrival: { where: "a's namespace", requests: 0, replies: 0 } }));
    expect(e.summary).not.toMatch(/let|leak/);
  });
});

describe("explainFlow: Docker's rules gone, settings, routes back", () => {
  const reach = (places: PlaceFacts[], extra: Partial<ExplainFacts> = {}): ExplainFacts => ({ flow: { ...flow, dst: "198.18.7.2", outIface: "nc-ext0" }, outcome: { class: "timeout", why: "no reply" }, places, gathered: [], ...extra });
  const noDocker = (policy: string) => `*filter\n:FORWARD DROP [${policy}]\n[5:500] -A FORWARD -j DOCKER-USER\n[5:500] -A DOCKER-USER -j RETURN\nCOMMIT\n`;
  it("a FORWARD policy DROP that moved with no ACCEPT rule for the bridge at all is the cause, with the daemon's iptables=false when set", () => {
    const e = explainFlow(reach([host(noDocker("0:0"), noDocker("1:84"))]));
    expect(e.kind).toBe("cause");
    expect(e.summary).toMatch(/policy DROP .*no ACCEPT rule for traffic from docker0 to nc-ext0 exists \(Docker's FORWARD rules for docker0 are gone\)/);
    const off = explainFlow(reach([host(noDocker("0:0"), noDocker("1:84"))], { daemon: parseDaemonSettings("dockerd --iptables=false") }));
    expect(off.summary).toContain('"iptables": false');
    expect(off.fix).toContain('"iptables": true');
  });
  it("ip_forward=0 names the daemon's ip-forward=false when it is set", () => {
    const h = host(save(), save(), { sysctls: { "net.ipv4.ip_forward": "0" } });
    const e = explainFlow(reach([h], { daemon: parseDaemonSettings("dockerd --ip-forward=false") }));
    expect(e.summary).toMatch(/^ip_forward=0 on the lab host: .*"ip-forward": false/);
    expect(e.fix).toContain("sysctl -w net.ipv4.ip_forward=1");
  });
  it("a blackhole route back to the source on the host drops the replies", () => {
    const h = host(save(), save(), { routeGet: parseRouteGet("198.18.7.2 dev nc-ext0 src 198.18.7.1"), routeBack: parseRouteGet("", "RTNETLINK answers: Invalid argument", 2), routes: parseRouteTable("172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1\nblackhole 172.17.0.0/24\n198.18.7.0/24 dev nc-ext0") });
    const e = explainFlow(reach([h], { flow: { ...flow, dst: "198.18.7.2", inIface: undefined, outIface: "nc-ext0" } }));
    expect(e).toMatchObject({ kind: "cause", summary: "blackhole route `blackhole 172.17.0.0/24` for 172.17.0.2 on the lab host: the target's replies to 172.17.0.2 are dropped there" });
    expect(e.fix).toContain("ip route del blackhole 172.17.0.0/24");
  });
  it("every cause and likely cause carries a fix", () => {
    const cases = [
      explainFlow(reach([host(save({ user: "[0:0] -A DOCKER-USER -p icmp -j DROP" }), save({ user: "[1:84] -A DOCKER-USER -p icmp -j DROP" }))])),
      explainFlow(reach([host(noDocker("0:0"), noDocker("1:84"))])),
      explainFlow(reach([host(save(), save())], { arrival: { where: "x", requests: 1, replies: 0 } })),
    ];
    for (const e of cases) {
      expect(["cause", "likely"]).toContain(e.kind);
      expect(e.fix, e.summary).toBeTruthy();
    }
  });
});
