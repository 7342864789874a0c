import { startCapture, type CaptureEnv, type CaptureFile, type CaptureOptions, type CapturePoint, type StartedCapture } from "./capture.js";

export interface CaptureSpec extends Omit<CaptureOptions, "signal"> {
  point: CapturePoint;
}

/**
 * Start every capture (each confirmed listening), run `action`, then stop them
 * all, whether the action succeeded or threw, and return the decoded files in
 * the order given. Captures start at once and stop at once: each is a tcpdump
 * at its own point (a sidecar container on a dind host takes seconds), and one
 * after the other they were most of a NAT check's time (issue 12). The action
 * still runs only once every capture listens, and only ends before any stops.
 */
export async function captureDuring<T>(env: CaptureEnv, specs: CaptureSpec[], action: () => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<{ value: T; files: CaptureFile[] }> {
  const started: StartedCapture[] = [];
  try {
    const starts = await Promise.allSettled(specs.map((s) => startCapture(env, s.point, { ...s, signal: opts.signal })));
    for (const s of starts) if (s.status === "fulfilled") started.push(s.value);
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const value = await action();
    return { value, files: await Promise.all(started.map((c) => c.stop())) };
  } finally {
    // Stopping twice is a no-op; this only matters when something above threw.
    await Promise.all(started.map((c) => c.stop().catch(() => undefined)));
  }
}
