import { describe, expect, it } from "vitest";
import { parseIptablesSaveCounters } from "./counters.js";
import { parseDaemonSettings } from "./daemon.js";
import { explainNat, type NatFacts } from "./explain-nat.js";

const nat = (prerouting: boolean, dnat: boolean) =>
  parseIptablesSaveCounters(
    `*nat
:PREROUTING ACCEPT [0:0]
${prerouting ? "[3:180] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER" : ""}
[0:0] -A DOCKER -i docker0 -j RETURN
${dnat ? "[1:60] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 18080 -j DNAT --to-destination 172.17.0.2:80" : ""}
COMMIT
`,
    "iptables-nft",
  ).rules;
const proxy = "4242 /usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 18080 -container-ip 172.17.0.2 -container-port 80";
const facts = (o: Partial<NatFacts>): NatFacts => ({ expect: "dnat", hostPort: 18080, proto: "tcp", where: "the lab host", natRules: nat(true, true), proxies: [proxy], gathered: [], ...o });

describe("explainNat", () => {
  it("a published port without its DNAT rule", () => {
    const e = explainNat(facts({ natRules: nat(true, false) }));
    expect(e).toMatchObject({ kind: "cause", summary: expect.stringMatching(/^no DNAT rule for tcp port 18080 in nat DOCKER/) });
    expect(e.fix).toMatch(/docker restart/);
  });
  it("PREROUTING no longer jumping to DOCKER", () => {
    const e = explainNat(facts({ natRules: nat(false, true) }));
    expect(e.summary).toMatch(/^nat PREROUTING does not jump to DOCKER on the lab host: the DNAT rule for tcp port 18080/);
    expect(e.fix).toContain("iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER");
  });
  it("everything in place is inconclusive, never a guess", () => {
    expect(explainNat(facts({})).kind).toBe("inconclusive");
    expect(explainNat(facts({ expect: "proxy" })).kind).toBe("inconclusive");
  });
  it("loopback without docker-proxy: a killed proxy, or the userland-proxy=false setting", () => {
    expect(explainNat(facts({ expect: "proxy", proxies: [] })).summary).toMatch(/^no docker-proxy serves host tcp port 18080 on the lab host/);
    const off = explainNat(facts({ expect: "proxy", proxies: [], daemon: parseDaemonSettings("dockerd --userland-proxy=false") }));
    expect(off.summary).toMatch(/^the daemon runs with "userland-proxy": false/);
    expect(off.fix).toContain('expect: "dnat+snat"');
  });
  it("iptables=false is named before the missing rules it explains", () => {
    const e = explainNat(facts({ natRules: [], daemon: parseDaemonSettings("", '{"iptables": false}') }));
    expect(e.summary).toMatch(/^the daemon runs with "iptables": false/);
  });
});
