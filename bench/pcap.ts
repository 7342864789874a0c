// npm run bench:pcap — our reader + decoders + flow table against `tcpdump -nn -q -r`
// on a generated capture (>= 100 MB, >= 1M packets, mixed IPv4/IPv6 TCP/UDP/ICMP).
// The last line is `ratio=<our packets/s ÷ tcpdump packets/s>`.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CaptureSummarizer, readPcapFileBatches } from "../src/pcap/index.js";

const PACKETS = Number(process.env.BENCH_PCAP_PACKETS ?? 1_100_000);

/** Deterministic xorshift so every run decodes the same file. */
let seed = 0x2545f491;
const rand = (n: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

function frame(out: Buffer, o: number, i: number): number {
  const kind = rand(100);
  const v6 = kind >= 75;
  const proto = kind < 40 || (kind >= 75 && kind < 90) ? 6 : kind < 65 || kind >= 90 ? 17 : 1;
  const flow = rand(5000);
  const payload = rand(140);
  const l4 = proto === 6 ? 20 : 8;
  const ipLen = (v6 ? 40 : 20) + l4 + payload;
  out.fill(0, o, o + 14 + ipLen);
  out[o] = 2;
  out[o + 6] = 2;
  out.writeUInt16BE(v6 ? 0x86dd : 0x0800, o + 12);
  let p = o + 14;
  if (v6) {
    out[p] = 0x60;
    out.writeUInt16BE(l4 + payload, p + 4);
    out[p + 6] = proto === 1 ? 58 : proto;
    out[p + 7] = 64;
    out.writeUInt32BE(0xfd000000, p + 8);
    out.writeUInt32BE(flow, p + 20);
    out.writeUInt32BE(0xfd000000, p + 24);
    out.writeUInt32BE(1, p + 36);
    p += 40;
  } else {
    out[p] = 0x45;
    out.writeUInt16BE(ipLen, p + 2);
    out[p + 8] = 64;
    out[p + 9] = proto;
    out.writeUInt32BE(0x0a000000 | flow, p + 12);
    out.writeUInt32BE(0x0a640001, p + 16);
    p += 20;
  }
  const reply = (i & 1) === 1;
  if (proto === 1) {
    out[p] = v6 ? (reply ? 129 : 128) : reply ? 0 : 8;
    out.writeUInt16BE(flow, p + 4);
    out.writeUInt16BE(i & 0xffff, p + 6);
  } else {
    out.writeUInt16BE(reply ? 80 : 20000 + flow, p);
    out.writeUInt16BE(reply ? 20000 + flow : 80, p + 2);
    if (proto === 6) {
      out.writeUInt32BE(i >>> 0, p + 4);
      out[p + 12] = 0x50;
      out[p + 13] = i % 97 === 0 ? 0x02 : 0x18;
    } else out.writeUInt16BE(8 + payload, p + 4);
  }
  return 14 + ipLen;
}

function generate(path: string): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(8 << 20);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  let o = 0;
  for (let i = 0; i < PACKETS; i++) {
    if (o + 16 + 300 > chunk.length) {
      writeSync(fd, chunk, 0, o);
      o = 0;
    }
    const len = frame(chunk, o + 16, i);
    chunk.writeUInt32LE(1_700_000_000 + Math.floor(i / 10_000), o);
    chunk.writeUInt32LE((i % 10_000) * 100, o + 4);
    chunk.writeUInt32LE(len, o + 8);
    chunk.writeUInt32LE(len, o + 12);
    o += 16 + len;
  }
  writeSync(fd, chunk, 0, o);
  closeSync(fd);
}

async function ours(path: string): Promise<{ packets: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const s = new CaptureSummarizer(path, { maxFlows: 1_000_000 });
  for await (const batch of readPcapFileBatches(path)) for (let i = 0; i < batch.length; i++) s.add(batch[i]!);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (s.summary.flows.size < 1000) throw new Error(`only ${s.summary.flows.size} flows decoded: the decoder is not doing its job`);
  return { packets: s.summary.packets, seconds };
}

function tcpdump(path: string): { packets: number; seconds: number } {
  const t0 = process.hrtime.bigint();
  // TZ=UTC: without it glibc stats /etc/localtime for every packet and tcpdump runs 3-5x slower.
  const r = spawnSync("tcpdump", ["-nn", "-q", "-r", path], { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "ignore", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr.toString()}`);
  return { packets: PACKETS, seconds };
}

const dir = mkdtempSync(join(tmpdir(), "netcheck-bench-pcap-"));
try {
  const file = join(dir, "bench.pcap");
  generate(file);
  const mb = statSync(file).size / 1e6;
  console.log(`capture: ${PACKETS} packets, ${mb.toFixed(1)} MB`);
  // Best of two each: the first run warms the page cache and the JIT.
  const a = [await ours(file), await ours(file)].sort((x, y) => x.seconds - y.seconds)[0]!;
  if (a.packets !== PACKETS) throw new Error(`decoded ${a.packets} packets, wrote ${PACKETS}`);
  const b = [tcpdump(file), tcpdump(file)].sort((x, y) => x.seconds - y.seconds)[0]!;
  const ourRate = a.packets / a.seconds;
  const theirRate = b.packets / b.seconds;
  console.log(`netcheck pcap: ${Math.round(ourRate)} packets/s (${a.seconds.toFixed(2)} s)`);
  console.log(`tcpdump -nn -q: ${Math.round(theirRate)} packets/s (${b.seconds.toFixed(2)} s)`);
  console.log(`ratio=${(ourRate / theirRate).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
