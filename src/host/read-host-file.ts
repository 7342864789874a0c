import type { Host } from "./host.js";
import { LocalHost } from "./local-host.js";

/**
 * A file's text on a Host. /proc and /sys are read with `cat` through the host's
 * own command channel, so a container or VM host reports its own kernel, not ours.
 * This machine's are read directly (a spawned `cat` forks this whole process: issue 12).
 */
export async function readHostFile(host: Host, path: string, signal?: AbortSignal): Promise<string | undefined> {
  if (host instanceof LocalHost || !/^\/(proc|sys)\//.test(path)) return host.readFile(path, { signal });
  const res = await host.exec(["cat", path], { signal, timeoutMs: 4000 });
  return res.exitCode === 0 ? res.stdout : undefined;
}
