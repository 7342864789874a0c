import { readHostFile } from "../host/read-host-file.js";
import { hostname } from "node:os";
import type { LabHost } from "../lab/lab-host.js";
import type { HostFacts } from "../report/model.js";

/** The environment a run's results depend on: engine, kernel, iptables backend, uplink. */
export async function gatherHostFacts(host: LabHost, signal?: AbortSignal): Promise<HostFacts> {
  const [kernel, ipt, osRelease, version, info] = await Promise.all([
    readHostFile(host.shell, "/proc/sys/kernel/osrelease", signal),
    host.shell.exec(["iptables", "--version"], { signal }),
    host.shell.readFile("/etc/os-release", { signal }),
    host.engine.version().catch(() => undefined),
    host.engine.info().catch(() => undefined),
  ]);
  const backend = /nf_tables/.test(ipt.stdout) ? "nft" : /legacy/.test(ipt.stdout) ? "legacy" : "unknown";
  const security = (info?.SecurityOptions as string[] | undefined) ?? [];
  return {
    hostname: hostname(),
    kernel: kernel?.trim() ?? "",
    os: /^PRETTY_NAME="?([^"\n]+)/m.exec(osRelease ?? "")?.[1],
    engine: version
      ? {
          version: version.Version,
          apiVersion: version.ApiVersion,
          os: version.Os,
          rootless: security.some((s) => s.includes("rootless")),
          storageDriver: info?.Driver as string | undefined,
          endpoint: host.engine.endpoint.display,
        }
      : undefined,
    iptablesBackend: backend,
    uplink: host.uplink,
    cpus: (await import("node:os")).cpus().length,
  };
}
