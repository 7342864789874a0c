import { access, readFile } from "node:fs/promises";

export interface OsRelease {
  id: string;
  idLike: string[];
  prettyName: string;
}

/** /etc/os-release: KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease {
  const kv = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, "$2"));
  }
  return {
    id: kv.get("ID") ?? "linux",
    idLike: (kv.get("ID_LIKE") ?? "").split(/\s+/).filter(Boolean),
    prettyName: kv.get("PRETTY_NAME") ?? kv.get("NAME") ?? "an unknown Linux",
  };
}

/** Debian, Ubuntu and their derivatives: apt-get and dpkg-query are there. */
export function isDebianLike(os: OsRelease): boolean {
  return [os.id, ...os.idLike].some((id) => id === "debian" || id === "ubuntu");
}

export interface HostFacts {
  os: OsRelease;
  isRoot: boolean;
  /** systemd is PID 1 (the check systemd's own sd_booted() makes). */
  hasSystemd: boolean;
}

export async function gatherHostFacts(): Promise<HostFacts> {
  const osText = (await readFile("/etc/os-release", "utf8").catch(() => undefined)) ?? (await readFile("/usr/lib/os-release", "utf8").catch(() => ""));
  return {
    os: parseOsRelease(osText),
    isRoot: process.getuid?.() === 0,
    hasSystemd: await access("/run/systemd/system").then(
      () => true,
      () => false,
    ),
  };
}
