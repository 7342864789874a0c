import type { Host } from "../host/host.js";
import { EnvironmentError } from "../util/errors.js";

/**
 * The shared objects a dynamic binary loads, as the paths the loader looks
 * for (e.g. /lib/x86_64-linux-gnu/libc.so.6 and /lib64/ld-linux-x86-64.so.2).
 * Those paths must be kept in the image even when the host resolves them
 * through symlinks (merged /usr): the binary's PT_INTERP names /lib64/….
 */
export function parseLddOutput(output: string, binary = "binary"): string[] {
  const libs: string[] = [];
  const missing: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line || /statically linked|not a dynamic executable/.test(line)) continue;
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    if (arrow) {
      const target = arrow[2]!.trim();
      if (target.startsWith("not found")) missing.push(arrow[1]!);
      else if (target.startsWith("/")) libs.push(target.replace(/\s+\(0x[0-9a-f]+\)$/i, ""));
      // "linux-vdso.so.1 =>  (0x…)" on old glibc: provided by the kernel.
      continue;
    }
    // The loader itself, "/lib64/ld-linux-x86-64.so.2 (0x…)"; vdso lines have no slash.
    const direct = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/i.exec(line);
    if (direct) libs.push(direct[1]!);
  }
  if (missing.length > 0) {
    throw new EnvironmentError("NETCHECK_LIBRARY_MISSING", `${binary} needs ${missing.join(", ")}, which the host's loader cannot find.`, {
      hint: `Reinstall the package that ships ${binary} (e.g. \`apt-get install --reinstall <package>\`), then rerun \`netcheck setup\`.`,
    });
  }
  return [...new Set(libs)];
}

/** ldd on the host; a static binary has no libraries (ldd exits 1 for it). */
export async function sharedLibraries(host: Host, binary: string, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const res = await host.exec(["ldd", binary], { signal: options.signal, timeoutMs: 30_000 });
  const text = `${res.stdout}\n${res.stderr}`;
  if (res.exitCode !== 0) {
    if (/not a dynamic executable|statically linked/.test(text)) return [];
    throw new EnvironmentError("NETCHECK_LDD_FAILED", `Cannot list the libraries of ${binary}: ldd exited ${res.exitCode}: ${text.trim().split("\n")[0] ?? ""}`, {
      hint: "ldd ships with libc-bin on Debian/Ubuntu; make sure it is installed and the binary is for this machine's architecture.",
    });
  }
  return parseLddOutput(res.stdout, binary);
}
