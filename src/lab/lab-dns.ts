import { createSocket, type Socket } from "node:dgram";
import { buildAnswer, parseQuestion } from "./dns-wire.js";

export interface DnsQueryLog {
  at: string;
  from: string;
  name: string;
  type: number;
  answered: string[] | "NXDOMAIN";
}

/**
 * The lab's own DNS upstream. Every container netcheck starts points its
 * resolver here (the host's resolver is off this machine, so no query may leave):
 * names in the lab zone get their lab address, everything else NXDOMAIN, and
 * every query is logged as evidence.
 */
export class LabDns implements AsyncDisposable {
  readonly log: DnsQueryLog[] = [];
  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly zone: Map<string, string[]>,
  ) {}

  private onQuery?: (q: DnsQueryLog) => void;

  static async start(address: string, zone: Record<string, string[]>, port = 53, onQuery?: (q: DnsQueryLog) => void): Promise<LabDns> {
    const socket = createSocket({ type: address.includes(":") ? "udp6" : "udp4", reuseAddr: false });
    const server = new LabDns(socket, address, new Map(Object.entries(zone).map(([k, v]) => [k.toLowerCase(), v])));
    server.onQuery = onQuery;
    socket.on("message", (msg, rinfo) => server.answer(msg, rinfo.address, rinfo.port));
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, address, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    socket.on("error", () => undefined);
    // In-process (tests): never keep the process alive. As its own process (lab-dns-main), the socket is the process.
    if (!onQuery) socket.unref();
    return server;
  }

  setRecord(name: string, addresses: string[]): void {
    this.zone.set(name.toLowerCase(), addresses);
  }

  private answer(msg: Buffer, from: string, port: number): void {
    const q = parseQuestion(msg);
    if (!q) return;
    const addresses = this.zone.get(q.name);
    const entry: DnsQueryLog = { at: new Date().toISOString(), from, name: q.name, type: q.type, answered: addresses ?? "NXDOMAIN" };
    this.log.push(entry);
    this.onQuery?.(entry);
    if (this.log.length > 10_000) this.log.splice(0, 5_000);
    this.socket.send(buildAnswer(msg, q, addresses), port, from);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
