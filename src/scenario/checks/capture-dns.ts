import { captureDuring } from "../../capture/index.js";
import { addressOn } from "../../lab/started.js";
import type { NodeDecl } from "../../lab/topology.js";
import { formatSummaryLine, parseDns, type Capture, type DnsMessage, type Packet } from "../../pcap/index.js";
import { dnsLookup } from "../../probes/dns.js";
import type { Evidence } from "../../report/model.js";
import type { CheckDecl } from "../define.js";

const EMBEDDED_DNS = "127.0.0.11";

/**
 * On a user-defined network, `client`'s lookup of `peer` goes to Docker's
 * embedded DNS: a capture inside `client`'s namespace must show the query to
 * 127.0.0.11 and the answer carrying `peer`'s address.
 */
export function embeddedDnsCaptureCheck(client: NodeDecl, peer: NodeDecl, opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `${client.name}-resolves-${peer.name}-via-embedded-dns-in-capture`,
    category: "dns",
    expectation: `a capture in ${client.name}'s namespace shows the query for "${peer.name}" to ${EMBEDDED_DNS} and the answer with ${peer.name}'s address`,
    async run(ctx) {
      const peerIp = addressOn(ctx.node(peer), addressOn(ctx.node(client))?.network)?.ipv4;
      if (!peerIp) return { status: "fail", reason: `${peer.name} has no address on ${client.name}'s network`, evidence: [] };
      // `any` inside the container: the query never leaves its loopback.
      const { value: probe, files } = await captureDuring(
        ctx,
        [{ name: `${client.name}-dns-${peer.name}`, point: { kind: "node", node: ctx.node(client), iface: "any" }, filter: `host ${EMBEDDED_DNS}` }],
        () => ctx.probe(client, dnsLookup(peer.name)),
        { signal: ctx.signal },
      );
      const file = files[0]!;
      const found = findExchange(file.capture, peer.name, peerIp);
      const lines = [found.query, found.answer].filter((p): p is Packet => p !== undefined).map((p) => describe(p));
      const evidence: Evidence[] = [
        { kind: "packets", capture: `${client.name}'s namespace (any)`, file: file.relPath, lines: lines.length ? lines : file.capture.packets().slice(0, 8).map((p) => formatSummaryLine(p)), total: file.capture.length },
        probe.evidence,
      ];
      if (!found.query) return { status: "fail", reason: `no DNS query for "${peer.name}" to ${EMBEDDED_DNS} in the capture (${file.capture.length} packets): ${probe.value.detail}`, evidence };
      if (!found.answer) return { status: "fail", reason: `the query for "${peer.name}" went to ${EMBEDDED_DNS}, but no answer carrying ${peerIp} came back (${found.answers.join("; ") || "no answer"})`, evidence };
      const port = found.query.udp?.dstPort ?? found.query.tcp?.dstPort;
      const redirected = port !== 53 ? ` (the container's own NAT rules had already moved it from port 53 to dockerd's listener on port ${port})` : "";
      evidence.unshift({ kind: "note", text: `Docker's embedded DNS answers inside the container's namespace: the query was sent to ${EMBEDDED_DNS}${redirected}, and the answer came back from ${EMBEDDED_DNS}:53 with ${peerIp}.` });
      return { status: "pass", reason: `query for ${peer.name} to ${EMBEDDED_DNS} answered with ${peerIp}${redirected}`, evidence };
    },
  };
}

interface Exchange {
  query?: Packet;
  answer?: Packet;
  /** Every answer seen, as text, for a failure message. */
  answers: string[];
}

function findExchange(c: Capture, name: string, ip: string): Exchange {
  const out: Exchange = { answers: [] };
  const wanted = (m: DnsMessage) => m.questions.some((q) => q.name.replace(/\.$/, "").toLowerCase() === name.toLowerCase());
  for (const p of c.packets()) {
    const m = dnsOf(p);
    if (!m || !wanted(m)) continue;
    if (!m.response && p.ip?.dst === EMBEDDED_DNS) out.query ??= p;
    if (m.response && p.ip?.src === EMBEDDED_DNS) {
      out.answers.push(m.answers.map((a) => `${a.type} ${a.data}`).join(", ") || `rcode ${m.rcode}`);
      if (m.answers.some((a) => a.type === "A" && a.data === ip)) out.answer ??= p;
    }
  }
  return out;
}

/**
 * The decoder only parses DNS on port 53; the query toward 127.0.0.11 is
 * already redirected to dockerd's random port when the capture sees it, so
 * parse UDP payloads to the embedded resolver here.
 */
function dnsOf(p: Packet): DnsMessage | undefined {
  if (p.dns) return p.dns;
  if (p.udp && (p.ip?.dst === EMBEDDED_DNS || p.ip?.src === EMBEDDED_DNS)) return parseDns(p.payload) ?? undefined;
  return undefined;
}

function describe(p: Packet): string {
  const line = formatSummaryLine(p);
  if (p.dns) return line;
  const m = dnsOf(p);
  return m && !m.response ? `${line} [DNS query ${m.id}: ${m.questions.map((q) => `${q.type}? ${q.name}`).join(" ")}]` : line;
}
