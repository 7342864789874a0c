import { startBackground, type BackgroundProcess } from "../host/background.js";
import type { Host } from "../host/host.js";
import { CaptureError } from "./errors.js";
import { sleep } from "../util/abort.js";
import { parseTcpdumpLog, tcpdumpCommand, type TcpdumpLog, type TcpdumpOptions } from "./tcpdump.js";

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
  const exited = async () => !(await proc.running());
  const deadline = Date.now() + (o.startTimeoutMs ?? 8000);
  for (;;) {
    const log = parseTcpdumpLog(await proc.log());
    if (log.listening) break;
    if (await exited()) {
      // Read the log again: it may have written its last words between the read above and its exit.
      const last = parseTcpdumpLog(await proc.log());
      if (last.listening) break;
      throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) exited before listening: ${last.error ?? "no output"}`);
    }
    if (Date.now() > deadline) {
      await host.exec(["kill", "-KILL", String(proc.pid)], { timeoutMs: 5000 });
      throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) did not report "listening on" within ${(o.startTimeoutMs ?? 8000) / 1000}s`);
    }
    await sleep(30);
  }
  let stopping: Promise<TcpdumpLog> | undefined;
  const stop = async (): Promise<TcpdumpLog> => {
    // SIGINT makes tcpdump flush, print its statistics and close the file.
    const how = await proc.stop({ signal: "INT", graceMs: 5000 });
    const log = parseTcpdumpLog(await proc.log());
    return how === "exited" ? log : { ...log, error: "tcpdump did not exit within 5s of SIGINT and was killed; the file may miss its last packets" };
  };
  return { proc, stop: () => (stopping ??= stop()) };
}

