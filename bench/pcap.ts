// npm run bench:pcap [-- --gb] — two races on one generated capture (mixed IPv4/IPv6 TCP/UDP/ICMP;
// ~150 MB and 1.1M packets by default, ~1 GB with --gb to show peak RSS does not grow with the file):
//  (a) `netcheck pcap --packets` vs `TZ=UTC tcpdump -nn -q -r`: the same work, one line per packet, to /dev/null;
//  (b) `netcheck pcap` (flow summary) vs `tshark -q -z conv,tcp -z conv,udp`.
// Runs alternate between the two sides. Wall time is the whole process (start-up included), peak RSS
// is GNU time's. The last line is `ratio=<(a): our packets/s ÷ tcpdump packets/s>`.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GB = process.argv.includes("--gb");
const PACKETS = Number(process.env.BENCH_PCAP_PACKETS ?? (GB ? 7_000_000 : 1_100_000));
const ROUNDS = Number(process.env.BENCH_PCAP_ROUNDS ?? (GB ? 1 : 2));
// tshark keeps state for every packet: on the 1 GB file it needs minutes and gigabytes, so it races only when asked.
const TSHARK = process.env.BENCH_PCAP_TSHARK === "1" || !GB;

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

interface Run {
  seconds: number;
  /** Peak resident set of the process, MiB (GNU time's %M). */
  rssMiB: number;
}

/** Run a command with stdout to /dev/null under GNU time: wall seconds (ours, hrtime) and peak RSS. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const rusage = join(dir, "rusage");
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-o", rusage, "-f", "%M", cmd, ...args], { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  return { seconds, rssMiB: Number(readFileSync(rusage, "utf8").trim().split("\n").pop()) / 1024 };
}

/** Lines a command prints (one per packet for tcpdump -q and --packets): counted, not assumed. */
function countLines(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync("sh", ["-c", `"$@" | wc -l`, "sh", cmd, ...args], { env, stdio: ["ignore", "pipe", "ignore"] });
  return Number(r.stdout.toString().trim());
}

const UTC = { ...process.env, TZ: "UTC" };
// The CLI as users run it, transpiled once by tsx at start-up (counted in our time).
const NODE = [process.execPath, "--import", "tsx", new URL("./pcap-cli.ts", import.meta.url).pathname];
const ours = (what: string[]) => timed(NODE[0]!, [...NODE.slice(1), "pcap", ...what]);

function hasTshark(): boolean {
  return spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const rate = (packets: number, r: Run) => `${Math.round(packets / r.seconds).toLocaleString("en-US")} packets/s (${r.seconds.toFixed(2)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB)`;

const dir = mkdtempSync(join(tmpdir(), "netcheck-bench-pcap-"));
try {
  const file = join(dir, "bench.pcap");
  generate(file);
  const mb = statSync(file).size / 1e6;
  console.log(`capture: ${PACKETS} packets, ${mb.toFixed(1)} MB (${GB ? "--gb" : "default; --gb for ~1 GB"}), ${ROUNDS} rounds, races alternate`);
  const ourLines = countLines(NODE[0]!, [...NODE.slice(1), "pcap", "--packets", file]);
  const theirLines = countLines("tcpdump", ["-nn", "-q", "-r", file], UTC);
  if (ourLines !== PACKETS || theirLines !== PACKETS) throw new Error(`packets written ${PACKETS}, netcheck printed ${ourLines} lines, tcpdump ${theirLines}`);
  console.log(`packets counted: netcheck --packets ${ourLines} lines, tcpdump -nn -q ${theirLines} lines`);
  const tshark = TSHARK && hasTshark();
  const a: { ours: Run[]; tcpdump: Run[] } = { ours: [], tcpdump: [] };
  const b: { ours: Run[]; tshark: Run[] } = { ours: [], tshark: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so neither always gets the warmer cache.
    const first = round % 2 === 0;
    // TZ=UTC: without it glibc stats /etc/localtime for every packet and tcpdump runs 3-5x slower.
    const raceA = [() => a.ours.push(ours(["--packets", file])), () => a.tcpdump.push(timed("tcpdump", ["-nn", "-q", "-r", file], UTC))];
    const raceB = [() => b.ours.push(ours([file])), () => (tshark ? b.tshark.push(timed("tshark", ["-q", "-z", "conv,tcp", "-z", "conv,udp", "-r", file])) : 0)];
    for (const run of first ? raceA : raceA.slice().reverse()) run();
    for (const run of first ? raceB : raceB.slice().reverse()) run();
  }
  const ao = best(a.ours);
  const at = best(a.tcpdump);
  console.log("(a) one line per packet, to /dev/null (best of each):");
  console.log(`  netcheck pcap --packets:  ${rate(PACKETS, ao)}`);
  console.log(`  TZ=UTC tcpdump -nn -q -r: ${rate(PACKETS, at)}`);
  console.log("(b) flow summary:");
  console.log(`  netcheck pcap:            ${rate(PACKETS, best(b.ours))}`);
  if (tshark) {
    const bt = best(b.tshark);
    console.log(`  tshark -q -z conv,tcp -z conv,udp: ${rate(PACKETS, bt)}`);
    console.log(`  ratio (b) = ${(bt.seconds / best(b.ours).seconds).toFixed(2)}`);
  } else if (!TSHARK) console.log("  tshark: left out with --gb (BENCH_PCAP_TSHARK=1 to race it anyway)");
  else console.log("  tshark: not installed and could not be installed (apt-get install tshark); race (b) has no opponent");
  console.log(`peak RSS, netcheck: --packets ${Math.max(...a.ours.map((r) => r.rssMiB)).toFixed(0)} MiB, summary ${Math.max(...b.ours.map((r) => r.rssMiB)).toFixed(0)} MiB`);
  console.log(`ratio=${(at.seconds / ao.seconds).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
