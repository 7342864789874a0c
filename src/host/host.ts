/**
 * A command channel to one machine (or namespace, or container). Doctor checks,
 * the lab and the probes run everything through a Host, so the same code works
 * locally, over SSH on a VM, and inside a container.
 */
export interface ExecOptions {
  signal?: AbortSignal;
  /** Kill the command after this long; the result then has `timedOut: true`. */
  timeoutMs?: number;
  /** Text written to the command's standard input. */
  input?: string;
}

/** What every probe and check keeps as evidence: the command, where it ran, and what it printed. */
export interface ExecResult {
  where: string;
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  startedAt: string;
  timedOut: boolean;
}

export interface Host {
  /** Human name used in evidence: "local", "vm:node1", "container:nc-ab12c-server". */
  readonly name: string;
  readonly kind: "local" | "ssh" | "container" | "netns";
  exec(command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string, options?: { signal?: AbortSignal }): Promise<string | undefined>;
}

export function commandLine(command: readonly string[]): string {
  return command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

/** Run and require exit code 0; the thrown error carries the result. */
export async function execOk(host: Host, command: string[], options?: ExecOptions): Promise<ExecResult> {
  const res = await host.exec(command, options);
  if (res.exitCode !== 0) throw new CommandFailedError(res);
  return res;
}

export class CommandFailedError extends Error {
  readonly code = "NETCHECK_COMMAND_FAILED";
  constructor(readonly result: ExecResult) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ");
    super(
      `\`${commandLine(result.command)}\` on ${result.where} ${result.timedOut ? "timed out" : `exited ${result.exitCode}`}${detail ? `: ${detail}` : ""}`,
    );
    this.name = "CommandFailedError";
  }
}
