/** Where a scenario's time went: named spans from its start (they may overlap, e.g. an image load under a swarm's formation). */
export interface PhaseSpan {
  name: string;
  /** Milliseconds from the scenario's start. */
  startMs: number;
  ms: number;
}

export class PhaseClock {
  readonly spans: PhaseSpan[] = [];
  constructor(private readonly origin = Date.now()) {}

  /** Times `work` as the span `name`, whether it resolves or throws. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await work();
    } finally {
      this.spans.push({ name, startMs: start - this.origin, ms: Date.now() - start });
    }
  }
}
