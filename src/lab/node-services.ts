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

/** Wait until every service listens (Debian's busybox nc has no -z: `-e true` closes once connected) (inside the node's own namespace), up to `timeoutMs`. */
export async function waitForServices(node: StartedNode, serve: ServeHttp[], signal?: AbortSignal, timeoutMs = 10_000): Promise<void> {
  for (const s of serve) {
    const loops = Math.ceil(timeoutMs / 50);
    const script = `i=0; while [ $i -lt ${loops} ]; do nc -w 1 127.0.0.1 ${s.port} -e true 2>/dev/null && exit 0; usleep 50000; i=$((i+1)); done; exit 1`;
    const res = await node.shell.exec(["sh", "-c", script], { signal, timeoutMs: timeoutMs + 2000 });
    if (res.exitCode !== 0) {
      throw new LabBringUpError(`node "${node.name}": its HTTP server on port ${s.port} did not start listening within ${timeoutMs / 1000}s`, res.stderr || res.stdout);
    }
  }
}
