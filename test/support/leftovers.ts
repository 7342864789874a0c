import { execa } from "execa";

/** Everything a netcheck run may create on this machine, listed from the system itself. */
export async function leftovers(runId?: string): Promise<string[]> {
  const found: string[] = [];
  const label = runId ? `label=io.netcheck.run=${runId}` : "label=io.netcheck.run";
  const sh = async (cmd: string) => (await execa("sh", ["-c", cmd], { reject: false })).stdout.split("\n").filter(Boolean);
  for (const c of await sh(`docker ps -aq --filter ${label}`)) found.push(`container ${c}`);
  for (const n of await sh(`docker network ls -q --filter ${label}`)) found.push(`network ${n}`);
  const id = runId ?? "";
  for (const n of await sh("ip netns list")) if (n.startsWith("netcheck-") && n.includes(id)) found.push(`netns ${n}`);
  for (const l of await sh("ip -o link show")) {
    const name = /^\d+:\s+([^:@]+)/.exec(l)?.[1];
    if (name?.startsWith("netcheck-") && name.includes(id)) found.push(`link ${name}`);
  }
  for (const r of await sh("iptables -w -S DOCKER-USER")) if (r.includes(`netcheck:${id}`)) found.push(`rule ${r}`);
  if (!runId) for (const r of await sh("ip route show type unreachable")) if (/metric 4242\b/.test(r)) found.push(`route ${r}`);
  for (const f of await sh(`ls /run/netcheck/runs 2>/dev/null`)) if (f.includes(id)) found.push(`ledger ${f}`);
  return found;
}
