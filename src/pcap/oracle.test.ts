// Issue 17: the pcap layer held to tshark's and tcpdump's answers on small generated captures
// (test/fixtures/pcap/oracle/make.ts writes them and the oracles' output; these tests only read).
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ORACLE_DIR, tcpdumpError, tcpdumpLines, tsharkConversations, type Conversation, type ConversationKind } from "../../test/fixtures/pcap/oracle/answers.js";
import { CaptureSummarizer, type CaptureSummary } from "./capture-summary.js";
import { Capture } from "./capture.js";
import { PcapCorruptError, PcapError, PcapTruncatedError } from "./errors.js";
import type { Flow } from "./flow.js";
import { matchNatPairs } from "./nat-pairs.js";
import { decodePacket } from "./packet.js";
import { readPcapBatches, readPcapFileBatches } from "./read.js";
import { renderCaptureSummary } from "./render.js";
import { formatSummaryLine } from "./summary-line.js";

const path = (name: string) => ORACLE_DIR + name;

async function summarise(name: string, chunk?: number): Promise<{ summary: CaptureSummary; error?: PcapError }> {
  const s = new CaptureSummarizer(name);
  const batches = chunk === undefined ? readPcapFileBatches(path(name)) : readPcapBatches(chunks(readFileSync(path(name)), chunk), { source: name });
  try {
    for await (const batch of batches) for (const r of batch) s.add(r);
    return { summary: s.summary };
  } catch (err) {
    if (!(err instanceof PcapError)) throw err;
    return { summary: s.summary, error: err };
  }
}

function chunks(data: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let o = 0; o < data.length; o += size) parts.push(data.subarray(o, o + size));
  return Readable.from(parts);
}

/** Our flows as tshark's conversation table would list them. */
function ours(flows: Flow[], kind: ConversationKind): Conversation[] {
  const proto = kind === "TCP" ? "tcp" : "udp";
  return flows
    .filter((f) => f.tuple.protocol === proto && f.vni < 0)
    .map((f) => ({ ends: [`${f.tuple.src}:${f.tuple.srcPort}`, `${f.tuple.dst}:${f.tuple.dstPort}`].sort() as [string, string], frames: f.packets, bytes: f.bytes }));
}

const sorted = (c: Conversation[]) => [...c].sort((x, y) => x.ends.join().localeCompare(y.ends.join()));

describe("item 1: a corrupt record keeps every good record before it", () => {
  const name = "corrupt-mid.pcap";
  const good = tcpdumpLines(name).length;
  const damageAt = readFileSync(path(name)).length - 76;

  it.each([undefined, 1000, 7])("chunks of %s bytes: tcpdump's packets and tshark's conversations, then the error at the damage", async (chunk) => {
    expect(tcpdumpError(name)).toMatch(/invalid packet capture length 4294963200/);
    const { summary, error } = await summarise(name, chunk);
    expect(summary.packets).toBe(good);
    expect(sorted(ours(summary.flows.all(), "UDP"))).toEqual(sorted(tsharkConversations(name, "UDP")));
    expect(error).toBeInstanceOf(PcapCorruptError);
    expect(error!.offset).toBe(damageAt);
    expect(error!.recordsRead).toBe(good);
    expect(error!.message).toContain(`at byte ${damageAt} (after ${good} good records): record length 4294963200 exceeds`);
  });
});

