import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabMachine, type LabMachine } from "../../bench/lab-machine.js";
import { Engine } from "../../src/engine/engine.js";
import { newRunId } from "../../src/util/ids.js";

/**
 * `netcheck explain` against faults injected one at a time — inside a
 * disposable networkless lab machine (its own dockerd, the host's /usr), never
 * into this host's firewall. The containers are the "user's": started with
 * plain `docker run`; the target outside is a namespace behind a veth with no
 * route back to the containers' subnet (so only MASQUERADE brings replies home).
 */
interface Explained {
  explanation: { kind: string; summary: string; evidence: string[] };
}

let machine: LabMachine;
const explain = async (args: string): Promise<Explained> => {
  const r = await machine.sh(`node bin/netcheck.js explain ${args} --json`, 60_000);
  try {
    return JSON.parse(r.stdout) as Explained;
  } catch {
    throw new Error(`netcheck explain ${args}: exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
  }
};
const withFault = async <T>(apply: string, undo: string, fn: () => Promise<T>): Promise<T> => {
  const a = await machine.sh(apply);
  expect(a.exitCode, `${apply}: ${a.stderr}`).toBe(0);
  try {
    return await fn();
  } finally {
    await machine.sh(undo);
  }
};

beforeAll(async () => {
  machine = await startLabMachine(Engine.fromEnv("local"), newRunId());
  await machine.startDockerd();
  const setup = await machine.sh("node bin/netcheck.js setup --no-install 2>&1", 300_000);
  expect(setup.exitCode, setup.stdout).toBe(0);
  const up = await machine.sh(
    [
      "docker run -d --name app netcheck/probe:0.1.0 sleep 3600",
      "docker run -d --name db netcheck/probe:0.1.0 busybox httpd -f -p 80",
      "ip netns add ext && ip link add ext0 type veth peer name ext1 && ip link set ext1 netns ext",
      "ip addr add 198.18.99.1/24 dev ext0 && ip link set ext0 up",
      "ip netns exec ext ip addr add 198.18.99.2/24 dev ext1 && ip netns exec ext ip link set ext1 up && ip netns exec ext ip link set lo up",
    ].join(" && "),
  );
  expect(up.exitCode, up.stderr).toBe(0);
}, 400_000);

afterAll(async () => {
  await machine?.remove();
});

describe("netcheck explain on live containers, faults injected one at a time", () => {
  it("a healthy pair is delivered, with the path; the way out shows the MASQUERADE in conntrack", async () => {
    const ab = await explain("app db");
    expect(ab.explanation.kind).toBe("delivered");
    const out = await explain("app 198.18.99.2");
    expect(out.explanation.kind).toBe("delivered");
    expect(out.explanation.evidence.join("\n")).toMatch(/conntrack: .*src=172\.17\.0\.2 dst=198\.18\.99\.2.*\(SNAT 172\.17\.0\.2 → 198\.18\.99\.1\)/);
  });

  it("names a DROP in DOCKER-USER with its position, text and packets", async () => {
    const e = await withFault("iptables -w -I DOCKER-USER -p icmp -j DROP", "iptables -w -D DOCKER-USER -p icmp -j DROP", () => explain("app db"));
    expect(e.explanation.kind).toBe("cause");
    // What the README shows: the same fault, as the terminal prints it.
    const text = await withFault("iptables -w -I DOCKER-USER -p icmp -j DROP", "iptables -w -D DOCKER-USER -p icmp -j DROP", () => machine.sh("node bin/netcheck.js explain app db", 60_000));
    console.log(`--- netcheck explain app db (exit ${text.exitCode})\n${text.stdout}`);
    expect(text.stdout).toContain("cause: dropped by DOCKER-USER rule 1");
    expect(e.explanation.summary).toMatch(/^dropped by DOCKER-USER rule 1 in table filter in the Docker host \(`-p icmp -j DROP`\), \d+ packets? during the probe$/);
  });

  it("names a deleted MASQUERADE from the rules and the un-NATed conntrack entry", async () => {
    const rule = "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE";
    const e = await withFault(`iptables -w -t nat -D POSTROUTING ${rule}`, `iptables -w -t nat -A POSTROUTING ${rule}`, () => explain("app 198.18.99.2"));
    expect(e.explanation.kind).toBe("cause");
    expect(e.explanation.summary).toContain("not masqueraded: 172.17.0.2 left the Docker host through ext0");
    expect(e.explanation.evidence.join("\n")).toMatch(/conntrack: .*src=172\.17\.0\.2 dst=198\.18\.99\.2.*not NATed/);
  });

  it("names ip_forward=0", async () => {
    const e = await withFault("sysctl -qw net.ipv4.ip_forward=0", "sysctl -qw net.ipv4.ip_forward=1", () => explain("app 198.18.99.2"));
    expect(e.explanation).toMatchObject({ kind: "cause", summary: "ip_forward=0 on the Docker host: packets from docker0 to ext0 are not forwarded" });
  });

  it("names a blackhole route on the host", async () => {
    const e = await withFault("ip route add blackhole 198.18.99.2", "ip route del blackhole 198.18.99.2", () => explain("app 198.18.99.2"));
    expect(e.explanation).toMatchObject({ kind: "cause", summary: "blackhole route `blackhole 198.18.99.2` for 198.18.99.2 on the Docker host" });
  });

  it("names a blackhole route in the source container's namespace", async () => {
    const ns = "nsenter -t $(docker inspect -f '{{.State.Pid}}' app) -n";
    const e = await withFault(`${ns} ip route add blackhole 198.18.99.0/24`, `${ns} ip route del blackhole 198.18.99.0/24`, () => explain("app 198.18.99.2"));
    expect(e.explanation).toMatchObject({ kind: "cause", summary: "blackhole route `blackhole 198.18.99.0/24` from 172.17.0.2 to 198.18.99.2 in app's namespace" });
  });

  it("in a run: each of the four faults makes a → external fail with its cause and fix; the healthy twin passes with none", async () => {
    // The project is mounted read-only and a scenario is compiled beside its file: run a copy, with "netcheck" linked to the project.
    const copy = "mkdir -p /tmp/fx/node_modules && ln -sfn $PWD /tmp/fx/node_modules/netcheck && cp test/fixtures/scenarios/explain-four-faults.ts /tmp/fx/";
    const r = await machine.sh(`${copy} && NETCHECK_LAB_MACHINE=1 node bin/netcheck.js run /tmp/fx/explain-four-faults.ts --json /tmp/four.json --reports /tmp/four --no-color --timeout 300 >/tmp/four.log 2>&1; cat /tmp/four.json`, 600_000);
    const checks = (JSON.parse(r.stdout) as { scenarios: { checks: { name: string; status: string; cause?: { kind: string; summary: string; fix?: string; evidence: string[] } }[] }[] }).scenarios[0]!.checks;
    const by = (name: string) => checks.find((c) => c.name === `a-reaches-external-${name}`)!;
    const say = JSON.stringify(checks.map((c) => ({ name: c.name, status: c.status, cause: c.cause?.summary, fix: c.cause?.fix })), null, 1);
    expect(by("healthy"), say).toMatchObject({ status: "pass" });
    expect(by("healthy").cause, say).toBeUndefined();
    const expected: [string, RegExp, RegExp][] = [
      ["docker-user-drop", /^dropped by DOCKER-USER rule 1 in table filter in the lab host \(`-s 172\.17\.0\.\d+\/32 -p icmp -j DROP`\)/, /iptables -D DOCKER-USER 1/],
      ["masquerade-deleted", /^not masqueraded: 172\.17\.0\.\d+ left the lab host through \S+ with its private address/, /MASQUERADE/],
      ["ip-forward-off", /^ip_forward=0 on the lab host: packets from docker0 to \S+ are not forwarded/, /sysctl -w net\.ipv4\.ip_forward=1/],
      // The underlay pool is 198.18.0.0/15: the external host's address is 198.18.x.y or 198.19.x.y.
      ["blackhole-route", /^blackhole route `blackhole 198\.1[89]\.\d+\.\d+` for 198\.1[89]\.\d+\.\d+ on the lab host$/, /ip route del blackhole 198\.1[89]\./],
    ];
    for (const [name, summary, fix] of expected) {
      const c = by(name);
      expect(c.status, say).toBe("fail");
      expect(c.cause?.kind, say).toBe("cause");
      expect(c.cause?.summary, say).toMatch(summary);
      expect(c.cause?.fix, say).toMatch(fix);
      expect(c.cause?.evidence.length, say).toBeGreaterThan(2);
    }
  }, 600_000);

  it("a TCP flow to a port nobody listens on is an open path, never a block", async () => {
    const e = await explain("app db:81");
    expect(e.explanation.kind).toBe("delivered");
    expect(e.explanation.summary).toContain("the path is open");
  });
});
