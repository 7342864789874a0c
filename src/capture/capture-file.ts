import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";

const reserved = new Set<string>();

/**
 * `<reportDir>/<scenario slug>/<name>.pcap`, never one already used in this
 * process: retries and repeats keep every attempt's capture (-2, -3…).
 */
export async function reserveCapturePath(reportDir: string, slug: string, name: string): Promise<{ path: string; relPath: string }> {
  const safe = name.replace(/[^a-zA-Z0-9_.-]+/g, "-").slice(0, 80);
  await mkdir(join(reportDir, slug), { recursive: true });
  for (let n = 1; ; n++) {
    const relPath = join(slug, `${safe}${n === 1 ? "" : `-${n}`}.pcap`);
    const path = join(reportDir, relPath);
    // Claimed before the await: captures started at once (captureDuring) never share a name.
    if (reserved.has(path)) continue;
    reserved.add(path);
    if (await exists(path)) continue;
    return { path, relPath };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
