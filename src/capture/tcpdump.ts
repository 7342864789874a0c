/**
 * The tcpdump command line and what its log says. Pure, so the parts that
 * decide "is the capture really listening" and "how many packets did it keep"
 * are unit-tested without a capture.
 */
export interface TcpdumpOptions {
  iface: string;
  /** Path of the pcap on the machine tcpdump runs on. */
  file: string;
  /** A pcap-filter expression; empty = everything on the interface. */
  filter?: string;
  /** Hard upper bound on its life: `timeout` kills it even if netcheck dies. */
  maxSeconds: number;
}

export function tcpdumpCommand(o: TcpdumpOptions): string[] {
  if (!Number.isInteger(o.maxSeconds) || o.maxSeconds <= 0) throw new Error(`capture lifetime must be a positive whole number of seconds, not ${o.maxSeconds}`);
  return [
    "timeout",
    String(o.maxSeconds),
    "tcpdump",
    // -Z root: Debian's tcpdump drops to user "tcpdump", which cannot write into a root-owned report folder.
    "-Z",
    "root",
    "-i",
    o.iface,
    "-n",
    // Packets reach the file one by one (-U) and without batching delay, so a
    // stop right after the traffic loses nothing.
    "--immediate-mode",
    "-U",
    "-s",
    "262144",
    "-w",
    o.file,
    ...(o.filter ? [o.filter] : []),
  ];
}

export interface TcpdumpLog {
  /** tcpdump printed "listening on …": the socket is open and filtered. */
  listening: boolean;
  /** From the exit statistics, when it has exited. */
  captured?: number;
  droppedByKernel?: number;
  /** The first line that looks like an error ("tcpdump: eth9: No such device exists"). */
  error?: string;
}

export function parseTcpdumpLog(text: string): TcpdumpLog {
  const listening = /^tcpdump: listening on /m.test(text) || /^listening on /m.test(text);
  const captured = /^(\d+) packets? captured/m.exec(text)?.[1];
  const dropped = /^(\d+) packets? dropped by kernel/m.exec(text)?.[1];
  const error = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !/listening on|packets? (captured|received|dropped)|^tcpdump: verbose output suppressed/.test(l));
  return {
    listening,
    ...(captured !== undefined ? { captured: Number(captured) } : {}),
    ...(dropped !== undefined ? { droppedByKernel: Number(dropped) } : {}),
    ...(error ? { error } : {}),
  };
}
