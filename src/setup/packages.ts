import { readdir } from "node:fs/promises";
import type { Host } from "../host/host.js";
import { EnvironmentError } from "../util/errors.js";
import { findExecutable } from "./which.js";

/** A Debian package netcheck needs, the binary it ships, and packages that would do as well. */
export interface Requirement {
  package: string;
  binary: string;
  alternatives?: string[];
}

export const TOOL_REQUIREMENTS: Requirement[] = [
  // A dynamic busybox works too: buildScratchImage copies its libraries.
  { package: "busybox-static", binary: "busybox", alternatives: ["busybox"] },
  { package: "iperf3", binary: "iperf3" },
  { package: "tcpdump", binary: "tcpdump" },
  // The path-MTU check runs the host's `ping -M do` in a node's namespace (busybox ping cannot set don't-fragment).
  { package: "iputils-ping", binary: "ping" },
];
export const ENGINE_REQUIREMENTS: Requirement[] = [
  { package: "docker.io", binary: "dockerd", alternatives: ["docker-ce"] },
  // dockerd programs NAT and isolation rules with it and fails to start without it.
  { package: "iptables", binary: "iptables" },
];

/** `dpkg-query -W -f '${Package} ${db:Status-Status}\n'` output → the installed package names. */
export function parseDpkgStatus(stdout: string): Set<string> {
  const installed = new Set<string>();
  for (const line of stdout.split("\n")) {
    const [pkg, status] = line.trim().split(/\s+/);
    if (pkg && status === "installed") installed.add(pkg.replace(/:.*$/, ""));
  }
  return installed;
}

export function missingPackages(reqs: readonly Requirement[], installed: ReadonlySet<string>): string[] {
  return reqs.filter((r) => ![r.package, ...(r.alternatives ?? [])].some((p) => installed.has(p))).map((r) => r.package);
}

/** On Debian ask dpkg; elsewhere (no dpkg) look for the binaries. */
export async function findMissing(host: Host, reqs: readonly Requirement[], debianLike: boolean, signal?: AbortSignal): Promise<string[]> {
  if (debianLike) {
    const names = reqs.flatMap((r) => [r.package, ...(r.alternatives ?? [])]);
    // Exits 1 when some name is unknown to dpkg; stdout still lists the known ones.
    const res = await host.exec(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", ...names], { signal, timeoutMs: 30_000 });
    if (res.exitCode === 0 || res.exitCode === 1) return missingPackages(reqs, parseDpkgStatus(res.stdout));
  }
  const missing: string[] = [];
  for (const r of reqs) if (!(await findExecutable(r.binary))) missing.push(r.package);
  return missing;
}

let aptUpdated = false;
/** For tests: forget that `apt-get update` ran in this process. */
export function resetAptState(): void {
  aptUpdated = false;
}

export interface AptOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Where apt keeps its package lists (tests point it at a temp dir). */
  listsDir?: string;
}

/**
 * apt-get install, non-interactive. `apt-get update` runs at most once, and
 * only when the package lists are empty or the install cannot find a package.
 */
export async function aptInstall(host: Host, packages: string[], options: AptOptions = {}): Promise<void> {
  const { signal, log = () => undefined } = options;
  const update = async () => {
    log("apt-get update");
    // Wait for another apt (a parallel setup, unattended upgrades) instead of failing on its lock.
    const res = await host.exec(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update"], { signal, timeoutMs: 600_000 });
    aptUpdated = true;
    if (res.exitCode !== 0) throw aptError("apt-get update", res.stderr || res.stdout);
  };
  if (!aptUpdated && !(await hasPackageLists(options.listsDir))) await update();
  const install = () => {
    log(`apt-get install -y ${packages.join(" ")}`);
    return host.exec(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", ...packages], {
      signal,
      timeoutMs: 1_200_000,
    });
  };
  let res = await install();
  if (res.exitCode !== 0 && !aptUpdated && /Unable to locate package|no installation candidate|404\s+Not Found|Failed to fetch/i.test(res.stderr + res.stdout)) {
    await update();
    res = await install();
  }
  if (res.exitCode !== 0) throw aptError(`apt-get install ${packages.join(" ")}`, res.stderr || res.stdout);
}

async function hasPackageLists(dir = "/var/lib/apt/lists"): Promise<boolean> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.some((f) => f.endsWith("_Packages") || f.endsWith("_Packages.lz4"));
}

function aptError(what: string, output: string): EnvironmentError {
  const tail = output.trim().split("\n").slice(-5).join("\n");
  return new EnvironmentError("NETCHECK_APT_FAILED", `${what} failed:\n${tail}`, {
    hint: "Check the machine's package sources and network access to them, then rerun `netcheck setup`; or install the packages yourself.",
  });
}
