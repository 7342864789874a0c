import { readFile } from "node:fs/promises";
import { execa } from "execa";
import type { ExecOptions, ExecResult, Host } from "./host.js";

/** This machine, through execa. Commands are argv arrays: no shell, no quoting bugs. */
export class LocalHost implements Host {
  readonly kind = "local" as const;
  constructor(readonly name = "local") {}

  async exec(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...args] = command;
    if (!file) throw new Error("LocalHost.exec: empty command");
    const startedAt = new Date();
    const res = await execa(file, args, {
      reject: false,
      all: false,
      stripFinalNewline: false,
      cancelSignal: options.signal,
      timeout: options.timeoutMs,
      input: options.input,
      env: { LC_ALL: "C" },
    });
    const notFound = (res as { code?: string }).code === "ENOENT";
    return {
      where: this.name,
      command,
      exitCode: res.exitCode ?? (notFound ? 127 : 1),
      stdout: String(res.stdout ?? ""),
      stderr: notFound ? `${file}: command not found` : String(res.stderr ?? ""),
      durationMs: Date.now() - startedAt.getTime(),
      startedAt: startedAt.toISOString(),
      timedOut: Boolean(res.timedOut),
    };
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, "utf8");
    } catch {
      return undefined;
    }
  }
}
