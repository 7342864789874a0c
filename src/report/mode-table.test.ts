import { describe, expect, it } from "vitest";
import { LINKS_ROW, modeTable, renderModeTable } from "./mode-table.js";
import type { CheckResult, ScenarioResult } from "./model.js";

// The check ids (and categories) of a plain `netcheck run --all` on one machine (no VM lab: ipvlan and 802.1Q skipped).
const ALL = `
bridge/default/a-reaches-b-icmp reachability
bridge/default/a-cannot-resolve-b dns
bridge/default/a-cannot-reach-b-by-name-icmp isolation
bridge/default/a-reaches-external-icmp reachability
bridge/links/a-resolves-db-through-etc-hosts dns
bridge/links/a-reaches-b-as-db-http reachability
bridge/links/c-cannot-reach-b-as-db-unlinked isolation
bridge/nat/client-to-external-snat-in-captures nat
host/basic/h-in-host-network-namespace topology
host/basic/h-reaches-external-icmp reachability
host/no-nat/h-to-external-no-nat-in-captures nat
none/isolated/n-interfaces topology
none/isolated/n-cannot-reach-external-icmp isolation
none/isolated/n-cannot-reach-host-icmp isolation
none/isolated/n-cannot-reach-peer-icmp isolation
container/shared/joiner-shares-namespace-with-target topology
container/shared/joiner-reaches-loopback-target-http reachability
user-defined/basic/a-reaches-b-by-name-http reachability
user-defined/basic/a-reaches-external-icmp reachability
user-defined/basic/a-cannot-reach-legacy-icmp isolation
user-defined/nat/client-to-external-snat-in-captures nat
macvlan/bridge/a-reaches-b-icmp reachability
macvlan/bridge/a-reaches-lan-peer-on-lan reachability
macvlan/bridge/lan-peer-reaches-b-on-lan reachability
macvlan/routed/a-reaches-the-router reachability
macvlan/two-segments/a-cannot-reach-b-icmp isolation
overlay/swarm/a-reaches-b-by-name-http reachability
overlay/swarm/a-cannot-reach-c-icmp isolation
overlay/classic-kv/a-reaches-external-icmp reachability
overlay/swarm/a-to-b-is-vxlan-on-the-underlay reachability
daemon/icc-false/a-cannot-reach-b-icmp isolation
daemon/mtu/a-eth0-mtu-1400 topology
daemon/icc-false-links/a-resolves-db-through-etc-hosts dns
daemon/icc-false-links/a-reaches-b-as-db-http reachability
daemon/icc-false-links/a-reaches-external-icmp reachability
daemon/icc-false-links/a-cannot-reach-b-icmp isolation
daemon/icc-false-links/unlinked-c-cannot-reach-b-http isolation
ipvlan/l2/a-reaches-b-icmp reachability
`;

function results(failing: string[] = [], skipped: string[] = []): ScenarioResult[] {
  const lines = ALL.trim().split("\n").map((l) => l.split(" ") as [string, CheckResult["category"]]);
  const ids = [...new Set(lines.map(([id]) => id.split("/").slice(0, 2).join("/")))];
  return ids.map((sid) => ({
    id: sid,
    mode: sid.split("/")[0]!,
    summary: "",
    status: "pass",
    startedAt: "",
    durationMs: 1,
    artifacts: [],
    checks: lines
      .filter(([id]) => id.startsWith(`${sid}/`))
      .map(([id, category]) => ({ id, name: id.split("/").slice(2).join("/"), category, expectation: "", status: failing.includes(id) ? "fail" : skipped.some((s) => id.startsWith(s)) ? "skip" : "pass", reason: "r", evidence: [], startedAt: "", durationMs: 1 })),
  }));
}

describe("the per-mode table of a plain run", () => {
  it("has a row per mode plus the links row; every cell of an --all run is backed by a passed check", () => {
    const rows = modeTable(results([], ["ipvlan/"]));
    expect(rows.map((r) => r.mode)).toEqual(["bridge", "host", "none", "container", "user-defined", "macvlan", "overlay", LINKS_ROW]);
    for (const r of rows) {
      for (const cell of [r.multiHost, r.outside, r.containerToContainer, r.isolation]) {
        expect(cell.status, `${r.mode}: ${cell.answer} (${cell.detail})`).toBe("pass");
        expect(cell.checkId).toMatch(new RegExp(`^${r.mode === LINKS_ROW ? "daemon/icc-false-links" : r.mode}/`));
      }
    }
  });
  it("answers the classic questions", () => {
    const t = Object.fromEntries(modeTable(results()).map((r) => [r.mode, r]));
    expect(t[LINKS_ROW]!.containerToContainer).toMatchObject({ answer: "only through a link, on the linked container's exposed ports", checkId: "daemon/icc-false-links/a-reaches-b-as-db-http" });
    expect(t[LINKS_ROW]!.isolation.checkId).toBe("daemon/icc-false-links/unlinked-c-cannot-reach-b-http");
    expect(t.bridge!.containerToContainer.answer).toBe("by IP; by name only through a link (/etc/hosts)");
    expect(t.bridge!.multiHost.checkId).toBe("bridge/nat/client-to-external-snat-in-captures");
    expect(t.overlay!.multiHost.checkId).toBe("overlay/swarm/a-to-b-is-vxlan-on-the-underlay");
    expect(t.none!.multiHost).toMatchObject({ answer: "no: no interface but lo", checkId: "none/isolated/n-interfaces" });
    expect(t.none!.containerToContainer).toMatchObject({ answer: "none", checkId: "none/isolated/n-cannot-reach-peer-icmp" });
    expect(t.container!.outside.answer).toBe("as its target");
    expect(t.macvlan!.multiHost.checkId).toBe("macvlan/bridge/lan-peer-reaches-b-on-lan");
    // A reach by IP proves "by IP", not that names do not resolve.
    expect(t.macvlan!.containerToContainer).toMatchObject({ answer: "by IP", checkId: "macvlan/bridge/a-reaches-b-icmp" });
    expect(modeTable(results(["bridge/links/a-reaches-b-as-db-http"])).find((r) => r.mode === "bridge")!.containerToContainer).toMatchObject({ answer: "by IP only (no name resolution)", checkId: "bridge/default/a-cannot-resolve-b" });
    // Daemon settings are not modes: only their links scenario counts, in its own row.
    expect(Object.keys(t)).not.toContain("daemon");
  });
  it("a failed check answers nothing; a mode whose checks were all skipped has no row", () => {
    const t = Object.fromEntries(modeTable(results(["host/basic/h-reaches-external-icmp"], ["ipvlan/"])).map((r) => [r.mode, r]));
    expect(t.host!.outside).toMatchObject({ answer: "unknown", checkId: "host/basic/h-reaches-external-icmp", status: "fail" });
    expect(t.ipvlan).toBeUndefined();
    expect(renderModeTable(modeTable(results()))).toMatch(/bridge \+ icc=false \+ links\n {2}multi-host {14}no: a link is an \/etc\/hosts entry/);
  });
});
