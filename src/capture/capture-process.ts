import { startBackground, type BackgroundProcess } from "../host/background.js";
import type { Host } from "../host/host.js";
import { CaptureError } from "./errors.js";
import { parseTcpdumpLog, processExited, tcpdumpCommand, type TcpdumpLog, type TcpdumpOptions } from "./tcpdump.js";

export interface TcpdumpProcess {
  proc: BackgroundProcess;
  /** Signal it, wait for it to exit (its file is then complete), return its log. Idempotent. */
  stop(): Promise<TcpdumpLog>;
}

/**
 * Start tcpdump on a Host and return only once it says "listening on": packets
 * sent after this resolves are in the file. A tcpdump that exits first
 * (no such device, bad filter) is reported with its own words.
 */
export async function startTcpdump(host: Host, o: TcpdumpOptions & { logFile: string; signal?: AbortSignal; startTimeoutMs?: number }): Promise<TcpdumpProcess> {
  const proc = await startBackground(host, tcpdumpCommand(o), { logFile: o.logFile, abort: o.signal });
  const exited = async () => processExited((await host.exec(["cat", `/proc/${proc.pid}/stat`], { timeoutMs: 5000 })).stdout);
  const deadline = Date.now() + (o.startTimeoutMs ?? 8000);
  for (;;) {
    const log = parseTcpdumpLog(await proc.log());
    if (log.listening) break;
    if (await exited()) throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) exited before listening: ${log.error ?? "no output"}`);
    if (Date.now() > deadline) {
      await host.exec(["kill", "-KILL", String(proc.pid)], { timeoutMs: 5000 });
      throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) did not report "listening on" within ${(o.startTimeoutMs ?? 8000) / 1000}s`);
    }
    await sleep(30);
  }
  let stopping: Promise<TcpdumpLog> | undefined;
  const stop = async (): Promise<TcpdumpLog> => {
    // SIGINT makes tcpdump flush, print its statistics and close the file.
    await host.exec(["kill", "-INT", String(proc.pid)], { timeoutMs: 5000 });
    // Not BackgroundProcess.stop(): `kill -0` succeeds on a zombie, and nothing
    // reaps orphans here (container PID 1 is sleep), so read the process state.
    for (let waited = 0; waited < 5000; waited += 50) {
      if (await exited()) return parseTcpdumpLog(await proc.log());
      await sleep(50);
    }
    await host.exec(["kill", "-KILL", String(proc.pid)], { timeoutMs: 5000 });
    return { ...parseTcpdumpLog(await proc.log()), error: "tcpdump did not exit within 5s of SIGINT and was killed; the file may miss its last packets" };
  };
  return { proc, stop: () => (stopping ??= stop()) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
