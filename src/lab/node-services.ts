import type { ServeHttp } from "./topology.js";
import type { StartedNode } from "./started.js";
import { LabBringUpError } from "./errors.js";

/**
 * A node's PID 1: write an identity page (so a probe proves *which* node
 * answered), start its services, then sleep. Busybox applets only.
 */
export function nodeCommand(name: string, serve: ServeHttp[]): string[] {
  const lines = ["mkdir -p /tmp/www", `echo "node=${name}" > /tmp/www/index.html`];
  for (const s of serve) if (s.kind === "http") lines.push(`httpd -p ${s.port} -h /tmp/www`);
  lines.push("exec sleep 2147483647");
  return ["sh", "-c", lines.join(" && ")];
}

/**
 * How long a node's services may take to listen. On a TCG VM a container's
 * own start-up forks take seconds while the engine starts its siblings: with
 * eight nodes starting on vm1, `docker start` took 107–155 s and one node's
 * httpd was not listening 12 s after its start returned (measured).
 */
function readyWithinMs(node: StartedNode): number {
  return node.labHost.kind === "vm" ? 60_000 : 10_000;
}

/**
 * Wait until every service listens, inside the node's own namespace, up to
 * `timeoutMs`: TCP by connecting (Debian's busybox nc has no -z: `-e true`
 * closes once connected), UDP by its socket in /proc/net/udp (a connect proves nothing for UDP).
 */
export async function waitForServices(node: StartedNode, serve: ServeHttp[], signal?: AbortSignal, timeoutMs = readyWithinMs(node)): Promise<void> {
  for (const s of serve) {
    const hex = s.port.toString(16).toUpperCase().padStart(4, "0");
    const test = s.kind === "udp" ? `grep -q ':${hex} ' /proc/net/udp /proc/net/udp6` : `nc -w 1 127.0.0.1 ${s.port} -e true 2>/dev/null`;
    // Bounded by the container's clock, not by a count of rounds: on a slow host each round's forks cost seconds.
    const script = `end=$(( $(date +%s) + ${Math.ceil(timeoutMs / 1000)} )); while [ "$(date +%s)" -lt "$end" ]; do ${test} && exit 0; usleep 50000; done; ${test}`;
    const res = await node.shell.exec(["sh", "-c", script], { signal, timeoutMs: timeoutMs + 2000 });
    if (res.exitCode !== 0) {
      const what = s.kind === "http" ? "its HTTP server" : `its ${s.kind.toUpperCase()} service`;
      throw new LabBringUpError(`node "${node.name}": ${what} on port ${s.port} did not start listening within ${timeoutMs / 1000}s`, res.stderr || res.stdout);
    }
  }
}
