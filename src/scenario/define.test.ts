import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dispatch } from "../cli/main.js";
import type { NodeOptions, NetworkOptions } from "../lab/topology.js";
import { DeclarationError } from "../util/errors.js";
import { declare, defineScenario, type ScenarioDefinition } from "./define.js";

type Nodes = Record<string, never>;
const base = { id: "user-defined/v", mode: "user-defined", summary: "validation" };

function withNode(options: NodeOptions, network?: NetworkOptions): () => unknown {
  return () =>
    defineScenario({
      ...base,
      lab: (lab) => ({ a: lab.node("a", { network: network ? lab.network("n", network) : "bridge", ...options }) }),
      checks: () => [],
    });
}

/** The error a definition raises: a DeclarationError whose field and fix are what a user needs. */
function rejection(define: () => unknown): DeclarationError {
  try {
    define();
  } catch (err) {
    expect(err).toBeInstanceOf(DeclarationError);
    return err as DeclarationError;
  }
  throw new Error("the definition was accepted");
}

describe("defineScenario validates what it declares", () => {
  it("accepts every honoured option at once (the twin of the rejections below)", () => {
    const ok = withNode(
      {
        publish: [{ host: "auto", container: 80, hostIp: "127.0.0.1" }, { host: 18053, container: 53, protocol: "udp" }],
        command: ["sh", "-c", "nc -ll -p 9000 -e cat"],
        serve: [{ kind: "tcp", port: 9000 }],
        env: { MODE: "x" },
        capAdd: ["SYS_ADMIN"],
        capDrop: ["CAP_NET_RAW"],
        sysctls: { "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": 0 },
        extraHosts: { "host.docker.internal": "host-gateway", "db.example": "10.1.2.3" },
        dnsOptions: ["ndots:2", "edns0"],
        dnsSearch: ["netcheck.test"],
      },
      { subnet: "auto", options: { "com.docker.network.bridge.enable_icc": "false" } },
    );
    expect(ok).not.toThrow();
  });

  it.each<[string, () => unknown, RegExp, RegExp]>([
    ["a misspelt node option", withNode({ pubish: [] } as unknown as NodeOptions), /lab\.node\("a"\)\.pubish: unknown node option/, /Did you mean "publish"/],
    ["a container port out of range", withNode({ publish: [{ host: "auto", container: 70000 }] }), /publish\[0\]\.container: port 70000/, /1 to 65535/],
    ["host port 0", withNode({ publish: [{ host: 0, container: 80 }] }), /publish\[0\]\.host: port 0/, /"auto"/],
    ["a hostIp that is no address", withNode({ publish: [{ host: "auto", container: 80, hostIp: "localhost" }] }), /publish\[0\]\.hostIp: "localhost" is not an IPv4/, /dotted quad/],
    ["an unknown publish key", withNode({ publish: [{ host: "auto", container: 80, hostPort: 1 } as never] }), /publish\[0\]\.hostPort: unknown publish option/, /Known: host, container, protocol, hostIp/],
    ["publishing from the host network", withNode({ network: "host", publish: [{ host: "auto", container: 80 }] }), /\.publish: a node on network host cannot publish/, /bridge network/],
    ["an extra host that is neither IPv4 nor host-gateway", withNode({ extraHosts: { gw: "host_gateway" } }), /extraHosts\["gw"\]: "host_gateway" is not an IPv4/, /dotted quad/],
    ["a sysctl Docker cannot set per container", withNode({ sysctls: { "vm.swappiness": "10" } }), /sysctls\["vm\.swappiness"\]: is not a namespaced sysctl/, /net\.\*/],
    ["an unknown capability", withNode({ capAdd: ["NET_ADMINN"] }), /capAdd\[0\]: "NET_ADMINN" is not one of/, /NET_ADMIN/],
    ["a DNS option with spaces", withNode({ dnsOptions: ["ndots 2"] }), /dnsOptions\[0\]/, /ndots:2/],
    ["a tcp service without a command", withNode({ serve: [{ kind: "tcp", port: 9000 }] }), /serve\[0\]\.kind: a tcp service needs a command/, /Add command/],
    ["an HTTP service with a command", withNode({ command: ["sleep", "1"], serve: [{ kind: "http", port: 80 }] }), /serve\[0\]\.kind: an HTTP identity server/, /kind: "tcp" \| "udp"/],
    ["an unknown network option", withNode({}, { interal: true } as unknown as NetworkOptions), /lab\.network\("n"\)\.interal: unknown network option/, /Did you mean "internal"/],
    ["an unknown bridge driver option", withNode({}, { options: { "com.docker.network.bridge.enable_iccc": "false" } }), /options\.com\.docker\.network\.bridge\.enable_iccc: unknown bridge driver option/, /enable_icc/],
    ["a bridge name (netcheck names bridges)", withNode({}, { options: { "com.docker.network.bridge.name": "br0" } }), /bridge\.name"\]: netcheck names each lab bridge/, /Drop this option/],
    ["a subnet that is no CIDR", withNode({}, { subnet: "10.1.0.0" }), /\.subnet: "10\.1\.0\.0" is not an IPv4 CIDR/, /"auto"/],
  ])("rejects %s, naming the field and the fix", (_what, define, field, fix) => {
    const err = rejection(define);
    expect(err.message).toMatch(/^scenario "user-defined\/v": /);
    expect(err.message).toMatch(field);
    expect(err.hint).toMatch(fix);
    expect(err.code).toBe("NETCHECK_SCENARIO_INVALID");
  });

  it("rejects unknown requirement ids, for the scenario and for one check", () => {
    const scenario = rejection(() => defineScenario({ ...base, requires: ["kernel.macvlann"], lab: () => ({}), checks: () => [] }));
    expect(scenario.message).toMatch(/requires\[0\]: unknown requirement "kernel\.macvlann"/);
    expect(scenario.hint).toMatch(/kernel\.<bridge\|veth\|macvlan/);
    const check = rejection(() =>
      defineScenario({ ...base, lab: () => ({}), checks: (_n, c) => [c.check("mine", "topology", "x", async () => ({ status: "pass", evidence: [] }), { requires: ["hosts.two"] })] }),
    );
    expect(check.message).toMatch(/checks\[0\] \("mine"\)\.requires\[0\]: unknown requirement "hosts\.two"/);
    // The twin: known ids pass, and a check's own requires reach the runner.
    const ok = defineScenario({ ...base, requires: ["kernel.veth"], lab: () => ({}), checks: (_n, c) => [c.check("mine", "topology", "x", async () => ({ status: "pass", evidence: [] }), { requires: ["hosts.vm2"] })] });
    expect(declare(ok).checks[0]!.requires).toEqual(["hosts.vm2"]);
  });

  it("rejects unknown scenario keys, bad check ports and published ports that are not published", () => {
    expect(rejection(() => defineScenario({ ...base, lab: () => ({}), checks: () => [], require: [] } as ScenarioDefinition<Nodes>)).message).toMatch(/defineScenario\.require: unknown scenario option/);
    const port = rejection(() => defineScenario({ ...base, lab: (l) => ({ a: l.node("a"), b: l.node("b") }), checks: ({ a, b }, c) => [c.reach(a, b, { via: "tcp", port: 0 })] }));
    expect(port.message).toMatch(/c\.reach\(a, …\)\.port: port 0/);
    const pub = rejection(() => defineScenario({ ...base, lab: (l) => ({ a: l.node("a"), b: l.node("b") }), checks: ({ a, b }, c) => [c.reach(b, c.published(a, 80))] }));
    expect(pub.message).toMatch(/c\.published\(a, 80\): node "a" does not publish container port 80/);
    expect(pub.hint).toMatch(/publish: \[\{ host: "auto", container: 80 \}\]/);
  });

  it("rejects engine ranges that cannot be meant, and keeps a good one on the check", () => {
    const change = "moby/moby#46603 (v25.0.0): no default route";
    const two = (l: Parameters<ScenarioDefinition<Nodes>["lab"]>[0]) => ({ a: l.node("a"), b: l.node("b") });
    expect(rejection(() => defineScenario({ ...base, lab: two, checks: ({ a, b }, c) => [c.engine({ since: "25", change }, c.reach(a, b))] })).message).toMatch(/since must be a version/);
    expect(rejection(() => defineScenario({ ...base, lab: two, checks: ({ a, b }, c) => [c.engine({ since: "25.0" } as never, c.reach(a, b))] })).message).toMatch(/needs change/);
    expect(rejection(() => defineScenario({ ...base, lab: two, checks: ({ a, b }, c) => [c.engine({ sinse: "25.0", change } as never, c.reach(a, b))] })).hint).toMatch(/Did you mean "since"/);
    // The twin: a good range reaches the runner, and a negative check stays negative.
    const ok = defineScenario({ ...base, lab: two, checks: ({ a, b }, c) => [c.engine({ since: "25.0", change }, c.isolated(a, b))] });
    const [check] = declare(ok).checks;
    expect(check!.engine).toEqual({ since: "25.0", change });
    expect((check as { negative?: boolean }).negative).toBe(true);
  });
});

describe("netcheck run with an authoring error", () => {
  it("exits 2 naming the file, the field and the fix, before any lab exists", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-invalid-"));
    const file = join(dir, "bad.ts");
    writeFileSync(
      file,
      `import { defineScenario } from "netcheck";\nexport default defineScenario({ id: "bridge/bad", mode: "bridge", summary: "s", lab: (lab) => ({ web: lab.node("web", { publish: [{ host: 8080, container: 80, hostIp: "127.0.0.300" }] }) }), checks: () => [] });\n`,
    );
    let out = "";
    let err = "";
    const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) }, signal: new AbortController().signal, argv: [] };
    const code = await dispatch(["run", file], io as never);
    expect(code).toBe(2);
    expect(err).toContain(`${file}, scenario "bridge/bad": lab.node("web").publish[0].hostIp: "127.0.0.300" is not an IPv4 address`);
    expect(err).toMatch(/→ Write a dotted quad/);
    expect(out).not.toMatch(/lab up/);
  });
});