describe("item 2: blocks we do not read may be any size", () => {
  const name = "dsb.pcapng";

  it.each([undefined, 4096, 13])("a 334 KB decryption secrets block is skipped (chunks of %s bytes)", async (chunk) => {
    expect(readFileSync(path(name)).length).toBeGreaterThan(334_000);
    const { summary, error } = await summarise(name, chunk);
    expect(error).toBeUndefined();
    expect(summary.packets).toBe(tcpdumpLines(name).length);
    expect(sorted(ours(summary.flows.all(), "TCP"))).toEqual(sorted(tsharkConversations(name, "TCP")));
  });

  it("a file cut inside the skipped block is truncated, at the end of what was read", async () => {
    const data = readFileSync(path(name)).subarray(0, 200_000);
    const s = new CaptureSummarizer("cut");
    const err = await (async () => {
      for await (const batch of readPcapBatches(chunks(data, 4096), { source: "cut" })) for (const r of batch) s.add(r);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PcapTruncatedError);
    expect((err as PcapTruncatedError).offset).toBe(200_000);
    expect((err as Error).message).toMatch(/block at byte \d+ ends past the end of the input/);
  });
});

describe("item 3: timestamps outside Date's range", () => {
  it.each(["ts-offset.pcapng", "ts-resol0.pcapng"])("%s: times print as tcpdump prints them, the summary still renders", async (name) => {
    const { summary, error } = await summarise(name);
    expect(error).toBeUndefined();
    expect(() => renderCaptureSummary(summary)).not.toThrow();
    expect(renderCaptureSummary(summary).join("\n")).not.toContain("NaN");
    const capture = Capture.fromBuffer(readFileSync(path(name)), name);
    const theirs = tcpdumpLines(name).map((l) => l.slice(0, l.indexOf(" IP ")));
    expect(capture.packets().map((p) => formatSummaryLine(p).slice(0, formatSummaryLine(p).indexOf(" IP ")))).toEqual(theirs);
    expect(sorted(ours(summary.flows.all(), "TCP"))).toEqual(sorted(tsharkConversations(name, "TCP")));
  });
});

describe("item 4: a snaplen that cuts the TCP header keeps the ports", () => {
  it.each(["snap64.pcap", "snap68.pcap"])("%s: tshark's conversations, and tcpdump's endpoints for the cut headers", async (name) => {
    const { summary, error } = await summarise(name);
    expect(error).toBeUndefined();
    const flows = summary.flows.all();
    const mine = ours(flows, "TCP");
    for (const c of tsharkConversations(name, "TCP")) expect(mine).toContainEqual(c);
    // tcpdump prints "IP 127.0.0.1.42000 > 127.0.0.1.9000: tcp 0" and "IP6 ::1.43000 > ::1.9001:  [|tcp]".
    const pairs = new Set(tcpdumpLines(name).map((l) => {
      const m = / IP6? (\S+)\.(\d+) > (\S+)\.(\d+):/.exec(l)!;
      return [`${m[1]}:${m[2]}`, `${m[3]}:${m[4]}`].sort().join(" ");
    }));
    expect(new Set(mine.map((c) => c.ends.join(" ")))).toEqual(pairs);
    expect(flows.reduce((n, f) => n + f.packets, 0)).toBe(tcpdumpLines(name).length);
  });
});

describe("item 5: fragments belong to their datagram's flow", () => {
  const name = "fragments.pcap";

  it("no port-0 or id-less flows; the IP-level totals are tshark's", async () => {
    const { summary } = await summarise(name);
    const flows = summary.flows.all();
    for (const f of flows) {
      if (f.tuple.protocol === "udp" || f.tuple.protocol === "tcp") expect(f.tuple.srcPort * f.tuple.dstPort).not.toBe(0);
      if (f.tuple.protocol === "icmp") expect(f.tuple.srcPort).toBe(0x1234);
    }
    expect(summary.flows.fragmentsUnattributed).toBe(0);
    // Every frame between the two IPv4 hosts is in exactly one flow: the flows add up to tshark's IPv4 conversation.
    const v4 = flows.filter((f) => f.ipVersion === 4);
    const [ip4] = tsharkConversations(name, "IPv4");
    expect({ frames: v4.reduce((n, f) => n + f.packets, 0), bytes: v4.reduce((n, f) => n + f.bytes, 0) }).toEqual({ frames: ip4!.frames, bytes: ip4!.bytes });
    // tshark counts a reassembled datagram in its last frame; we count each fragment in the datagram's flow.
    const udp5000 = flows.filter((f) => f.tuple.srcPort === 5000 && f.tuple.dstPort === 6000);
    expect(udp5000.map((f) => [f.ipVersion, f.packets])).toEqual([[4, 3], [6, 3]]);
    expect(flows.find((f) => f.tuple.protocol === "icmp")?.packets).toBe(2);
    const lines = tcpdumpLines(name);
    expect(flows.reduce((n, f) => n + f.packets, 0)).toBe(lines.length);
    expect(sorted(ours(flows, "UDP")).filter((c) => c.ends[0].includes("5001"))).toEqual(sorted(tsharkConversations(name, "UDP")).filter((c) => c.ends[0].includes("5001")));
  });

  it("a later fragment seen before its first one joins the flow when the first arrives", () => {
    const capture = Capture.fromBuffer(readFileSync(path(name)), name);
    const order = [0, 3, 2, 1, 4, 5, 6, 7, 8, 9];
    const s = new CaptureSummarizer("reordered");
    for (const i of order) s.add(capture.records[i]!);
    const flow = s.summary.flows.find({ srcPort: 5000, dstPort: 6000 }).find((f) => f.ipVersion === 4);
    expect(flow?.packets).toBe(3);
    expect(s.summary.flows.fragmentsUnattributed).toBe(0);
  });
});

describe("item 6: flows with the same first payload pair with their own partner", () => {
  it("a capture paired with itself pairs every flow with itself", () => {
    const c = Capture.fromBuffer(readFileSync(path("same-payload.pcap")));
    const pairs = matchNatPairs(c.summary, c.summary);
    expect(pairs).toHaveLength(tsharkConversations("same-payload.pcap", "UDP").length);
    for (const p of pairs) {
      expect(p.b).toEqual(p.a);
      expect(p.rewrite).toBe("none");
    }
  });
});

describe("decoded packet lines never carry NaN", () => {
  it("one line per packet for every oracle capture", () => {
    for (const name of ["fragments.pcap", "snap64.pcap", "ts-offset.pcapng"]) {
      const c = Capture.fromBuffer(readFileSync(path(name)), name);
      for (const r of c.records) expect(formatSummaryLine(decodePacket(r))).not.toMatch(/NaN|undefined/);
    }
  });
});
