/** What the requests to one swarm node's published port got back. */
export interface MeshNodeAnswers {
  node: string;
  address: string;
  /** One entry per request: the replica that answered (its hostname), or undefined when nothing did. */
  answeredBy: (string | undefined)[];
}

/**
 * The routing mesh: a published service port answers on every node, and the
 * requests to each node spread over the service's replicas (the VIP's load
 * balancing), proven by which replica answered — every replica is seen from
 * every node, and nothing else answers. Pure.
 */
export function judgeRoutingMesh(nodes: MeshNodeAnswers[], replicas: string[]): { status: "pass" | "fail"; reason: string } {
  if (replicas.length === 0) return { status: "fail", reason: "the service has no running replica" };
  // One replica answering everything is a published port, not a spread: the VIP is proven only between two or more.
  if (replicas.length < 2) return { status: "fail", reason: `only ${replicas.length} running replica (${replicas.join(", ")}): nothing shows the VIP spreading requests` };
  if (nodes.length === 0) return { status: "fail", reason: "no swarm node was asked" };
  const problems: string[] = [];
  for (const n of nodes) {
    const lost = n.answeredBy.filter((x) => x === undefined).length;
    const strangers = [...new Set(n.answeredBy.filter((x): x is string => x !== undefined && !replicas.includes(x)))];
    const missing = replicas.filter((r) => !n.answeredBy.includes(r));
    if (lost) problems.push(`${n.node} (${n.address}): ${lost}/${n.answeredBy.length} requests unanswered`);
    if (strangers.length) problems.push(`${n.node}: answered by ${strangers.join(", ")}, not a replica of the service`);
    if (missing.length) problems.push(`${n.node}: ${missing.join(", ")} never answered in ${n.answeredBy.length} requests (no spread over the VIP)`);
  }
  if (problems.length) return { status: "fail", reason: `routing mesh: ${problems.join("; ")}` };
  const spread = nodes.map((n) => `${n.node} ${n.address}: ${replicas.map((r) => `${r}×${n.answeredBy.filter((x) => x === r).length}`).join(" ")}`);
  return { status: "pass", reason: `the published port answers on all ${nodes.length} nodes and every node spreads over all ${replicas.length} replicas (${spread.join("; ")})` };
}
