import { defineScenario } from "netcheck";

export default defineScenario({
  id: "host/basic",
  mode: "host",
  summary: "A container on the host network shares the host's namespace: it sees docker0, and its server answers on the host's 127.0.0.1 with no port publishing",
  lab: (lab) => ({ h: lab.node("h", { network: "host" }) }),
  checks: ({ h }, c) => [
    c.check("h-in-host-network-namespace", "topology", "h's network namespace is the host's own (same netns inode)", async (ctx) => {
      const inner = await ctx.inspect(h, ["readlink", "/proc/self/ns/net"]);
      const outer = await ctx.inspect(c.host(), ["readlink", "/proc/self/ns/net"]);
      const [i, o] = [inner.result.stdout.trim(), outer.result.stdout.trim()];
      const evidence = [inner.evidence, outer.evidence];
      return i && i === o ? { status: "pass", reason: `both in ${i}`, evidence } : { status: "fail", reason: `container in ${i || "?"}, host in ${o || "?"}`, evidence };
    }),
    c.interfaces(h, { includes: ["lo", "docker0"] }),
    c.ipv6Addresses(h, "host"),
    c.reach(c.host(), c.loopback(h), { via: "http" }),
    c.reach(h, c.external()),
    c.pathMtu(h, c.external()),
    c.resolves(h, "ext.netcheck.test", { expect: c.external(), name: "h-resolves-lab-names-through-lab-dns" }),
  ],
});
