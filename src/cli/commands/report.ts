import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import type { Command, CommandIO } from "../command.js";
import { errorMessage, NetcheckError, UsageError } from "../../util/errors.js";
import { diffRuns, hasRegressions, type RunDiff } from "../../report/diff.js";
import { renderDiffText } from "../../report/diff-text.js";
import { renderHtml } from "../../report/html/render-html.js";
import { renderJunit } from "../../report/junit.js";
import { readRunResult } from "../../report/load.js";
import { renderSummary } from "../../report/summary.js";
import { shouldColor } from "../../report/term-style.js";

const usage = `Usage: netcheck report <a.json|dir> [<b.json|dir>] [--html FILE] [--junit FILE] [--no-color]

Re-renders a run from its results.json (or a report folder such as reports/latest).
With two runs, shows what changed from a to b: new failures, fixed checks, new
skips, checks that appeared or disappeared, and performance regressions beyond the
measured spread (max(2 x pooled stddev, 5%) with samples, 10% without).

  --html FILE    write the HTML report (with two runs: run b plus the changes)
  --junit FILE   write JUnit XML (of run b when two are given)
  --no-color     plain output (also: NO_COLOR, or stdout not a terminal)

Exit code: 0 rendered (and, with two runs, no new failures or regressions);
1 two runs and b has new failures or perf regressions; 2 bad arguments or file.`;

const report: Command = {
  name: "report",
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    try {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { html: { type: "string" }, junit: { type: "string" }, "no-color": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      });
      if (values.help) {
        io.stdout.write(`${usage}\n`);
        return 0;
      }
      if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`netcheck report takes one or two results files, got ${positionals.length}.`, { hint: usage.split("\n")[0] });
      const color = !values["no-color"] && shouldColor(io.stdout);
      const [a, b] = await Promise.all(positionals.map((p) => readRunResult(p, { signal: io.signal })));
      const run = b ?? a!;
      let diff: RunDiff | undefined;
      if (b) {
        diff = diffRuns(a!, b);
        io.stdout.write(renderDiffText(diff, { color }));
      } else {
        io.stdout.write(renderSummary(run, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) }));
      }
      if (values.html) await writeOut(values.html, renderHtml(run, diff ? { diff } : {}), io);
      if (values.junit) await writeOut(values.junit, renderJunit(run), io);
      return diff && hasRegressions(diff) ? 1 : 0;
    } catch (err) {
      io.stderr.write(`${errorMessage(err)}\n`);
      if (err instanceof NetcheckError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return 2;
      throw err;
    }
  },
};

async function writeOut(file: string, text: string, io: CommandIO): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, { encoding: "utf8", signal: io.signal });
  io.stdout.write(`wrote ${file}\n`);
}

export default report;
