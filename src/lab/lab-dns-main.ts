/**
 * The lab DNS as its own process, started inside the external host's network
 * namespace (`ip netns exec <ns> node lab-dns-main.js …`), where a real
 * upstream resolver would be: container queries then cross the host's FORWARD
 * chain and NAT like real DNS traffic does, so a firewall that drops forwarded
 * DNS is seen. Arguments: --listen <address> --zone <json> --log <file>.
 */
import { appendFileSync } from "node:fs";
import { LabDns } from "./lab-dns.js";

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
const dns = await LabDns.start(listen, zone, 53, (q) => appendFileSync(log, `${JSON.stringify(q)}\n`));
appendFileSync(log, `listening on ${dns.address}:53\n`);
// Kept alive by its socket (ref'd here); stopped with SIGTERM/SIGKILL by the run's cleanup, or with the namespace by `netcheck clean`.
process.on("SIGTERM", () => void dns[Symbol.asyncDispose]().finally(() => process.exit(0)));
