/**
 * A minimal ustar writer: enough to hand the engine a build context made in
 * memory (regular files with modes, directories, symlinks). Output is
 * deterministic (fixed mtime, uid/gid 0, entries in the order given), so the
 * bytes can be hashed to decide whether an image must be rebuilt.
 */
export type TarEntry =
  | { type: "file"; path: string; content: Buffer | string; mode?: number }
  | { type: "dir"; path: string; mode?: number }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;
/** A fixed mtime (2020-01-01) keeps the archive byte-identical across runs. */
const MTIME = 1_577_836_800;

export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === "file" ? toBuffer(entry.content) : Buffer.alloc(0);
    parts.push(header(entry, data.length));
    if (data.length > 0) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  // End of archive: two zero blocks.
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let path = entry.path.replace(/^\/+/, "");
  if (entry.type === "dir" && !path.endsWith("/")) path += "/";
  const [prefix, name] = splitPath(path);
  const defaultMode = entry.type === "dir" ? 0o755 : entry.type === "symlink" ? 0o777 : 0o644;
  const mode = entry.type === "symlink" ? 0o777 : (entry.mode ?? defaultMode);
  h.write(name, 0, 100, "utf8");
  writeOctal(h, 100, 8, mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, MTIME);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h.write(entry.type === "file" ? "0" : entry.type === "dir" ? "5" : "2", 156, 1, "ascii");
  if (entry.type === "symlink") {
    if (Buffer.byteLength(entry.target) > 100) throw new Error(`tar: symlink target too long for ustar: ${entry.target}`);
    h.write(entry.target, 157, 100, "utf8");
  }
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  h.write("root", 265, 32, "ascii");
  h.write("root", 297, 32, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

/** ustar keeps long paths as prefix (≤155 bytes) + "/" + name (≤100 bytes). */
export function splitPath(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  // Split at a slash (a trailing directory slash stays with the name).
  for (let i = path.length - 2; i > 0; i--) {
    if (path[i] !== "/") continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(name) <= 100 && Buffer.byteLength(prefix) <= 155) return [prefix, name];
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function writeOctal(h: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8);
  if (text.length > length - 1) throw new Error(`tar: value ${value} does not fit a ${length}-byte field`);
  h.write(`${text.padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

function toBuffer(content: Buffer | string): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}
