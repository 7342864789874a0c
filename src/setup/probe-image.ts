import { readFile } from "node:fs/promises";
import type { Engine } from "../engine/engine.js";
import { execOk } from "../host/host.js";
import { LocalHost } from "../host/local-host.js";
import { EnvironmentError } from "../util/errors.js";
import { buildScratchImage, type BuildScratchOptions, type ScratchImageResult } from "./scratch-image.js";
import { probeImageTag } from "../util/version.js";
import { findExecutable } from "./which.js";

export const LABEL_IMAGE = "io.netcheck.image";

/** The probe image every lab node runs: netcheck/probe:<netcheck version>. */
export { probeImageTag };
export const PROBE_IMAGE = probeImageTag();

/** The host tools the image is made of, and the Debian package that ships each. */
export const PROBE_TOOLS = [
  { binary: "busybox", package: "busybox-static" },
  { binary: "iperf3", package: "iperf3" },
  { binary: "tcpdump", package: "tcpdump" },
] as const;

const PASSWD = "root:x:0:0:root:/root:/bin/sh\ntcpdump:x:101:101:tcpdump:/nonexistent:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP = "root:x:0:\ntcpdump:x:101:\nnogroup:x:65534:\n";
// glibc ≥2.34 has the files and dns NSS modules built in: no libnss_*.so needed.
const NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nservices: files\nprotocols: files\n";

/**
 * Build (or find, when its inputs are unchanged) the probe image: static
 * busybox with one link per applet, iperf3 and tcpdump with their libraries.
 */
export async function ensureProbeImage(engine: Engine, options: BuildScratchOptions = {}): Promise<ScratchImageResult> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const tool of PROBE_TOOLS) {
    const path = await findExecutable(tool.binary);
    if (path) found[tool.binary] = path;
    else missing.push(tool.package);
  }
  if (missing.length > 0) {
    throw new EnvironmentError("NETCHECK_PROBE_TOOLS_MISSING", `Cannot build ${probeImageTag()}: the host lacks ${missing.join(", ")}.`, {
      hint: `Run \`netcheck setup\` as root on Debian/Ubuntu, or install them yourself: apt-get install -y ${missing.join(" ")}.`,
    });
  }
  const busybox = found.busybox!;
  const applets = await busyboxApplets(busybox, options.signal);
  const services = await readFile("/etc/services").catch(() => undefined);
  return buildScratchImage(
    engine,
    {
      tag: probeImageTag(),
      labels: { [LABEL_IMAGE]: "probe" },
      binaries: [{ from: busybox, to: "/bin/busybox" }, found.iperf3!, found.tcpdump!],
      dirs: [
        // iperf3 creates its temporary file in /tmp; tcpdump writes pcaps there after dropping to its user.
        { path: "/tmp", mode: 0o1777 },
        { path: "/var/tmp", mode: 0o1777 },
        { path: "/root", mode: 0o700 },
      ],
      symlinks: applets.map((a) => ({ path: `/bin/${a}`, target: "busybox" })),
      files: [
        { path: "/etc/passwd", content: PASSWD },
        { path: "/etc/group", content: GROUP },
        { path: "/etc/nsswitch.conf", content: NSSWITCH },
        ...(services ? [{ path: "/etc/services", content: services }] : []),
      ],
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
      // busybox sleep takes no "infinity": the largest 32-bit count of seconds.
      cmd: ["sleep", "2147483647"],
    },
    options,
  );
}

/** Applet names from `busybox --list`, minus "busybox" itself (a link named busybox would replace the binary). */
export async function busyboxApplets(busybox: string, signal?: AbortSignal): Promise<string[]> {
  const res = await execOk(new LocalHost(), [busybox, "--list"], { signal, timeoutMs: 10_000 });
  return parseAppletList(res.stdout);
}

export function parseAppletList(text: string): string[] {
  return [...new Set(text.split("\n").map((l) => l.trim()))].filter((a) => a !== "" && a !== "busybox" && /^[\w.[\]-]+$/.test(a)).sort();
}
