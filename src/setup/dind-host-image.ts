import type { Engine } from "../engine/engine.js";
import { dindHostImageTag } from "../util/version.js";
import { buildScratchImage, type BuildScratchOptions, type ScratchImageResult } from "./scratch-image.js";
import { LABEL_IMAGE } from "./probe-image.js";

/**
 * The image of a docker-in-docker lab host: no binaries at all. The host's
 * /usr (dockerd, containerd, runc, iptables, iproute2, tcpdump) and
 * /etc/alternatives are bind-mounted read-only when it runs, so the inner
 * engine is exactly the host's (or an extracted one under /opt/engine), and
 * the image stays a few hundred bytes. Debian is merged-/usr: /bin, /sbin and
 * /lib* are links into /usr.
 */
export async function ensureDindHostImage(engine: Engine, options: BuildScratchOptions = {}): Promise<ScratchImageResult> {
  return buildScratchImage(
    engine,
    {
      tag: dindHostImageTag(),
      labels: { [LABEL_IMAGE]: "dind-host" },
      binaries: [],
      dirs: [
        { path: "/tmp", mode: 0o1777 },
        { path: "/root", mode: 0o700 },
        { path: "/usr" },
        { path: "/etc/alternatives" },
        { path: "/etc/docker" },
        { path: "/var/lib/docker" },
        { path: "/var/lib/containerd" },
        { path: "/run" },
        { path: "/opt/engine" },
        { path: "/netcheck" },
      ],
      symlinks: [
        { path: "/bin", target: "usr/bin" },
        { path: "/sbin", target: "usr/sbin" },
        { path: "/lib", target: "usr/lib" },
        { path: "/lib64", target: "usr/lib64" },
        { path: "/var/run", target: "/run" },
      ],
      files: [
        { path: "/etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\ntcpdump:x:101:101:tcpdump:/nonexistent:/bin/false\n" },
        { path: "/etc/group", content: "root:x:0:\ndocker:x:999:\ntcpdump:x:101:\n" },
        { path: "/etc/nsswitch.conf", content: "passwd: files\ngroup: files\nhosts: files dns\n" },
      ],
      env: { PATH: "/opt/engine/usr/sbin:/opt/engine/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
      cmd: ["sleep", "infinity"],
    },
    options,
  );
}
