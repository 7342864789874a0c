import { dnsLookup } from "../../probes/dns.js";
import type { CheckDecl } from "../define.js";
import { endpointLabel, targetLabel, type Endpoint, type Target } from "../targets.js";

export function dnsCheck(from: Endpoint, name: string, mustResolve: boolean, opts: { expect?: Target; via?: string; name?: string }): CheckDecl {
  const label = endpointLabel(from);
  return {
    name: opts.name ?? `${label.replace(/:/g, "-")}-${mustResolve ? "resolves" : "cannot-resolve"}-${name.replace(/[^a-z0-9]+/gi, "-")}`,
    category: "dns",
    expectation: mustResolve
      ? `${label} resolves "${name}"${opts.expect ? ` to ${targetLabel(opts.expect)}'s address` : ""}${opts.via ? ` through ${opts.via}` : ""}`
      : `${label} must NOT resolve "${name}"`,
    async run(ctx) {
      const { value, evidence } = await ctx.probe(from, dnsLookup(name));
      const resolvConf = await ctx.inspect(from, ["cat", "/etc/resolv.conf"]);
      const ev = [evidence, resolvConf.evidence];
      if (!mustResolve) {
        if (value.resolved) return { status: "fail", reason: `"${name}" resolved to ${value.addresses.join(", ")}${value.server ? ` (server ${value.server})` : ""}, but must not`, evidence: ev };
        return { status: "pass", reason: `no answer for "${name}": ${value.detail}`, evidence: ev };
      }
      if (!value.resolved) return { status: "fail", reason: `"${name}" did not resolve: ${value.detail}`, evidence: ev };
      if (opts.via && value.server && !value.server.startsWith(opts.via)) {
        return { status: "fail", reason: `"${name}" was answered by ${value.server}, expected ${opts.via}`, evidence: ev };
      }
      if (opts.expect) {
        const want = ctx.resolve(opts.expect, { from }).address;
        if (!value.addresses.includes(want)) return { status: "fail", reason: `"${name}" resolved to ${value.addresses.join(", ")}, expected ${want}`, evidence: ev };
      }
      return { status: "pass", reason: value.detail, evidence: ev };
    },
  };
}
