import { parseArgs } from "node:util";
import type { Command, CommandIO } from "../command.js";
import { errorMessage } from "../../util/errors.js";
import {
  CaptureSummarizer,
  PcapError,
  matchNatPairs,
  readPcapFileBatches,
  renderCaptureSummary,
  renderNatPairs,
  type CaptureSummary,
} from "../../pcap/index.js";

const USAGE = `Usage: netcheck pcap <file> [<file2>] [--token <text>]... [--top <n>] [--max-flows <n>]

Summarise a pcap or pcapng capture: packet count, time span, link types,
protocols and the largest flows. With two captures of the same traffic (for
example one outside a published port and one on the container's bridge), also
pair each conversation across the two and say what NAT rewrote. Pairs are
matched by --token (bytes the conversation carried), else by TCP initial
sequence numbers, else by the first payload of a flow.

Files are streamed: memory grows with the number of flows, not the file size.

Options:
  --token <text>     payload marker to look for (repeatable)
  --top <n>          flows to list per capture (default 10)
  --max-flows <n>    stop tracking new flows after n (default 200000)

Exit codes: 0 read completely; 2 a file is missing, not a capture, corrupt
or truncated (what was read before the problem is still summarised).`;

const command: Command = {
  name: "pcap",
  summary: "Summarise captures and show NAT pairs between two captures",
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { token: { type: "string", multiple: true }, top: { type: "string" }, "max-flows": { type: "string" }, help: { type: "boolean", short: "h" } },
      });
    } catch (err) {
      io.stderr.write(`${errorMessage(err)}\n\n${USAGE}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const top = Number(values.top ?? 10);
    const maxFlows = Number(values["max-flows"] ?? 200_000);
    if (positionals.length < 1 || positionals.length > 2 || !Number.isInteger(top) || top < 0 || !Number.isInteger(maxFlows) || maxFlows < 1) {
      io.stderr.write(`netcheck pcap takes one or two capture files and numeric --top/--max-flows.\n\n${USAGE}\n`);
      return 2;
    }
    let status = 0;
    const summaries: CaptureSummary[] = [];
    for (const file of positionals) {
      const s = new CaptureSummarizer(file, { maxFlows, tokens: values.token ?? [] });
      try {
        for await (const batch of readPcapFileBatches(file, { signal: io.signal })) for (const r of batch) s.add(r);
      } catch (err) {
        if (!(err instanceof PcapError)) throw err;
        io.stderr.write(`${err.describe()}\n`);
        status = 2;
        if (err.recordsRead === 0) continue;
      }
      summaries.push(s.summary);
      io.stdout.write(`${renderCaptureSummary(s.summary, { top }).join("\n")}\n`);
    }
    const [a, b] = summaries;
    if (a && b) io.stdout.write(`\n${renderNatPairs(matchNatPairs(a, b), [a.source, b.source]).join("\n")}\n`);
    return status;
  },
};

export default command;
