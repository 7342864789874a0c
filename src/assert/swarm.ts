export interface SwarmNodeRow {
  hostname: string;
  status: string;
  availability: string;
  managerStatus: string;
}

/** `docker node ls --format '{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}'`. */
export function parseNodeLs(text: string): SwarmNodeRow[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const [hostname = "", status = "", availability = "", managerStatus = ""] = l.split("\t");
      return { hostname, status, availability, managerStatus };
    });
}

/** Every expected host is a swarm node that is Ready and Active, exactly one of them the Leader. Pure. */
export function assertSwarmReady(rows: SwarmNodeRow[], expected: string[], leader: string): { status: "pass" | "fail"; reason: string } {
  for (const h of expected) {
    const r = rows.find((x) => x.hostname === h);
    if (!r) return { status: "fail", reason: `${h} is not a node of the swarm (nodes: ${rows.map((x) => x.hostname).join(", ") || "none"})` };
    if (r.status !== "Ready" || r.availability !== "Active") return { status: "fail", reason: `${h} is ${r.status}/${r.availability}, not Ready/Active` };
  }
  const leaders = rows.filter((r) => r.managerStatus === "Leader").map((r) => r.hostname);
  if (leaders.length !== 1 || leaders[0] !== leader) return { status: "fail", reason: `the leader is ${leaders.join(", ") || "nobody"}, expected ${leader}` };
  return { status: "pass", reason: `${rows.length} nodes Ready and Active (${rows.map((r) => `${r.hostname}${r.managerStatus ? ` ${r.managerStatus}` : ""}`).join(", ")})` };
}
