import { once } from "node:events";
import { parseArgs } from "node:util";
import type { Command, CommandIO } from "../command.js";
import { errorMessage } from "../../util/errors.js";
import {
  CaptureSummarizer,
  PacketLineWriter,
  PacketView,
  PcapError,
  captureSummaryJson,
  decodeInto,
  matchNatPairs,
  readPcapFileBatches,
  renderCaptureSummary,
  renderNatPairs,
  type CaptureJson,
  type CaptureSummary,
  type PcapReportJson,
} from "../../pcap/index.js";

const USAGE = `Usage: netcheck pcap <file> [<file2>] [--token <text>]... [--top <n>] [--max-flows <n>] [--json]
       netcheck pcap --packets <file>...

Summarise a pcap or pcapng capture (gzip-compressed too): packet count, time
span, link types, protocols (a VXLAN frame counts its underlay and overlay),
VLAN ids and the largest flows. With two captures of the same traffic (for
example one outside a published port and one on the container's bridge), also
pair each conversation across the two and say what NAT rewrote. Pairs are
matched by --token (bytes the conversation carried), else by TCP initial
sequence numbers, else by the first payload of a flow.

Files are streamed: memory grows with the number of flows, not the file size.

Options:
  --token <text>     payload marker to look for (repeatable)
  --top <n>          flows to list per capture (default 10; --json lists all unless given)
  --max-flows <n>    stop tracking new flows after n (default 200000)
  --json             print one JSON document (version 1) instead of text
  --packets          print one line per packet, as tcpdump -nn -q does, instead of the summary

Exit codes: 0 read completely; 2 a file is missing, not a capture, corrupt
or truncated (what was read before the problem is still summarised).`;

interface Options {
  tokens: string[];
  top: number | undefined;
  maxFlows: number;
  json: boolean;
  packets: boolean;
}

const command: Command = {
  name: "pcap",
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          token: { type: "string", multiple: true },
          top: { type: "string" },
          "max-flows": { type: "string" },
          json: { type: "boolean" },
          packets: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
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
    const top = values.top === undefined ? undefined : Number(values.top);
    const maxFlows = Number(values["max-flows"] ?? 200_000);
    const files = positionals.length >= 1 && (values.packets || positionals.length <= 2);
    if (!files || (top !== undefined && (!Number.isInteger(top) || top < 0)) || !Number.isInteger(maxFlows) || maxFlows < 1 || (values.packets && values.json)) {
      io.stderr.write(`netcheck pcap takes one or two capture files (any number with --packets), numeric --top/--max-flows, and not --json with --packets.\n\n${USAGE}\n`);
      return 2;
    }
    const options: Options = { tokens: values.token ?? [], top, maxFlows, json: values.json ?? false, packets: values.packets ?? false };
    return options.packets ? printPackets(positionals, io) : summarise(positionals, options, io);
  },
};

/** Report a read error: what was read before it still counts, the exit code becomes 2. */
function readError(err: unknown, io: CommandIO, quiet = false): PcapError {
  if (!(err instanceof PcapError)) throw err;
  if (!quiet) io.stderr.write(`${err.describe()}\n`);
  return err;
}

async function summarise(files: string[], o: Options, io: CommandIO): Promise<number> {
  let status = 0;
  const summaries: CaptureSummary[] = [];
  const json: CaptureJson[] = [];
  for (const file of files) {
    const s = new CaptureSummarizer(file, { maxFlows: o.maxFlows, tokens: o.tokens });
    let error: PcapError | undefined;
    try {
      for await (const batch of readPcapFileBatches(file, { signal: io.signal })) for (const r of batch) s.add(r);
    } catch (err) {
      error = readError(err, io, o.json);
      status = 2;
    }
    if (o.json) json.push(captureSummaryJson(s.summary, { top: o.top, error }));
    if (error !== undefined && error.recordsRead === 0) continue;
    summaries.push(s.summary);
    if (!o.json) io.stdout.write(`${renderCaptureSummary(s.summary, { top: o.top ?? 10 }).join("\n")}\n`);
  }
  const [a, b] = summaries;
  const pairs = a && b ? matchNatPairs(a, b) : undefined;
  if (o.json) {
    const doc: PcapReportJson = { version: 1, captures: json, ...(pairs ? { natPairs: pairs } : {}) };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (a && b && pairs) io.stdout.write(`\n${renderNatPairs(pairs, [a.source, b.source]).join("\n")}\n`);
  return status;
}

/** One tcpdump -nn -q line per packet, written in 1 MiB chunks with the stream's backpressure respected. */
async function printPackets(files: string[], io: CommandIO): Promise<number> {
  let status = 0;
  let full = false;
  const out = new PacketLineWriter((chunk) => {
    if (!io.stdout.write(chunk)) full = true;
  });
  const view = new PacketView();
  for (const file of files) {
    try {
      for await (const batch of readPcapFileBatches(file, { signal: io.signal })) {
        for (let i = 0; i < batch.length; i++) {
          const r = batch[i]!;
          out.line(decodeInto(view, r.data, r.linkType), r.sec, r.nsec, r.originalLength);
        }
        if (full) {
          full = false;
          await once(io.stdout, "drain");
        }
      }
    } catch (err) {
      out.flush();
      readError(err, io);
      status = 2;
    }
  }
  out.flush();
  return status;
}

export default command;
