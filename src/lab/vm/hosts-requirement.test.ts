import { describe, expect, it } from "vitest";
import { hostsRequirement } from "./hosts-requirement.js";

const local = { name: "local", kind: "local" };
const vm1 = { name: "vm1", kind: "vm" };
const vm2 = { name: "vm2", kind: "vm" };

describe("hostsRequirement", () => {
  it("counts Docker hosts for hosts.N", () => {
    expect(hostsRequirement("2", [local]).met).toBe(false);
    expect(hostsRequirement("2", [local]).reason).toContain("needs ≥2 Docker hosts; this lab has 1 (local)");
    expect(hostsRequirement("2", [local, vm1]).met).toBe(true);
  });
  it("counts only VMs for hosts.vm and hosts.vmN, and says how to get them", () => {
    expect(hostsRequirement("vm", [local])).toMatchObject({ met: false });
    expect(hostsRequirement("vm", [local]).reason).toContain("netcheck vm up");
    expect(hostsRequirement("vm", [local, vm1]).met).toBe(true);
    expect(hostsRequirement("vm2", [local, vm1]).met).toBe(false);
    expect(hostsRequirement("vm2", [local, vm1]).reason).toContain("≥2 VM Docker hosts; this lab has 1 VM");
    expect(hostsRequirement("vm2", [local, vm1, vm2]).met).toBe(true);
  });
  it("refuses unknown ids", () => {
    expect(hostsRequirement("many", [local, vm1, vm2])).toMatchObject({ met: false, reason: expect.stringContaining("unknown requirement") });
  });
});
