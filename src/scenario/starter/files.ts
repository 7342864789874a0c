/**
 * What `netcheck init` writes: a starter scenario, a tsconfig.json that
 * type-checks it against netcheck's own types, and a GitHub Actions workflow
 * that runs it. test/e2e/init.test.ts runs this output, unchanged, on a real engine.
 */
export const SCENARIO_DIR = "scenarios";

export interface StarterFile {
  path: string;
  content: string;
  what: string;
}

const scenario = `// Run with: npx netcheck run ./${SCENARIO_DIR}   (as root: netcheck creates networks, namespaces and firewall rules)
import { defineScenario } from "netcheck";

export default defineScenario({
  id: "user-defined/starter",
  mode: "user-defined",
  summary: "The frontend reaches the backend by name; the backend network is internal and has no way out",
  lab: (lab) => {
    const front = lab.network("front");
    const back = lab.network("back", { internal: true });
    return {
      web: lab.node("web", { network: front, alsoOn: [back] }),
      db: lab.node("db", { network: back }),
    };
  },
  checks: ({ web, db }, c) => [
    c.resolves(web, "db", { expect: db, via: "127.0.0.11" }),
    c.reach(web, db, { byName: true, via: "http", port: 80 }),
    c.isolated(db, c.external()),
    c.check("db-links", "topology", "db has one interface besides lo", async (ctx) => {
      const { result, evidence } = await ctx.inspect(db, ["ip", "-o", "link"]);
      const links = result.stdout.split("\\n").filter(Boolean).length;
      return links === 2 ? { status: "pass", evidence: [evidence] } : { status: "fail", reason: \`\${links} links\`, evidence: [evidence] };
    }),
  ],
});
`;

// "Bundler" resolution: netcheck compiles scenario files with esbuild, so the
// project's package.json needs no "type" field for them to be ES modules.
const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: [`${SCENARIO_DIR}/**/*.ts`],
  },
  null,
  2,
)}\n`;

const workflow = `# netcheck: run this project's network scenarios on the runner's Docker engine.
# netcheck needs root (namespaces, iptables, routes): its steps go through sudo with the runner's node.
name: netcheck

on:
  push:
  pull_request:
  workflow_dispatch:

jobs:
  scenarios:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
      NO_COLOR: "1"
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Install
        run: npm ci

      - name: Set up the engine and the probe image
        run: sudo -E env "PATH=$PATH" npx netcheck setup

      - name: Run the scenarios
        run: sudo -E env "PATH=$PATH" npx netcheck run ./${SCENARIO_DIR} --junit reports/junit.xml --json reports/results.json

      - name: Upload the report
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: netcheck-report
          path: reports/

      - name: Remove what a failed or cancelled run left behind
        if: \${{ always() }}
        run: sudo -E env "PATH=$PATH" npx netcheck clean
`;

export function starterFiles(): StarterFile[] {
  return [
    { path: `${SCENARIO_DIR}/starter.ts`, content: scenario, what: "a starter scenario" },
    { path: "tsconfig.json", content: tsconfig, what: "type-checks scenarios against netcheck's types (editor completion; `npx tsc -p .`)" },
    { path: ".github/workflows/netcheck.yml", content: workflow, what: "runs the scenarios in GitHub Actions" },
  ];
}
