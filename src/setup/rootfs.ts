import { open, readdir, readFile, readlink, realpath, stat, lstat } from "node:fs/promises";
import { join } from "node:path";
import { LocalHost } from "../host/local-host.js";
import { sharedLibraries } from "./ldd.js";
import type { TarEntry } from "./tar-writer.js";
import { findExecutable } from "./which.js";

export interface RootfsSpec {
  binaries: (string | { from: string; to?: string })[];
  hostFiles?: string[];
  files?: { path: string; content: string | Buffer; mode?: number }[];
  dirs?: { path: string; mode?: number }[];
  symlinks?: { path: string; target: string }[];
}

/** Every entry of an image's filesystem, parent directories included, sorted so the tar is deterministic. */
export async function collectRootfs(spec: RootfsSpec, signal?: AbortSignal): Promise<TarEntry[]> {
  const host = new LocalHost();
  const byPath = new Map<string, TarEntry>();
  const addFile = async (from: string, to: string, mode: number) => {
    byPath.set(to, { type: "file", path: to, content: await readFile(await realpath(from)), mode });
    if (!(await isElf(from))) return;
    for (const lib of await sharedLibraries(host, from, { signal })) {
      if (!byPath.has(lib)) byPath.set(lib, { type: "file", path: lib, content: await readFile(await realpath(lib)), mode: 0o755 });
    }
  };
  // Directories are copied as they are (symlinks kept as links), e.g. /usr/lib/x86_64-linux-gnu/xtables.
  const addHostPath = async (path: string): Promise<void> => {
    const st = await lstat(path);
    if (st.isSymbolicLink() && (await stat(path)).isDirectory()) byPath.set(path, { type: "symlink", path, target: await readlink(path) });
    else if (st.isSymbolicLink() && !byPath.has(path)) await addFile(path, path, (await stat(path)).mode & 0o7777);
    else if (st.isDirectory()) {
      byPath.set(path, { type: "dir", path, mode: st.mode & 0o7777 });
      for (const name of (await readdir(path)).sort()) {
        const child = join(path, name);
        if ((await lstat(child)).isSymbolicLink()) byPath.set(child, { type: "symlink", path: child, target: await readlink(child) });
        else await addHostPath(child);
      }
    } else if (st.isFile()) await addFile(path, path, st.mode & 0o7777);
  };

  for (const b of spec.binaries) {
    const { from, to } = typeof b === "string" ? { from: b, to: undefined } : b;
    const found = await findExecutable(from);
    if (!found) throw new Error(`buildScratchImage: ${from} is not installed on this host (not found on PATH)`);
    await addFile(found, to ?? found, 0o755);
  }
  for (const f of spec.hostFiles ?? []) await addHostPath(f);
  for (const f of spec.files ?? []) byPath.set(f.path, { type: "file", path: f.path, content: f.content, mode: f.mode ?? 0o644 });
  for (const s of spec.symlinks ?? []) byPath.set(s.path, { type: "symlink", path: s.path, target: s.target });
  for (const d of spec.dirs ?? []) byPath.set(d.path, { type: "dir", path: d.path, mode: d.mode ?? 0o755 });
  for (const path of [...byPath.keys()]) {
    for (let dir = parentOf(path); dir !== "/"; dir = parentOf(dir)) {
      if (!byPath.has(dir)) byPath.set(dir, { type: "dir", path: dir, mode: 0o755 });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** Only ELF files go through ldd (scripts and data have no libraries). */
async function isElf(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    return buf.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    await fh.close();
  }
}
