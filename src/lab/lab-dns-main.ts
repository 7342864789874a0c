/**
 * The lab DNS as its own process, started inside the external host's network
 * namespace (`ip netns exec <ns> node lab-dns-main.js …`), where a real
 * upstream resolver would be: container queries then cross the host's FORWARD
 * chain and NAT like real DNS traffic does, so a firewall that drops forwarded
 * DNS is seen. Arguments: --listen <address> [--listen6 <address>] --zone <json> --log <file>.
 */
import { appendFileSync } from "node:fs";
import { LabDns, type DnsQueryLog } from "./lab-dns.js";

const arg = (name: string): string => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) {
    console.error(`lab-dns: missing ${name}`);
    process.exit(2);
  }
  return v;
};

const listen = arg("--listen");
const zone = JSON.parse(arg("--zone")) as Record<string, string[]>;
const log = arg("--log");
const onQuery = (q: DnsQueryLog) => appendFileSync(log, `${JSON.stringify(q)}\n`);
const i6 = process.argv.indexOf("--listen6");
const listen6 = i6 >= 0 ? process.argv[i6 + 1] : undefined;
const dns = await LabDns.start(listen, zone, 53, onQuery);
// The v6 socket answers the same zone (AAAA from the lab DNS over IPv6 too).
const dns6 = listen6 ? await LabDns.start(listen6, zone, 53, onQuery) : undefined;
appendFileSync(log, `listening on ${dns.address}:53${dns6 ? ` and [${dns6.address}]:53` : ""}\n`);
// Kept alive by its socket (ref'd here); stopped with SIGTERM/SIGKILL by the run's cleanup, or with the namespace by `netcheck clean`.
process.on("SIGTERM", () => void Promise.all([dns[Symbol.asyncDispose](), dns6?.[Symbol.asyncDispose]()]).finally(() => process.exit(0)));
