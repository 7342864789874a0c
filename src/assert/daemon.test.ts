import { describe, expect, it } from "vitest";
import { assertHairpinNat, assertIccDropRule, assertMtu, assertNoEngineRules } from "./daemon.js";

// The outer engine's embedded-DNS rules, present in every dind host's namespace.
const OUTER_DNS = `*nat
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:41234
COMMIT
`;
const ENGINE_NAT = `*nat
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 10.213.7.0/24 ! -o docker0 -j MASQUERADE
-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.213.7.2:80
COMMIT
`;

describe("daemon-setting verdicts", () => {
  it("iptables=false: only the outer engine's DNS rules → pass; the engine's own chains → fail", () => {
    expect(assertNoEngineRules(OUTER_DNS).status).toBe("pass");
    expect(assertNoEngineRules(OUTER_DNS + ENGINE_NAT)).toMatchObject({ status: "fail", reason: expect.stringContaining(":DOCKER - [0:0]") });
  });
  it("icc=false: the docker0 → docker0 DROP passes; ACCEPT (icc=true) fails", () => {
    expect(assertIccDropRule("-A FORWARD -i docker0 -o docker0 -j DROP\n").status).toBe("pass");
    expect(assertIccDropRule("-A FORWARD -i docker0 -o docker0 -j ACCEPT\n")).toMatchObject({ status: "fail", reason: expect.stringContaining("accepted") });
  });
  const hairpin = { processes: "dockerd --config-file /netcheck/daemon.json\n", natRules: ENGINE_NAT, routeLocalnet: "1\n", hostPort: 8080, containerIp: "10.213.7.2", containerPort: 80 };
  it("userland-proxy=false: DNAT from OUTPUT incl. loopback, route_localnet, no proxy → pass", () => {
    expect(assertHairpinNat(hairpin).status).toBe("pass");
  });
  it("userland-proxy=true (the default) fails: docker-proxy serves the port and loopback is excluded from DNAT", () => {
    expect(assertHairpinNat({ ...hairpin, processes: "/usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 10.213.7.2 -container-port 80\n" }).status).toBe("fail");
    expect(assertHairpinNat({ ...hairpin, natRules: ENGINE_NAT.replace("-A OUTPUT -m addrtype", "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype") })).toMatchObject({ status: "fail", reason: expect.stringContaining("loopback is excluded") });
    expect(assertHairpinNat({ ...hairpin, routeLocalnet: "0" }).status).toBe("fail");
  });
  it("mtu: the kernel's number against the expectation", () => {
    expect(assertMtu("1400\n", 1400, "a eth0").status).toBe("pass");
    expect(assertMtu("1500\n", 1400, "a eth0")).toMatchObject({ status: "fail", reason: "a eth0 has MTU 1500, expected 1400" });
  });
});
