/**
 * Errors a user sees. Each condition has its own class and a stable `code`;
 * the message says what failed and why, `hint` says what to do next, and the
 * original error is kept as `cause`.
 */
export class NetcheckError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  /** Message first, then the hint, then the cause's message: what a terminal shows. */
  describe(): string {
    const lines = [`${this.message}`];
    if (this.hint) lines.push(`  → ${this.hint}`);
    const cause = this.cause instanceof Error ? this.cause.message : this.cause === undefined ? "" : String(this.cause);
    if (cause && !this.message.includes(cause)) lines.push(`  (cause: ${firstLine(cause)})`);
    return lines.join("\n");
  }
}

/** A usage mistake: bad flags, unknown mode, a scenario file that does not load. Exit code 2. */
export class UsageError extends NetcheckError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("NETCHECK_USAGE", message, options);
  }
}

/** The machine lacks something the run needs (engine, image, tool, privilege). Exit code 2. */
export class EnvironmentError extends NetcheckError {}

/** A scenario asked for a target outside the lab while --allow-external was not given. */
export class UnsafeTargetError extends NetcheckError {
  constructor(target: string, where: string) {
    super(
      "NETCHECK_UNSAFE_TARGET",
      `Refusing to send traffic to ${target} (${where}): it is outside the lab's address ranges.`,
      { hint: "Point the check at a lab node or the lab's external host, or pass --allow-external if you really mean to leave the lab." },
    );
  }
}

export function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function errorMessage(err: unknown): string {
  if (err instanceof NetcheckError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A scenario that declares something netcheck cannot honour: an unknown option
 * key, a port out of range, an unknown requirement id. Raised when the scenario
 * is defined (so at load time, before any container starts): exit code 2, with
 * the field and the fix; the loader adds the file.
 */
export class DeclarationError extends NetcheckError {
  scenario: string | undefined;
  file: string | undefined;

  constructor(
    readonly field: string,
    readonly problem: string,
    fix: string,
  ) {
    super("NETCHECK_SCENARIO_INVALID", `${field}: ${problem}`, { hint: fix });
  }

  /** Say which scenario (and later which file) declared it; the message is rebuilt each time. */
  within(where: { scenario?: string; file?: string }): this {
    this.scenario ??= where.scenario;
    this.file ??= where.file;
    const at = [this.file, this.scenario && `scenario "${this.scenario}"`].filter(Boolean).join(", ");
    this.message = `${at ? `${at}: ` : ""}${this.field}: ${this.problem}`;
    return this;
  }
}
