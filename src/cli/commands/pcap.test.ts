import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ORACLE_DIR, tcpdumpLines } from "../../../test/fixtures/pcap/oracle/answers.js";
import pcap from "./pcap.js";

export async function runPcap(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
