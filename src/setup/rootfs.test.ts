import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectRootfs, parentOf } from "./rootfs.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "netcheck-rootfs-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const summary = (entries: Awaited<ReturnType<typeof collectRootfs>>) =>
  entries.map((e) => `${e.type} ${e.path}${e.type === "symlink" ? ` -> ${e.target}` : ` ${(e.mode ?? 0).toString(8)}`}`);

describe("collectRootfs", () => {
  it("copies a dynamic binary to its target path with its libraries and the loader at ldd's paths", async () => {
    // /bin/sh (dash) is on every Debian system and links libc.
    const entries = await collectRootfs({ binaries: [{ from: "/bin/sh", to: "/bin/sh" }] });
    const paths = entries.map((e) => e.path);
    expect(paths).toContain("/bin/sh");
    expect(paths.some((p) => /\/libc\.so\.6$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/ld-linux[^/]*\.so\.\d$/.test(p))).toBe(true);
    expect(paths).toContain("/bin"); // parents are created
    expect(entries.find((e) => e.path === "/bin/sh")).toMatchObject({ type: "file", mode: 0o755 });
  });

  it("copies host directories recursively, keeping modes and symlinks, sorted and deduplicated", async () => {
    const plug = join(dir, "plugins");
    await mkdir(join(plug, "sub"), { recursive: true });
    await writeFile(join(plug, "a.conf"), "x");
    await writeFile(join(plug, "sub", "run.sh"), "#!/bin/sh\n");
    await chmod(join(plug, "sub", "run.sh"), 0o750);
    await symlink("a.conf", join(plug, "b.conf"));
    const entries = await collectRootfs({
      binaries: [],
      hostFiles: [plug],
      files: [{ path: join(plug, "a.conf"), content: "overridden", mode: 0o600 }],
      dirs: [{ path: "/tmp", mode: 0o1777 }],
    });
    expect(summary(entries)).toContain("dir /tmp 1777");
    expect(summary(entries).filter((l) => l.includes(plug))).toEqual([
      `dir ${plug} 755`,
      `file ${plug}/a.conf 600`,
      `symlink ${plug}/b.conf -> a.conf`,
      `dir ${plug}/sub 755`,
      `file ${plug}/sub/run.sh 750`,
    ]);
  });

  it("says which binary is missing", async () => {
    await expect(collectRootfs({ binaries: ["netcheck-no-such-tool"] })).rejects.toThrow(/netcheck-no-such-tool is not installed/);
  });

  it("parentOf walks up to /", () => {
    expect([parentOf("/a/b/c"), parentOf("/a/b/"), parentOf("/a"), parentOf("/")]).toEqual(["/a/b", "/a", "/", "/"]);
  });
});
