import { describe, expect, it } from "vitest";
import { isOneSwarm } from "./one-swarm.js";

// As the VM lab's two VMs report it: vm1 the manager, vm2 a worker (whose info carries no cluster id).
const manager = { LocalNodeState: "active", NodeAddr: "10.214.90.11", ControlAvailable: true, Cluster: { ID: "c1" }, RemoteManagers: [{ Addr: "10.214.90.11:2377" }] };
const worker = { LocalNodeState: "active", NodeAddr: "10.214.90.12", ControlAvailable: false, RemoteManagers: [{ Addr: "10.214.90.11:2377" }] };

describe("isOneSwarm", () => {
  it("a manager and its worker are one swarm", () => {
    expect(isOneSwarm([manager, worker])).toBe(true);
  });
  it("a worker of another swarm's manager is not (wrong twin)", () => {
    expect(isOneSwarm([manager, { ...worker, RemoteManagers: [{ Addr: "192.0.2.9:2377" }] }])).toBe(false);
  });
  it("two managers of different clusters, no manager at all, or a host in none are not", () => {
    expect(isOneSwarm([manager, { ...manager, NodeAddr: "10.214.90.12", Cluster: { ID: "c2" } }])).toBe(false);
    expect(isOneSwarm([worker, worker])).toBe(false);
    expect(isOneSwarm([manager, { LocalNodeState: "inactive" }])).toBe(false);
  });
});
