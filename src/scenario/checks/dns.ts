import { judgeResolution } from "../../assert/dns.js";
import { dnsLookup } from "../../probes/dns.js";
import type { CheckDecl, CheckOutcome } from "../define.js";
import { explainFailedLookup } from "./explain-failure.js";
import { isIpv4 } from "../../util/ipv4.js";
import { labDnsUnreachableFrom } from "../../lab/ssh/ssh-guards.js";
import { endpointLabel, targetLabel, type Endpoint, type Target } from "../targets.js";

/** Gathers a lookup (and the resolver configuration it used); `judgeResolution` decides. */
export function dnsCheck(from: Endpoint, name: string, mustResolve: boolean, opts: { expect?: Target; via?: string; name?: string; family?: 4 | 6 }): CheckDecl {
  const label = endpointLabel(from);
  return {
    name: opts.name ?? `${label.replace(/:/g, "-")}-${mustResolve ? "resolves" : "cannot-resolve"}-${name.replace(/[^a-z0-9]+/gi, "-")}${opts.family === 6 ? "-aaaa" : ""}`,
    category: "dns",
    expectation: mustResolve
      ? `${label} resolves "${name}"${opts.family === 6 ? " (AAAA)" : ""}${opts.expect ? ` to ${targetLabel(opts.expect)}'s address` : ""}${opts.via ? ` through ${opts.via}` : ""}`
      : `${label} must NOT resolve "${name}": its resolver${opts.via ? ` (${opts.via})` : ""} answers NXDOMAIN or an empty answer`,
    async run(ctx) {
      // A name the embedded DNS does not know is forwarded to the lab DNS, on this machine: from a user's host (--hosts)
      // it is guarded unreachable (never sent off the host), so only an NXDOMAIN that cannot come could decide.
      const node = typeof from === "object" && "kind" in from && from.kind === "node" ? ctx.lab.nodes.get(from.name) : undefined;
      const gone = !mustResolve && node ? await labDnsUnreachableFrom(node.labHost, ctx.run.dnsServers[0]!, ctx.signal) : undefined;
      if (gone) {
        return { status: "skip", reason: `lab DNS upstream not reachable from ${node!.labHost.name}, where ${label} runs (${gone}): "${name}" is not a name its embedded DNS knows, so only the lab DNS could answer NXDOMAIN, and netcheck lets no lookup leave a user's host`, evidence: [{ kind: "note", text: gone }] };
      }
      const [{ value, evidence }, resolvConf] = await Promise.all([ctx.probe(from, dnsLookup(name, { family: opts.family })), ctx.inspect(from, ["cat", "/etc/resolv.conf"])]);
      // Without an explicit `via`, the resolver that must answer is the first nameserver the source is configured with.
      const configured = /^nameserver\s+(\S+)/m.exec(resolvConf.result.stdout)?.[1];
      const v = judgeResolution({
        mustResolve,
        name,
        from: label,
        lookup: value,
        via: opts.via ?? (mustResolve ? undefined : configured),
        expectAddress: opts.expect ? ctx.resolve(opts.expect, { from, family: opts.family }).address : undefined,
      });
      const out: CheckOutcome = { status: v.status, reason: v.reason, evidence: [evidence, resolvConf.evidence, { kind: "note", text: `answer: ${value.answer}; verdict: ${v.verdict}` }] };
      // No answer at all (a timeout, an ICMP error, a send the kernel refused) is a path question: explain it like a reach probe.
      if (v.status !== "fail" || ["answer", "nxdomain", "no-answer", "servfail"].includes(value.answer)) return out;
      const why = await explainFailedLookup(ctx, from, name, opts.via && isIpv4(opts.via) ? opts.via : configured);
      return why ? { ...out, reason: `${out.reason}${why.suffix}`, evidence: [...out.evidence, ...why.evidence], ...(why.cause ? { cause: why.cause } : {}) } : out;
    },
  };
}
