export interface Listener {
  proto: "tcp" | "udp";
  address: string;
  port: number;
  /** Process names from `users:(("name",pid=…))`, empty when ss could not tell. */
  processes: string[];
}

/** Parse `ss -H -ltnp` / `ss -H -lunp` lines. */
export function parseSsListeners(text: string, proto: "tcp" | "udp"): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split("\n")) {
    const cols = line.trim().split(/\s+/);
    // State Recv-Q Send-Q Local Peer [Process]; udp without -H header has the same shape.
    if (cols.length < 5 || !/^(LISTEN|UNCONN)$/.test(cols[0]!)) continue;
    const local = cols[3]!;
    const idx = local.lastIndexOf(":");
    const port = Number(local.slice(idx + 1));
    if (!Number.isInteger(port)) continue;
    const address = local.slice(0, idx).replace(/^\[|\]$/g, "").replace(/%\S+$/, "");
    const processes = [...line.matchAll(/\("([^"]+)",pid=\d+/g)].map((m) => m[1]!);
    out.push({ proto, address, port, processes });
  }
  return out;
}
