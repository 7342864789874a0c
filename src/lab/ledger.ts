import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a run created outside Docker (namespaces, links, routes, firewall rules,
 * subnet claims), written to disk as it happens, so `netcheck clean` can undo a
 * run that was killed with -9. Docker objects need no ledger: they carry labels.
 */
export const STATE_DIR = process.env.NETCHECK_STATE_DIR ?? "/run/netcheck";

export interface LedgerEntry {
  /** Which lab host the undo command runs on. */
  host: string;
  what: string;
  /** argv that removes the resource; failing because it is already gone is fine. */
  undo: string[];
}

export interface LedgerHeader {
  runId: string;
  pid: number;
  startedAt: string;
}

export class Ledger {
  readonly file: string;
  constructor(readonly runId: string) {
    mkdirSync(join(STATE_DIR, "runs"), { recursive: true });
    this.file = join(STATE_DIR, "runs", `${runId}.jsonl`);
    const header: LedgerHeader = { runId, pid: process.pid, startedAt: new Date().toISOString() };
    writeFileSync(this.file, `${JSON.stringify(header)}\n`, { flag: "wx" });
  }

  record(entry: LedgerEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  private unfinished = false;

  /** An undo step failed: keep the file when the run ends, for `netcheck clean`. */
  markUnfinished(): void {
    this.unfinished = true;
  }

  close(): void {
    if (this.unfinished) return;
    rmSync(this.file, { force: true });
  }
}

export interface LedgerFile {
  header: LedgerHeader;
  entries: LedgerEntry[];
  file: string;
}

export function readLedgers(): LedgerFile[] {
  const dir = join(STATE_DIR, "runs");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const out: LedgerFile[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    try {
      const header = JSON.parse(lines[0] ?? "") as LedgerHeader;
      const entries = lines.slice(1).flatMap((l) => {
        try {
          return [JSON.parse(l) as LedgerEntry];
        } catch {
          return []; // a line torn by kill -9 mid-write
        }
      });
      out.push({ header, entries, file });
    } catch {
      out.push({ header: { runId: name.replace(/\.jsonl$/, ""), pid: 0, startedAt: "" }, entries: [], file });
    }
  }
  return out;
}

export function isProcessAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
