#!/usr/bin/env node
// The build (npm's `prepare`, run by `npm ci`) puts the compiled CLI in dist/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error("netcheck: the compiled CLI is missing (dist/src/cli/main.js).\nRun `npm ci` (or `npm run build`) in the netcheck folder first.");
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
