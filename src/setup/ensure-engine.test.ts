import { describe, expect, it } from "vitest";
import { planEngineSetup, type EngineFacts } from "./ensure-engine.js";
import { parseOsRelease } from "./host-facts.js";

const debian = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n');
const fedora = parseOsRelease('PRETTY_NAME="Fedora Linux 40"\nID=fedora\n');
const sock = { display: "unix:///var/run/docker.sock", socketPath: "/var/run/docker.sock" };

function facts(over: Partial<EngineFacts> & { root?: boolean; systemd?: boolean } = {}): EngineFacts {
  return {
    endpoint: over.endpoint ?? sock,
    reachable: over.reachable ?? false,
    unreachableCode: over.unreachableCode,
    missing: over.missing ?? [],
    host: over.host ?? { os: debian, isRoot: over.root ?? true, hasSystemd: over.systemd ?? false },
  };
}

describe("planEngineSetup", () => {
  it("does nothing when the engine answers and nothing is missing", () => {
    expect(planEngineSetup(facts({ reachable: true }), { install: true })).toEqual({ kind: "ready", install: [] });
  });

  it("installs and spawns dockerd on a fresh root Debian without systemd", () => {
    const all = ["busybox-static", "iperf3", "tcpdump", "docker.io", "iptables"];
    expect(planEngineSetup(facts({ missing: all }), { install: true })).toEqual({ kind: "start", install: all, via: "spawn" });
    expect(planEngineSetup(facts({ systemd: true }), { install: true })).toEqual({ kind: "start", install: [], via: "systemd" });
    // --no-install forbids apt-get, not starting a dockerd that is already installed.
    expect(planEngineSetup(facts({}), { install: false })).toEqual({ kind: "start", install: [], via: "spawn" });
  });

  it("installs missing tools even when the engine already runs", () => {
    expect(planEngineSetup(facts({ reachable: true, missing: ["iperf3"] }), { install: true })).toEqual({ kind: "ready", install: ["iperf3"] });
  });

  it("explains what to install when it may not install", () => {
    const cases: [EngineFacts, { install: boolean }, RegExp][] = [
      [facts({ missing: ["tcpdump"] }), { install: false }, /--no-install was given/],
      [facts({ missing: ["tcpdump"], root: false }), { install: true }, /not running as root/],
      [facts({ missing: ["tcpdump"], host: { os: fedora, isRoot: true, hasSystemd: true } }), { install: true }, /Fedora Linux 40 is not Debian/],
    ];
    for (const [f, o, why] of cases) {
      const plan = planEngineSetup(f, o);
      if (plan.kind !== "manual") throw new Error(`expected manual, got ${plan.kind}`);
      expect(plan.error.code).toBe("NETCHECK_PACKAGES_MISSING");
      expect(plan.error.message).toMatch(why);
      expect(plan.error.message).toContain("tcpdump");
    }
    const deb = planEngineSetup(facts({ missing: ["tcpdump", "iperf3"], root: false }), { install: true });
    expect(deb.kind === "manual" && deb.error.hint).toMatch(/apt-get install -y tcpdump iperf3/);
  });

  it("never starts an engine that DOCKER_HOST points elsewhere, nor without root", () => {
    const tcp = planEngineSetup(facts({ endpoint: { display: "tcp://10.0.0.2:2375", host: "10.0.0.2", port: 2375 } }), { install: true });
    expect(tcp.kind === "manual" && tcp.error.code).toBe("NETCHECK_ENGINE_UNREACHABLE");
    const user = planEngineSetup(facts({ root: false, systemd: true }), { install: true });
    expect(user.kind === "manual" && user.error.code).toBe("NETCHECK_ENGINE_NOT_RUNNING");
    expect(user.kind === "manual" && user.error.hint).toMatch(/systemctl start docker/);
  });
});

describe("parseOsRelease", () => {
  it("reads ID and ID_LIKE, quoted or not", () => {
    const ubuntu = parseOsRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04 LTS"\n');
    expect(ubuntu).toEqual({ id: "ubuntu", idLike: ["debian"], prettyName: "Ubuntu 24.04 LTS" });
    expect(parseOsRelease("ID='linuxmint'\nID_LIKE=\"ubuntu debian\"\n").idLike).toEqual(["ubuntu", "debian"]);
  });
});

describe("planEngineSetup, permission", () => {
  it("tells a user without socket access to use sudo or the docker group, rather than starting a second engine", () => {
    const plan = planEngineSetup(facts({ root: false, unreachableCode: "EACCES" }), { install: true });
    expect(plan.kind === "manual" && plan.error.code).toBe("NETCHECK_ENGINE_PERMISSION");
    expect(plan.kind === "manual" && plan.error.hint).toMatch(/docker group/);
  });
});
