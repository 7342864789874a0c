import { startCapture, type CaptureEnv, type CaptureFile, type CaptureOptions, type CapturePoint, type StartedCapture } from "./capture.js";

export interface CaptureSpec extends Omit<CaptureOptions, "signal"> {
  point: CapturePoint;
}

/**
 * Start every capture (each confirmed listening), run `action`, then stop them
 * all, whether the action succeeded or threw, and return the decoded files in
 * the order given.
 */
export async function captureDuring<T>(env: CaptureEnv, specs: CaptureSpec[], action: () => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<{ value: T; files: CaptureFile[] }> {
  const started: StartedCapture[] = [];
  try {
    for (const s of specs) started.push(await startCapture(env, s.point, { ...s, signal: opts.signal }));
    const value = await action();
    const files: CaptureFile[] = [];
    for (const c of started) files.push(await c.stop());
    return { value, files };
  } finally {
    // Stopping twice is a no-op; this only matters when something above threw.
    await Promise.all(started.map((c) => c.stop().catch(() => undefined)));
  }
}
