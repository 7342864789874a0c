import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Engine } from "../engine/engine.js";
import { throwIfAborted } from "../util/abort.js";
import { collectRootfs, type RootfsSpec } from "./rootfs.js";
import { createTar } from "./tar-writer.js";

/** Bump when the way images are assembled changes, so every image is rebuilt once. */
export const SCRATCH_BUILDER_VERSION = "1";
export const LABEL_IMAGE_INPUTS = "io.netcheck.inputs";

export interface ScratchImageSpec extends RootfsSpec {
  tag: string;
  labels?: Record<string, string>;
  /**
   * Host executables by absolute path or by name (looked up on PATH and the
   * sbin directories). Each is copied to `to` (default: where it was found,
   * symlinks followed for the content) with every library `ldd` lists.
   */
  binaries: (string | { from: string; to?: string })[];
  /**
   * Host files or whole directories kept at their own path, modes kept (e.g.
   * dlopen'd plugins such as /usr/lib/x86_64-linux-gnu/xtables); the ldd
   * libraries of every ELF file among them come too.
   */
  hostFiles?: string[];
  /** Files written from memory; dirs (e.g. /tmp 0o1777) and symlinks as given. */
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

/** Through Engine's dockerode client: Engine has no inspect that returns id and size. */
async function inspectImage(engine: Engine, tag: string): Promise<{ id: string; size: number; labels: Record<string, string> } | undefined> {
  const labels = await engine.imageLabels(tag);
  if (labels === undefined) return undefined;
  const info = await engine.docker.getImage(tag).inspect();
  return { id: info.Id, size: info.Size, labels };
}
