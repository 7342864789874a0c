import type { NodeDecl } from "../../lab/topology.js";
import { parseIpAddr, parseIpLink } from "../../probes/net-info.js";
import type { CheckDecl } from "../define.js";

/** Two containers share one network namespace: same netns inode, same links with the same MACs, same addresses. */
export function sharesNamespaceCheck(a: NodeDecl, b: NodeDecl, opts: { name?: string }): CheckDecl {
  return {
    name: opts.name ?? `${a.name}-shares-namespace-with-${b.name}`,
    category: "topology",
    expectation: `${a.name} and ${b.name} share one network namespace (same IP, MAC and netns)`,
    async run(ctx) {
      const view = async (n: NodeDecl) => {
        const [ns, link, addr] = await Promise.all([ctx.inspect(n, ["readlink", "/proc/self/ns/net"]), ctx.inspect(n, ["ip", "-o", "link"]), ctx.inspect(n, ["ip", "-o", "-4", "addr"])]);
        return {
          ns: ns.result.stdout.trim(),
          links: parseIpLink(link.result.stdout).map((l) => `${l.name}=${l.mac ?? "-"}`).sort(),
          addrs: parseIpAddr(addr.result.stdout).map((x) => `${x.dev}=${x.address}/${x.prefixLen}`).sort(),
          evidence: [ns.evidence, link.evidence, addr.evidence],
        };
      };
      // Independent reads: taken at once (each is a docker exec; one after the other they were most of the check).
      const [va, vb] = await Promise.all([view(a), view(b)]);
      const evidence = [...va.evidence, ...vb.evidence];
      const diffs: string[] = [];
      if (!va.ns || va.ns !== vb.ns) diffs.push(`netns ${va.ns || "?"} vs ${vb.ns || "?"}`);
      if (va.links.join() !== vb.links.join()) diffs.push(`links [${va.links.join(", ")}] vs [${vb.links.join(", ")}]`);
      if (va.addrs.join() !== vb.addrs.join()) diffs.push(`addresses [${va.addrs.join(", ")}] vs [${vb.addrs.join(", ")}]`);
      if (diffs.length) return { status: "fail", reason: `${a.name} and ${b.name} differ: ${diffs.join("; ")}`, evidence };
      return { status: "pass", reason: `same ${va.ns}; addresses ${va.addrs.join(", ")}; links ${va.links.join(", ")}`, evidence };
    },
  };
}
