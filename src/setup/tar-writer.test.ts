import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { firstFileInTar } from "../engine/engine.js";
import { createTar, splitPath, type TarEntry } from "./tar-writer.js";

interface Parsed {
  name: string;
  type: string;
  mode: number;
  size: number;
  link: string;
  checksumOk: boolean;
  data: Buffer;
}

/** An independent reader for the fields we write, so the writer's bugs are not mirrored. */
function readTar(tar: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let off = 0;
  const str = (b: Buffer) => b.toString("utf8").replace(/\0.*$/s, "");
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(str(h.subarray(124, 136)), 8);
    const stored = parseInt(str(h.subarray(148, 156)).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    const prefix = str(h.subarray(345, 500));
    const name = str(h.subarray(0, 100));
    out.push({
      name: prefix ? `${prefix}/${name}` : name,
      type: String.fromCharCode(h[156]!),
      mode: parseInt(str(h.subarray(100, 108)), 8),
      size,
      link: str(h.subarray(157, 257)),
      checksumOk: sum === stored,
      data: tar.subarray(off + 512, off + 512 + size),
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const entries: TarEntry[] = [
  { type: "dir", path: "/tmp", mode: 0o1777 },
  { type: "file", path: "/bin/busybox", content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), mode: 0o755 },
  { type: "symlink", path: "/bin/sh", target: "busybox" },
  { type: "file", path: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\n" },
];

describe("createTar", () => {
  it("writes files, directories and symlinks with modes, valid checksums and 512-byte blocks", () => {
    const tar = createTar(entries);
    expect(tar.length % 512).toBe(0);
    const parsed = readTar(tar);
    expect(parsed.map((p) => [p.name, p.type, p.mode.toString(8)])).toEqual([
      ["tmp/", "5", "1777"],
      ["bin/busybox", "0", "755"],
      ["bin/sh", "2", "777"],
      ["etc/passwd", "0", "644"],
    ]);
    expect(parsed.every((p) => p.checksumOk)).toBe(true);
    expect(parsed[2]!.link).toBe("busybox");
    expect(parsed[3]!.data.toString()).toBe("root:x:0:0:root:/root:/bin/sh\n");
    expect(firstFileInTar(tar)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
  });

  it("is deterministic, so its hash can decide rebuilds", () => {
    expect(createTar(entries).equals(createTar(entries))).toBe(true);
    const changed = createTar([...entries.slice(0, 3), { type: "file", path: "etc/passwd", content: "root:x:0:0::/:/bin/sh\n" }]);
    expect(changed.equals(createTar(entries))).toBe(false);
  });

  it("splits long paths into ustar prefix and name", () => {
    const long = `lib/${"x".repeat(60)}/${"y".repeat(60)}/libz.so.1`;
    expect(splitPath(long)).toEqual([`lib/${"x".repeat(60)}/${"y".repeat(60)}`, "libz.so.1"]);
    const parsed = readTar(createTar([{ type: "file", path: long, content: "z" }]));
    expect(parsed[0]!.name).toBe(long);
    expect(() => splitPath(`${"a".repeat(101)}`)).toThrow(/too long/);
  });

  it("is read back by GNU tar with the same listing", () => {
    const res = spawnSync("tar", ["-tvf", "-"], { input: createTar(entries), encoding: "utf8" });
    if (res.error) throw res.error; // tar is part of every Debian base system
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^drwxrwxrwt root\/root\s+0 .* tmp\/$/);
    expect(lines[1]).toMatch(/^-rwxr-xr-x root\/root\s+6 .* bin\/busybox$/);
    expect(lines[2]).toMatch(/^lrwxrwxrwx root\/root\s+0 .* bin\/sh -> busybox$/);
  });
});
