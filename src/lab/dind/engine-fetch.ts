import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execOk } from "../../host/host.js";
import { LocalHost } from "../../host/local-host.js";
import { EnvironmentError } from "../../util/errors.js";

/** Where extracted engines live: <root>/<version>/root/usr/{sbin,bin}/… (kept across runs). */
export const ENGINE_CACHE = process.env.NETCHECK_ENGINE_CACHE ?? "/var/cache/netcheck/engines";

/**
 * Engine versions a dind host can run besides the host's own, each from the
 * Debian suite that ships it (docker.io + its containerd; runc stays the
 * host's: trixie's runc needs glibc 2.38, which bookworm lacks). Only the
 * Debian mirror is ever used, through apt with its own lists and sources —
 * the host's apt state and installed packages are never touched.
 */
export const DEBIAN_ENGINES: Record<string, { suite: string }> = {
  "26.1": { suite: "trixie" },
};

/** "26.1" and "26.1.5" name the same engine line; "20.10" and "20.10.24+dfsg1" too. */
export function engineLine(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/**
 * The root to bind at /opt/engine for `version`, or undefined when it is the
 * host's own engine line (the dind host then runs the host's /usr). Fetched
 * once: `apt-get download` from the suite's source, `dpkg-deb -x` into the cache.
 */
export function ensureEngineRoot(version: string, hostEngine: string, signal?: AbortSignal): Promise<string | undefined> {
  // One fetch per engine line at a time: scenarios started together share it (apt holds a lock anyway).
  const key = `${engineLine(version)}@${engineLine(hostEngine)}`;
  let p = inFlight.get(key);
  if (!p) {
    p = fetchEngineRoot(version, hostEngine, signal);
    inFlight.set(key, p);
    p.catch(() => inFlight.delete(key));
  }
  return p;
}

const inFlight = new Map<string, Promise<string | undefined>>();

async function fetchEngineRoot(version: string, hostEngine: string, signal?: AbortSignal): Promise<string | undefined> {
  const line = engineLine(version);
  if (line === engineLine(hostEngine)) return undefined;
  const known = DEBIAN_ENGINES[line];
  if (!known) {
    throw new EnvironmentError("NETCHECK_ENGINE_UNKNOWN", `No Docker engine ${version} to run on a dind host: this machine has ${hostEngine}, and netcheck knows ${Object.keys(DEBIAN_ENGINES).join(", ")} from Debian.`, {
      hint: `Ask for --engine ${engineLine(hostEngine)} (the host's) or one of: ${Object.keys(DEBIAN_ENGINES).join(", ")}.`,
    });
  }
  const root = join(ENGINE_CACHE, line, "root");
  if (existsSync(join(root, "usr", "sbin", "dockerd"))) return root;
  const apt = join(ENGINE_CACHE, "apt", known.suite);
  for (const d of ["lists/partial", "archives/partial", "etc"]) mkdirSync(join(apt, d), { recursive: true });
  writeFileSync(join(apt, "etc", `${known.suite}.sources`), `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${known.suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`);
  writeFileSync(join(apt, "etc", "empty.list"), "");
  const opts = [
    `Dir::Etc::sourcelist=${join(apt, "etc", "empty.list")}`,
    `Dir::Etc::sourceparts=${join(apt, "etc")}`,
    `Dir::State::Lists=${join(apt, "lists")}`,
    `Dir::Cache=${apt}`,
    `Dir::Cache::Archives=${join(apt, "archives")}`,
    "APT::Sandbox::User=root",
  ].flatMap((o) => ["-o", o]);
  const local = new LocalHost();
  try {
    await execOk(local, ["apt-get", ...opts, "update"], { signal, timeoutMs: 300_000 });
    await execOk(local, ["sh", "-c", `cd "$1" && shift && apt-get "$@" download docker.io containerd`, "sh", join(apt, "archives"), ...opts], { signal, timeoutMs: 600_000 });
    mkdirSync(root, { recursive: true });
    for (const deb of readdirSync(join(apt, "archives")).filter((f) => /^(docker\.io|containerd)_.*\.deb$/.test(f))) await execOk(local, ["dpkg-deb", "-x", join(apt, "archives", deb), root], { signal, timeoutMs: 120_000 });
  } catch (err) {
    throw new EnvironmentError("NETCHECK_ENGINE_FETCH", `Could not fetch Docker ${version} from Debian ${known.suite}.`, {
      hint: "It needs the Debian mirror (apt-get download) and root; the host's own packages are not changed. Run again, or drop --engine.",
      cause: err,
    });
  }
  return root;
}
