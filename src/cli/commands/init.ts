import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { initProject } from "../../scenario/starter/init-project.js";
import { SCENARIO_DIR } from "../../scenario/starter/files.js";
import { UsageError } from "../../util/errors.js";

const usage = `Usage: netcheck init [dir] [--force]

Write a starter into dir (default: the current folder): ${SCENARIO_DIR}/starter.ts (a scenario that passes
on a healthy engine), tsconfig.json (type-checks scenarios against netcheck's types) and
.github/workflows/netcheck.yml (runs them in GitHub Actions). Existing files are kept unless --force.
Then: sudo npx netcheck setup && sudo npx netcheck run ./${SCENARIO_DIR}`;

const command: Command = {
  name: "init",
  usage,
  async run(args, io) {
    const { values, positionals } = parse("init", args, { force: { type: "boolean" } });
    if (positionals.length > 1) throw new UsageError(`init takes one folder, got ${positionals.length}`);
    const dir = positionals[0] ?? ".";
    const result = initProject(dir, { force: Boolean(values.force) });
    for (const f of result.written) io.stdout.write(`wrote ${f.path} — ${f.what}\n`);
    for (const f of result.kept) io.stdout.write(`kept  ${f.path} (it exists; --force overwrites it)\n`);
    if (result.needsPackageJson) io.stdout.write(`\nNo package.json in ${dir}: install netcheck there first (npm install --save-dev netcheck).\n`);
    io.stdout.write(`\nNext: sudo npx netcheck setup && sudo npx netcheck run ./${SCENARIO_DIR}\n`);
    return 0;
  },
};

export default command;
