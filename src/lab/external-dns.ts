import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { onThisMachine, startBackground, type BackgroundProcess } from "../host/background.js";
import { execOk } from "../host/host.js";
import { sleep } from "../util/abort.js";
import type { Cleanup } from "../util/cleanup.js";
import { LabBringUpError } from "./errors.js";
import type { ExternalHost } from "./external-host.js";

export interface ExternalDns {
  /** The resolver every container gets: the external host's own address. */
  address: string;
  /** The same resolver on the external host's IPv6 address, when the lab has IPv6. */
  address6?: string;
  logFile: string;
  proc: BackgroundProcess;
}

/**
 * Start the lab DNS on the external host (its own node process in that
 * namespace). From the compiled package it runs lab-dns-main.js; from the
 * sources (tests, tsx) the .ts through tsx.
 */
export async function startExternalDns(ext: ExternalHost, runId: string, zone: Record<string, string[]>, cleanup: Cleanup, signal?: AbortSignal): Promise<ExternalDns> {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/external-dns\.(js|ts)$/, "lab-dns-main.js");
  const main = existsSync(js) ? [process.execPath, js] : [process.execPath, "--import", "tsx", here.replace(/external-dns\.ts$/, "lab-dns-main.ts")];
  const logFile = `/tmp/netcheck-${runId}-lab-dns.log`;
  const sh = ext.labHost.shell;
  // Written and polled from here when the external host is on this machine: a spawn per look forks this process (issue 12).
  const local = onThisMachine(sh);
  if (local) await writeFile(logFile, "");
  else await execOk(sh, ["sh", "-c", `: > ${logFile}`], { signal });
  const proc = await startBackground(ext.shell, [...main, "--listen", ext.address, ...(ext.address6 ? ["--listen6", ext.address6] : []), "--zone", JSON.stringify(zone), "--log", logFile], { logFile: `${logFile}.out`, abort: signal });
  cleanup.defer("lab DNS on the external host", async () => {
    await proc.stop({ graceMs: 2000 }).catch(() => undefined);
    if (local) await Promise.all([rm(logFile, { force: true }), rm(`${logFile}.out`, { force: true })]);
    else await sh.exec(["rm", "-f", logFile, `${logFile}.out`], { timeoutMs: 5000 });
  });
  for (let waited = 0; waited < 15_000; waited += 50) {
    const log = local ? ((await sh.readFile(logFile)) ?? "") : (await sh.exec(["cat", logFile], { timeoutMs: 5000 })).stdout;
    if (log.includes("listening on")) return { address: ext.address, ...(ext.address6 ? { address6: ext.address6 } : {}), logFile, proc };
    if (!(await proc.running())) break;
    await sleep(50);
  }
  const out = (await sh.exec(["sh", "-c", `cat ${logFile} ${logFile}.out`], { timeoutMs: 5000 })).stdout.trim();
  throw new LabBringUpError(`the lab DNS on the external host ${ext.namespace} (${ext.address}:53): ${out || "it exited without a word"}`, out);
}
