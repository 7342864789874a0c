import { cleanupSignal, withTimeout } from "./abort.js";
/**
 * A stack of undo steps. Each resource registers its undo the moment it exists;
 * `dispose` runs them in reverse, each under its own time-boxed signal (never
 * the aborted run's) and all of them under one overall deadline, and keeps
 * going past failures, returning them.
 */
export type UndoStep = (signal: AbortSignal) => Promise<unknown>;

export interface DisposeOptions {
  /** One step's limit. */
  stepTimeoutMs?: number;
  /** The whole teardown's limit: steps still waiting then are cut short (and reported). */
  deadlineMs?: number;
}

export class Cleanup implements AsyncDisposable {
  private readonly steps: { what: string; undo: UndoStep }[] = [];
  private readonly late: Promise<{ what: string; error: unknown } | undefined>[] = [];
  private disposed = false;

  /**
   * A resource that comes into existence after teardown began (a sibling
   * container whose start raced a failure) is undone at once, not leaked.
   */
  defer(what: string, undo: UndoStep): void {
    if (!this.disposed) {
      this.steps.push({ what, undo });
      return;
    }
    this.late.push(undo(AbortSignal.timeout(30_000)).then(() => undefined, (error: unknown) => ({ what, error })));
  }

  get size(): number {
    return this.steps.length;
  }

  /** Runs every step, newest first; returns the ones that failed. Idempotent. */
  async dispose(opts: DisposeOptions = {}): Promise<{ what: string; error: unknown }[]> {
    this.disposed = true;
    const deadline = cleanupSignal(opts.deadlineMs ?? 120_000);
    const failures: { what: string; error: unknown }[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo(withTimeout(opts.stepTimeoutMs ?? 30_000, deadline)!);
      } catch (error) {
        failures.push({ what: step.what, error });
      }
    }
    for (const f of await Promise.all(this.late.splice(0))) if (f) failures.push(f);
    return failures;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
