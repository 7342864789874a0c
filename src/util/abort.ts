import { setMaxListeners } from "node:events";

/**
 * A run's signal is shared by every check, exec and capture running at once
 * (concurrency × probes): more than Node's default 10 listeners is normal, not a leak.
 */
export function shareSignal<T extends AbortSignal | undefined>(signal: T): T {
  if (signal) setMaxListeners(500, signal);
  return signal;
}

/**
 * Cleanup must not inherit an aborted signal: it gets a fresh, time-boxed one,
 * shared (a bulk removal passes it to every engine call at once).
 */
export function cleanupSignal(ms = 30_000): AbortSignal {
  return shareSignal(AbortSignal.timeout(ms));
}

/** A signal that fires when any parent fires or after `ms`. */
export function withTimeout(ms: number | undefined, signal?: AbortSignal): AbortSignal | undefined {
  const parts = [signal, ms === undefined ? undefined : AbortSignal.timeout(ms)].filter((s): s is AbortSignal => s !== undefined);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return shareSignal(AbortSignal.any(parts));
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
