import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { Engine } from "../../engine/engine.js";
import { explainLive } from "../../explain-gather/live.js";
import { renderExplanation } from "../../explain/render.js";
import { LocalHost } from "../../host/local-host.js";
import { UsageError } from "../../util/errors.js";

const usage = `Usage: netcheck explain <container|ip> <container|ip>[:port] [--proto tcp|udp|icmp] [--json]

Probe one flow from the source container's network namespace (joined with nsenter
from this host: nothing is installed in or changed about your containers), read
every netfilter counter before and after it, the routes, sysctls and the flow's
conntrack entries, and say why the packets did or did not get through.
Only the probe's own packets are sent, only to the named target.

  --proto   icmp (default without a port) or tcp (default with one), or udp
  --json    the explanation and every fact gathered, as JSON`;

const command: Command = {
  name: "explain",
  usage,
  async check(args) {
    parseExplain(args);
  },
  async run(args, io) {
    const o = parseExplain(args);
    const r = await explainLive({ engine: Engine.fromEnv("local"), host: new LocalHost("local"), ...o, signal: io.signal });
    if (o.json) io.stdout.write(`${JSON.stringify({ schemaVersion: 1, flow: r.flow, explanation: r.explanation, facts: r.facts }, null, 2)}\n`);
    else io.stdout.write(`${renderExplanation(r.explanation, r.flow)}\n`);
    return r.explanation.kind === "delivered" ? 0 : 1;
  },
};

function parseExplain(args: string[]): { from: string; to: string; port?: number; proto: "tcp" | "udp" | "icmp"; json: boolean } {
  const { values, positionals } = parse("explain", args, { proto: { type: "string" }, json: { type: "boolean" } });
  if (positionals.length !== 2) throw new UsageError("explain: give a source and a target: netcheck explain <container|ip> <container|ip>[:port]", { hint: usage.split("\n")[0] });
  const [from, target] = positionals as [string, string];
  const m = /^(.*):(\d+)$/.exec(target);
  const port = m ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new UsageError(`explain: port ${port} is out of range (1-65535)`);
  const proto = values.proto ?? (port !== undefined ? "tcp" : "icmp");
  if (proto !== "tcp" && proto !== "udp" && proto !== "icmp") throw new UsageError(`explain: --proto must be tcp, udp or icmp, not "${proto}"`);
  if (proto !== "icmp" && port === undefined) throw new UsageError(`explain: --proto ${proto} needs a port: ${target}:<port>`);
  return { from, to: m ? m[1]! : target, ...(port !== undefined ? { port } : {}), proto, json: values.json === true };
}

export default command;
