import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Root's PATH on a fresh Debian may lack the sbin directories (su without -l),
 * where dockerd and iptables live: always search them too.
 */
export const SYSTEM_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export function searchPath(envPath = process.env.PATH ?? ""): string[] {
  return [...new Set([...envPath.split(delimiter).filter(Boolean), ...SYSTEM_PATH])];
}

/** The executable's path (absolute paths are checked as given), or undefined. */
export async function findExecutable(nameOrPath: string, dirs = searchPath()): Promise<string | undefined> {
  const candidates = isAbsolute(nameOrPath) ? [nameOrPath] : dirs.map((d) => join(d, nameOrPath));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
