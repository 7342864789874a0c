import { judgeHostsFileName } from "../../assert/links.js";
import type { NodeDecl } from "../../lab/topology.js";
import { dnsLookup } from "../../probes/dns.js";
import type { CheckDecl } from "../define.js";

/** Gathers /etc/hosts, resolv.conf and a DNS-only lookup of `name` in `from`; `judgeHostsFileName` decides. */
export function hostsFileNameCheck(from: NodeDecl, name: string, expect: NodeDecl, opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `${from.name}-resolves-${name.replace(/[^a-z0-9]+/gi, "-")}-through-etc-hosts`,
    category: "dns",
    expectation: `${from.name} resolves "${name}" to ${expect.name}'s address through /etc/hosts (a legacy link), and no DNS server knows the name`,
    async run(ctx) {
      const [hosts, resolv, lookup] = await Promise.all([ctx.inspect(from, ["cat", "/etc/hosts"]), ctx.inspect(from, ["cat", "/etc/resolv.conf"]), ctx.probe(from, dnsLookup(name))]);
      const v = judgeHostsFileName({
        from: from.name,
        name,
        hostsFile: hosts.result.stdout,
        resolvConf: resolv.result.stdout,
        lookup: lookup.value,
        expectAddress: ctx.resolve(expect, { from }).address,
      });
      return { status: v.status, reason: v.reason, evidence: [hosts.evidence, resolv.evidence, lookup.evidence, { kind: "note", text: `verdict: ${v.verdict}` }] };
    },
  };
}
