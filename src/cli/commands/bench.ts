import { shouldColor } from "../../report/index.js";
import type { Command } from "../command.js";
import { intOption, parse } from "../parse.js";
import { progressEvents } from "../progress.js";
import { resolveScenarios } from "../../scenario/loader.js";
import { runScenarios } from "../../scenario/runner.js";
import { perfHook } from "../../perf/perf-hook.js";
import { renderComparison } from "../../perf/render-comparison.js";
import { writeReports } from "../write-reports.js";

const usage = `Usage: netcheck bench [mode|scenario-file]... [options]

Measure throughput (iperf3) and latency (ping, TCP connect) in every mode with
performance checks — container to container, to the host, to the external host —
and print each as a ratio to host networking measured in the same run.
Same as \`netcheck run --all --perf\` with only the performance checks.
Without arguments every built-in mode is measured.

Options:
  --repeat <n>           measure each mode n times (default 3): medians, and the spread
  --only <regex>         only checks whose id matches; repeatable
  --skip <regex>         skip checks whose id matches; repeatable
  --timeout <s>          per-check timeout in seconds (default 120)
  --json <file>          also write the results JSON here
  --reports <dir>        report folder root (default reports/)
  --no-color             plain output

Exit codes: 0 measured, every threshold met; 1 a measurement or threshold failed; 2 usage or environment error.`;

const command: Command = {
  name: "bench",
  usage,
  async run(args, io) {
    const { values, positionals } = parse("bench", args, {
      repeat: { type: "string" },
      only: { type: "string", multiple: true },
      skip: { type: "string", multiple: true },
      timeout: { type: "string" },
      json: { type: "string" },
      reports: { type: "string" },
      "no-color": { type: "boolean" },
    });
    const scenarios = await resolveScenarios(positionals, positionals.length === 0);
    const color = !values["no-color"] && shouldColor(io.stdout);
    const progress = progressEvents({ out: io.stdout, color, verbose: false });
    const result = await runScenarios({
      scenarios,
      only: values.only,
      skip: values.skip,
      hooks: [perfHook("only")],
      repeat: intOption("repeat", values.repeat, 1, 3),
      timeoutS: intOption("timeout", values.timeout, 1, 120),
      reportsRoot: values.reports,
      command: ["netcheck", ...io.argv],
      signal: io.signal,
      events: progress,
    });
    progress.done();
    const written = await writeReports(result, { json: values.json, reportsRoot: values.reports, out: io.stdout, color });
    io.stdout.write(`\n${written.summary}\n`);
    io.stdout.write(result.comparison ? `\n${renderComparison(result.comparison, { color })}\n` : "\nNo performance check ran: none of the selected scenarios declares one.\n");
    return result.exitCode;
  },
};

export default command;
