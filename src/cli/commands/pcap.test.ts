import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { classicPcap, ethernet, ipv4, udp } from "../../../test/fixtures/pcap/craft.js";
import { ORACLE_DIR, tcpdumpLines, tsharkConversations } from "../../../test/fixtures/pcap/oracle/answers.js";
import type { PcapReportJson } from "../../pcap/index.js";
import pcap from "./pcap.js";

async function runPcap(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on("data", (b: Buffer) => o.push(b));
  err.on("data", (b: Buffer) => e.push(b));
  const code = await pcap.run(args, { stdout: out, stderr: err, signal: new AbortController().signal, argv: ["pcap", ...args] });
  out.end();
  err.end();
  return { code, stdout: Buffer.concat(o).toString(), stderr: Buffer.concat(e).toString() };
}

describe("netcheck pcap on a damaged file", () => {
  it("summarises every good packet, names the offset and the damage, exits 2", async () => {
    const r = await runPcap([ORACLE_DIR + "corrupt-mid.pcap"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`: ${tcpdumpLines("corrupt-mid.pcap").length} packets`);
    expect(r.stderr).toMatch(/corrupt at byte 3144 \(after 40 good records\): record length 4294963200 exceeds the 262144-byte limit/);
  });

  it("exits 0 on a valid pcapng with a large secrets block and on out-of-range timestamps", async () => {
    for (const f of ["dsb.pcapng", "ts-offset.pcapng", "ts-resol0.pcapng"]) {
      const r = await runPcap([ORACLE_DIR + f]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(": 5 packets");
    }
  });
});

describe("netcheck pcap --json, VLAN ids, gzip, both VXLAN layers (item 7)", () => {
  const layers = ORACLE_DIR + "layers.pcap";

  it("counts each protocol in the frames that carry it at any layer, as tshark -Y does", async () => {
    const r = await runPcap([layers, "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PcapReportJson;
    expect(doc.version).toBe(1);
    const [c] = doc.captures;
    const theirs = Object.fromEntries(readFileSync(ORACLE_DIR + "layers.pcap.frames-with.txt", "utf8").trim().split("\n").map((l) => l.split(" ")).map(([p, n]) => [p === "ip" ? "ipv4" : p, Number(n)]));
    for (const [proto, n] of Object.entries(theirs)) expect({ proto, n: c!.protocols[proto as keyof typeof c.protocols] }).toEqual({ proto, n });
  });

  it("lists VLAN tag stacks as tshark reads them (802.1ad id, then 802.1Q id)", async () => {
    const doc = JSON.parse((await runPcap([layers, "--json"])).stdout) as PcapReportJson;
    const stacks = new Map<string, number>();
    for (const line of readFileSync(ORACLE_DIR + "layers.pcap.vlans.txt", "utf8").split("\n")) {
      const ids = line.split("\t").filter(Boolean);
      if (ids.length > 0) stacks.set(ids.join("/"), (stacks.get(ids.join("/")) ?? 0) + 1);
    }
    expect(new Map(doc.captures[0]!.vlans.map((v) => [v.ids.join("/"), v.packets]))).toEqual(stacks);
    const text = (await runPcap([layers])).stdout;
    expect(text).toContain("vlan ids: 100 ×2, 20/297 ×1");
    expect(text).toMatch(/udp 10\.1\.0\.1:3000 > 10\.1\.0\.2:3001 vlan 100:/);
  });

  it("JSON flows: tshark's TCP and UDP conversations, overlay and underlay alike", async () => {
    const doc = JSON.parse((await runPcap([layers, "--json"])).stdout) as PcapReportJson;
    for (const kind of ["TCP", "UDP"] as const) {
      const mine = doc.captures[0]!.flows.filter((f) => f.protocol === kind.toLowerCase()).map((f) => ({ ends: [`${f.src}:${f.srcPort}`, `${f.dst}:${f.dstPort}`].sort(), frames: f.packets, bytes: f.bytes }));
      expect(mine.sort((a, b) => a.ends.join().localeCompare(b.ends.join()))).toEqual(tsharkConversations("layers.pcap", kind).sort((a, b) => a.ends.join().localeCompare(b.ends.join())));
    }
  });

  it("reads a gzip-compressed capture like tshark does", async () => {
    const doc = JSON.parse((await runPcap([ORACLE_DIR + "layers.pcap.gz", "--json"])).stdout) as PcapReportJson;
    const tcp = doc.captures[0]!.flows.filter((f) => f.protocol === "tcp").map((f) => [`${f.src}:${f.srcPort}`, `${f.dst}:${f.dstPort}`].sort().join(" "));
    expect(tcp.sort()).toEqual(tsharkConversations("layers.pcap.gz", "TCP").map((c) => c.ends.join(" ")).sort());
    expect(doc.captures[0]!.packets).toBe(5);
  });

  it("a cut gzip file: the packets inflated before the cut, an error, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-pcap-gz-"));
    try {
      const frames = Array.from({ length: 2000 }, (_, i) => ({ data: ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000 + (i % 7), 53, randomBytes(64)))) }));
      const gz = gzipSync(classicPcap(frames));
      const cut = join(dir, "cut.pcap.gz");
      writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
      const r = await runPcap([cut, "--json"]);
      expect(r.code).toBe(2);
      const c = (JSON.parse(r.stdout) as PcapReportJson).captures[0]!;
      expect(c.complete).toBe(false);
      expect(c.packets).toBeGreaterThan(500);
      expect(c.packets).toBeLessThan(2000);
      expect(c.error?.code).toMatch(/NETCHECK_PCAP_/);
      expect(c.error?.message).toContain("(gunzipped)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("netcheck pcap --packets", () => {
  it("prints tcpdump -nn -q's lines, then the damage and exit 2", async () => {
    const r = await runPcap(["--packets", ORACLE_DIR + "corrupt-mid.pcap"]);
    expect(r.code).toBe(2);
    expect(r.stdout.split("\n").slice(0, -1)).toEqual(tcpdumpLines("corrupt-mid.pcap"));
    expect(r.stderr).toContain("corrupt at byte 3144");
  });
});

describe("netcheck pcap on IPv6 NAT captures (daemon/ip6tables, recorded on this machine)", () => {
  const fixture = (name: string) => new URL(`../../../test/fixtures/pcap/${name}`, import.meta.url).pathname;
  it("prints the v6 flow at both ends: the container's own source inside, the host's v6 address outside, same ports", async () => {
    const inside = await runPcap([fixture("nat6-egress-client.pcap")]);
    const outside = await runPcap([fixture("nat6-egress-external.pcap")]);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain("protocols: ipv6 12, tcp 12");
    expect(inside.stdout).toContain("tcp [fd6e:12c2:f07e:4:0:242:ad5:c002]:55800 > [fd6e:12c2:f07e::2]:37938: 7+5 packets");
    expect(outside.stdout).toContain("tcp [fd6e:12c2:f07e:1::2]:55800 > [fd6e:12c2:f07e::2]:37938: 7+5 packets");
  });
});
