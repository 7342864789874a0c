import { readdir, readFile, rm, stat } from "node:fs/promises";

export interface DaemonPaths {
  pidFile: string;
  socket: string;
}
export const DEFAULT_DAEMON_PATHS: DaemonPaths = { pidFile: "/var/run/docker.pid", socket: "/var/run/docker.sock" };

export type LeftoverAssessment =
  /** A dockerd named by the pid file is alive (maybe still starting): wait for it, do not start another. */
  | { kind: "running"; pid: number }
  /** No live dockerd: these stale files must go before a new one starts (it refuses to start over its old pid file). */
  | { kind: "stale"; remove: string[] };

/**
 * What a killed dockerd left behind. `isLiveDockerd` is injected so this is
 * tested on a temp dir without touching the real daemon.
 */
export async function assessDaemonLeftovers(paths: DaemonPaths, isLiveDockerd: (pid: number) => Promise<boolean>): Promise<LeftoverAssessment> {
  const pidText = await readFile(paths.pidFile, "utf8").catch(() => undefined);
  const pid = pidText === undefined ? undefined : Number.parseInt(pidText.trim(), 10);
  if (pid !== undefined && Number.isInteger(pid) && pid > 0 && (await isLiveDockerd(pid))) return { kind: "running", pid };
  const remove: string[] = [];
  if (pidText !== undefined) remove.push(paths.pidFile);
  if (await exists(paths.socket)) remove.push(paths.socket);
  return { kind: "stale", remove };
}

export async function removeLeftovers(assessment: LeftoverAssessment): Promise<void> {
  if (assessment.kind !== "stale") return;
  for (const path of assessment.remove) await rm(path, { force: true });
}

/** The pid is alive and is a dockerd (pids are reused: a live pid alone proves nothing). */
export async function isLiveDockerd(pid: number, procRoot = "/proc"): Promise<boolean> {
  const comm = await readFile(`${procRoot}/${pid}/comm`, "utf8").catch(() => undefined);
  if (comm?.trim() !== "dockerd") return false;
  // A zombie (killed, not reaped) still has a comm; its state is Z.
  const status = await readFile(`${procRoot}/${pid}/status`, "utf8").catch(() => "");
  return !/^State:\s+Z/m.test(status);
}

/** Every live dockerd on the machine, whatever pid file or socket it uses. */
export async function listDockerdPids(procRoot = "/proc"): Promise<number[]> {
  const entries = await readdir(procRoot).catch(() => [] as string[]);
  const pids: number[] = [];
  for (const e of entries) {
    if (/^\d+$/.test(e) && (await isLiveDockerd(Number(e), procRoot))) pids.push(Number(e));
  }
  return pids;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
