import { startBackground, type BackgroundProcess } from "../host/background.js";
import type { Host } from "../host/host.js";
import { CaptureError } from "./errors.js";
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
  const startS = (o.startTimeoutMs ?? 8000) / 1000;
  const waited = await proc.waitForLog("listening on", o.startTimeoutMs ?? 8000);
  const log = parseTcpdumpLog(waited.log);
  if (!log.listening) {
    if (!waited.running) throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) exited before listening: ${log.error ?? "no output"}`);
    await proc.stop({ signal: "TERM", graceMs: 1000 });
    throw new CaptureError(`tcpdump on ${host.name} (${o.iface}) did not report "listening on" within ${startS}s`);
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

