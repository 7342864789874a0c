import type { EngineNetwork } from "../facts.js";
import type { DoctorContext } from "../types.js";

/** The Linux bridge behind a Docker bridge network: docker0 for "bridge", else the option or br-<id12>. */
export function bridgeName(net: EngineNetwork): string {
  const opt = net.Options?.["com.docker.network.bridge.name"];
  if (opt) return opt;
  return net.Name === "bridge" ? "docker0" : `br-${net.Id.slice(0, 12)}`;
}

export function bridgeNetworks(nets: EngineNetwork[]): EngineNetwork[] {
  return nets.filter((n) => n.Driver === "bridge");
}

export function subnetsOf(net: EngineNetwork): string[] {
  return (net.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s) && !s!.includes(":"));
}

/** Bridge device names: from the engine when it answers, else docker0 and br-* links seen on the host. */
export async function dockerBridges(ctx: DoctorContext): Promise<string[]> {
  const snap = await ctx.facts.engineSnapshot();
  if (snap) return bridgeNetworks(snap.networks).map(bridgeName);
  const links = (await ctx.facts.json<{ ifname: string }[]>(["ip", "-j", "link", "show", "type", "bridge"])) ?? [];
  return links.map((l) => l.ifname).filter((n) => n === "docker0" || n.startsWith("br-"));
}
