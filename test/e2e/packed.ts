/**
 * The product as a user gets it: `npm pack` of this checkout, installed into a
 * fresh project whose package.json is plain (no "type" field), and the CLI run
 * from that project's node_modules.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { remember, ROOT, type CliRun } from "./cli.js";

/** Pack this checkout (npm runs `prepare`, the build) into a temp folder; returns the .tgz path. */
export async function packNetcheck(): Promise<string> {
  const dest = mkdtempSync(join(tmpdir(), "netcheck-pack-"));
  const r = await execa("npm", ["pack", "--json", "--pack-destination", dest], { cwd: ROOT });
  const [info] = JSON.parse(r.stdout) as { filename: string }[];
  if (!info) throw new Error(`npm pack printed no file: ${r.stdout}`);
  return join(dest, info.filename);
}

/** A fresh project with a plain package.json and the tarball installed (npm's cache first: CI has it from `npm ci`). */
export async function userProject(tarball: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "netcheck-user-"));
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "my-network-tests", version: "1.0.0", private: true }, null, 2)}\n`);
  await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-dev", tarball], { cwd: dir });
  return dir;
}

/** The installed CLI, as `npx netcheck` would run it in that project. */
export async function installedNetcheck(project: string, args: string[], timeoutMs = 300_000): Promise<CliRun> {
  const r = await execa("node", [join(project, "node_modules", "netcheck", "bin", "netcheck.js"), ...args], { cwd: project, reject: false, timeout: timeoutMs, env: { NO_COLOR: "1" } });
  return remember({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
}
