/**
 * A stack of undo steps. Each resource registers its undo the moment it exists;
 * `dispose` runs them in reverse, each under its own time-boxed signal (never
 * the aborted run's), and keeps going past failures, returning them.
 */
export type UndoStep = (signal: AbortSignal) => Promise<unknown>;

export class Cleanup implements AsyncDisposable {
  private readonly steps: { what: string; undo: UndoStep }[] = [];
  private disposed = false;

  defer(what: string, undo: UndoStep): void {
    if (this.disposed) throw new Error(`cannot register "${what}": cleanup already ran`);
    this.steps.push({ what, undo });
  }

  get size(): number {
    return this.steps.length;
  }

  /** Runs every step, newest first; returns the ones that failed. Idempotent. */
  async dispose(stepTimeoutMs = 30_000): Promise<{ what: string; error: unknown }[]> {
    this.disposed = true;
    const failures: { what: string; error: unknown }[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo(AbortSignal.timeout(stepTimeoutMs));
      } catch (error) {
        failures.push({ what: step.what, error });
      }
    }
    return failures;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
