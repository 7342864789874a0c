import { describe, expect, it } from "vitest";
import { cgroupSweepCommand, dindDaemonConfig } from "./daemon-config.js";

const base = { bridgeSubnet: "10.213.7.0/24", poolSubnet: "10.213.8.0/24", dns: ["198.18.4.1"], cgroupParent: "netcheck-dind-ab12c-h1" };

describe("dindDaemonConfig", () => {
  it("takes the bridge, pools, DNS and cgroup parent from the lab, not Docker's constants", () => {
    const c = dindDaemonConfig(base);
    expect(c.bip).toBe("10.213.7.1/24");
    expect(c["default-address-pools"]).toEqual([{ base: "10.213.8.0/24", size: 26 }]);
    expect(c.dns).toEqual(["198.18.4.1"]);
    expect(c["cgroup-parent"]).toBe("/netcheck-dind-ab12c-h1");
    expect(c.hosts).toContain("unix:///netcheck/docker.sock");
  });
  it("keeps the scenario's settings", () => {
    const c = dindDaemonConfig({ ...base, user: { icc: false, "userland-proxy": false, mtu: 1400 } });
    expect(c).toMatchObject({ icc: false, "userland-proxy": false, mtu: 1400, bip: "10.213.7.1/24" });
  });
  it("refuses a scenario setting the lab's own keys (DNS would leave the machine)", () => {
    expect(() => dindDaemonConfig({ ...base, user: { dns: ["8.8.8.8"] } })).toThrow(/belong to the lab/);
    expect(() => dindDaemonConfig({ ...base, user: { hosts: ["tcp://0.0.0.0:2375"] } })).toThrow(/belong to the lab/);
  });
});

describe("cgroupSweepCommand", () => {
  it("removes only the named parent, deepest first", () => {
    const cmd = cgroupSweepCommand("netcheck-dind-ab12c-h1").join(" ");
    expect(cmd).toContain("-depth");
    expect(cmd).toContain("-path '*/netcheck-dind-ab12c-h1' -o -path '*/netcheck-dind-ab12c-h1/*'");
  });
  it("refuses a name that could match the host's own cgroups", () => {
    expect(() => cgroupSweepCommand("docker")).toThrow(/unsafe/);
    expect(() => cgroupSweepCommand("netcheck-x' -o -name '*")).toThrow(/unsafe/);
  });
});
