import { describe, expect, it } from "vitest";
import { parseLddOutput } from "./ldd.js";

// Recorded on Debian 12 (ldd /usr/bin/iperf3).
const IPERF3 = `	linux-vdso.so.1 (0x00007f486f5e0000)
	libiperf.so.0 => /lib/x86_64-linux-gnu/libiperf.so.0 (0x00007f486f599000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f486f3b7000)
	libcrypto.so.3 => /lib/x86_64-linux-gnu/libcrypto.so.3 (0x00007f486ee00000)
	libsctp.so.1 => /lib/x86_64-linux-gnu/libsctp.so.1 (0x00007f486f3b1000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f486f2d1000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f486f5e2000)
`;

describe("parseLddOutput", () => {
  it("keeps the paths the loader looks for, including the loader, and drops the vdso", () => {
    expect(parseLddOutput(IPERF3)).toEqual([
      "/lib/x86_64-linux-gnu/libiperf.so.0",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib/x86_64-linux-gnu/libcrypto.so.3",
      "/lib/x86_64-linux-gnu/libsctp.so.1",
      "/lib/x86_64-linux-gnu/libm.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
  });

  it("handles old-glibc vdso lines, static binaries and duplicates", () => {
    expect(parseLddOutput("\tlinux-vdso.so.1 =>  (0x00007ffd)\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n")).toEqual(["/lib/libc.so.6"]);
    expect(parseLddOutput("\tnot a dynamic executable\n")).toEqual([]);
    expect(parseLddOutput("\tstatically linked\n")).toEqual([]);
  });

  it("fails with the missing library's name", () => {
    expect(() => parseLddOutput("\tlibfoo.so.1 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n", "/usr/bin/foo")).toThrow(
      /\/usr\/bin\/foo needs libfoo\.so\.1/,
    );
  });
});
