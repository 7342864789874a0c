import { createHash } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import { Readable } from "node:stream";
import type { Engine } from "../engine/engine.js";
import { LocalHost } from "../host/local-host.js";
import { throwIfAborted } from "../util/abort.js";
import { sharedLibraries } from "./ldd.js";
import { findExecutable } from "./which.js";
import { createTar, type TarEntry } from "./tar-writer.js";

/** Bump when the way images are assembled changes, so every image is rebuilt once. */
export const SCRATCH_BUILDER_VERSION = "1";
export const LABEL_IMAGE_INPUTS = "io.netcheck.inputs";

export interface ScratchImageSpec {
  tag: string;
  labels?: Record<string, string>;
  /**
   * Host executables by absolute path or by name (looked up on PATH and the
   * sbin directories). Each is copied to `to` (default: where it was found,
   * symlinks followed for the content) with every library `ldd` lists.
   */
  binaries: (string | { from: string; to?: string })[];
  /** Other host files kept at their own path (e.g. dlopen'd plugins); their ldd libraries come too. */
  hostFiles?: string[];
  files?: { path: string; content: string | Buffer; mode?: number }[];
  dirs?: { path: string; mode?: number }[];
  symlinks?: { path: string; target: string }[];
  cmd?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
}

export interface ScratchImageResult {
  tag: string;
  /** false: an image with the same inputs hash was already there. */
  built: boolean;
  inputsHash: string;
  imageId: string;
  sizeBytes: number;
  durationMs: number;
}

export interface BuildScratchOptions {
  signal?: AbortSignal;
  /** Rebuild even when the inputs hash matches. */
  force?: boolean;
  log?: (line: string) => void;
}

/**
 * Build a FROM-scratch image out of host binaries, offline (no registry is
 * ever reachable). The image is labelled with a hash of everything that goes
 * into it and rebuilt only when that hash changes.
 */
export async function buildScratchImage(engine: Engine, spec: ScratchImageSpec, options: BuildScratchOptions = {}): Promise<ScratchImageResult> {
  const started = Date.now();
  const { signal, log = () => undefined } = options;
  const rootfs = await collectRootfs(spec, signal);
  const context = createTar([
    { type: "file", path: "Dockerfile", content: dockerfile(spec) },
    { type: "file", path: "rootfs.tar", content: createTar(rootfs) },
  ]);
  const labels = { ...spec.labels };
  const inputsHash = hashInputs(context, labels);
  throwIfAborted(signal);

  const before = await inspectImage(engine, spec.tag);
  if (!options.force && before?.labels[LABEL_IMAGE_INPUTS] === inputsHash) {
    return { tag: spec.tag, built: false, inputsHash, imageId: before.id, sizeBytes: before.size, durationMs: Date.now() - started };
  }
  log(`building ${spec.tag} from ${rootfs.filter((e) => e.type === "file").length} host files (${(context.length / 1e6).toFixed(1)} MB context)`);
  await engine.buildImage(Readable.from(context), spec.tag, { ...labels, [LABEL_IMAGE_INPUTS]: inputsHash }, signal);
  const after = await inspectImage(engine, spec.tag);
  if (!after) throw new Error(`the engine reported ${spec.tag} built, but cannot inspect it`);
  // The previous build is now untagged; drop it unless a container still uses it.
  if (before && before.id !== after.id) await engine.docker.getImage(before.id).remove().catch(() => undefined);
  return { tag: spec.tag, built: true, inputsHash, imageId: after.id, sizeBytes: after.size, durationMs: Date.now() - started };
}

export function hashInputs(context: Buffer, labels: Record<string, string>): string {
  const sortedLabels = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(`netcheck-scratch-builder/${SCRATCH_BUILDER_VERSION}\n${JSON.stringify(sortedLabels)}\n`)
    .update(context)
    .digest("hex");
}

function dockerfile(spec: ScratchImageSpec): string {
  const lines = ["FROM scratch", "ADD rootfs.tar /"];
  for (const [k, v] of Object.entries(spec.env ?? {})) lines.push(`ENV ${k}=${JSON.stringify(v)}`);
  if (spec.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`);
  if (spec.cmd) lines.push(`CMD ${JSON.stringify(spec.cmd)}`);
  return `${lines.join("\n")}\n`;
}

/** Every entry of the image's filesystem, parents included, sorted so the tar is deterministic. */
async function collectRootfs(spec: ScratchImageSpec, signal?: AbortSignal): Promise<TarEntry[]> {
  const host = new LocalHost();
  const byPath = new Map<string, TarEntry>();
  const addHostFile = async (from: string, to: string, mode: number) => {
    byPath.set(to, { type: "file", path: to, content: await readFile(await realpath(from)), mode });
    for (const lib of await sharedLibraries(host, from, { signal })) {
      if (!byPath.has(lib)) byPath.set(lib, { type: "file", path: lib, content: await readFile(await realpath(lib)), mode: 0o755 });
    }
  };
  for (const b of spec.binaries) {
    const { from, to } = typeof b === "string" ? { from: b, to: undefined } : b;
    const found = await findExecutable(from);
    if (!found) throw new Error(`buildScratchImage: ${from} is not installed on this host (not found on PATH)`);
    await addHostFile(found, to ?? found, 0o755);
  }
  for (const f of spec.hostFiles ?? []) await addHostFile(f, f, 0o644);
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

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** Through Engine's dockerode client: Engine has no inspect that returns id and size. */
async function inspectImage(engine: Engine, tag: string): Promise<{ id: string; size: number; labels: Record<string, string> } | undefined> {
  const labels = await engine.imageLabels(tag);
  if (labels === undefined) return undefined;
  const info = await engine.docker.getImage(tag).inspect();
  return { id: info.Id, size: info.Size, labels };
}
