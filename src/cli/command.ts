/**
 * One file per subcommand under src/cli/commands/, each default-exporting a
 * Command (its one-line summary is in registry.ts, which loads it on demand). The CLI only parses and calls the library; `run` returns the exit
 * code (0 ok, 1 checks/findings failed, 2 usage or environment error) and
 * main.ts is the only place that calls process.exit.
 */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM: commands must clean up and return. */
  signal: AbortSignal;
  /** The raw argv after `netcheck`, for the results' `command` field. */
  argv: string[];
}

export interface Command {
  name: string;
  /** Full --help text. */
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
  /**
   * Parse `args` exactly as `run` would and throw the same UsageError, without
   * doing anything: how doctor's fix texts are proven to be commands that parse.
   */
  check?(args: string[]): Promise<void>;
}
