import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { loadBuiltin, resolveScenarios } from "../../scenario/loader.js";
import { declare } from "../../scenario/define.js";
import { compileSelection } from "../../scenario/select.js";

const usage = `Usage: netcheck list [<mode|scenario-file>...] [--only <regex>] [--skip <regex>] [--checks] [--json]

List scenarios (and with --checks, every check id) that \`netcheck run\` would run.`;

const command: Command = {
  name: "list",
  usage,
  async run(args, io) {
    const { values, positionals } = parse("list", args, {
      only: { type: "string", multiple: true },
      skip: { type: "string", multiple: true },
      checks: { type: "boolean" },
      json: { type: "boolean" },
    });
    const scenarios = positionals.length ? await resolveScenarios(positionals, false) : await loadBuiltin();
    const selected = compileSelection({ only: values.only, skip: values.skip });
    const rows = scenarios
      .map((s) => {
        const { checks } = declare(s);
        return {
          id: s.id,
          mode: s.mode,
          summary: s.summary,
          requires: s.requires ?? [],
          file: s.file,
          checks: checks.filter((c) => selected(`${s.id}/${c.name}`)).map((c) => ({ id: `${s.id}/${c.name}`, category: c.category, expectation: c.expectation })),
        };
      })
      .filter((r) => r.checks.length > 0);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ schemaVersion: 1, scenarios: rows }, null, 2)}\n`);
      return 0;
    }
    for (const r of rows) {
      io.stdout.write(`${r.id.padEnd(28)} ${String(r.checks.length).padStart(3)} checks  ${r.summary}${r.requires.length ? `  [requires ${r.requires.join(", ")}]` : ""}\n`);
      if (values.checks) for (const c of r.checks) io.stdout.write(`    ${c.id}  (${c.category}) ${c.expectation}\n`);
    }
    return 0;
  },
};

export default command;
