import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { startBackground } from "../../host/background.js";
import type { Host } from "../../host/host.js";
import { Capture, formatSummaryLine, type Packet } from "../../pcap/index.js";
import type { PacketsEvidence } from "../../report/model.js";

export interface TrunkCapture<T> {
  value: T;
  capture: Capture;
  /** Relative to the report folder. */
  file: string;
  evidence(packets: Packet[], label: string): PacketsEvidence;
}

/**
 * tcpdump on a lab host's link while `action` runs, the pcap copied into the
 * report folder (base64 over the command channel: ExecResult is text) and
 * decoded with src/pcap. tcpdump runs under `timeout` so a killed run cannot
 * orphan it.
 */
export async function captureDuring<T>(
  shell: Host,
  opts: { iface: string; filter: string; reportDir: string; file: string; signal?: AbortSignal },
  action: () => Promise<T>,
): Promise<TrunkCapture<T>> {
  const remote = `/tmp/netcheck-cap-${process.pid}-${Date.now()}.pcap`;
  const proc = await startBackground(shell, ["timeout", "120", "tcpdump", "-U", "-n", "-s", "256", "-i", opts.iface, "-w", remote, opts.filter], {
    logFile: `${remote}.log`,
    abort: opts.signal,
  });
  let value: T;
  try {
    for (let i = 0; i < 100 && !/listening on/.test(await proc.log()); i++) await new Promise((r) => setTimeout(r, 100));
    value = await action();
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await proc.stop({ signal: "INT", graceMs: 3000 });
  }
  const b64 = await shell.exec(["base64", "-w0", remote], { timeoutMs: 30_000 });
  await shell.exec(["rm", "-f", remote, `${remote}.log`], { timeoutMs: 10_000 });
  if (b64.exitCode !== 0) throw new Error(`capture on ${shell.name} ${opts.iface} produced no file: ${b64.stderr.trim()}`);
  const data = Buffer.from(b64.stdout.trim(), "base64");
  const path = join(opts.reportDir, opts.file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  const capture = Capture.fromBuffer(data, opts.file);
  return {
    value: value!,
    capture,
    file: opts.file,
    evidence: (packets, label) => ({ kind: "packets", capture: label, file: opts.file, lines: packets.slice(0, 12).map((p) => formatSummaryLine(p)), total: packets.length }),
  };
}
