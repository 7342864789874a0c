import { isUp, parseJsonArray, type IpLink } from "../parse/ip-json.js";
import type { DoctorCheck, Finding } from "../types.js";

/** macvlan/ipvlan networks: their parent must exist and be up; the host cannot talk to its own macvlan children. */
export const macvlanCheck: DoctorCheck = {
  id: "macvlan",
  area: "overlay",
  title: "macvlan and ipvlan parents",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [];
    const nets = snap.networks.filter((n) => n.Driver === "macvlan" || n.Driver === "ipvlan");
    if (nets.length === 0) return [{ id: "overlay/macvlan-parents", area: "overlay", status: "ok", title: "no macvlan/ipvlan networks", evidence: [{ source: "GET /networks", value: "(none)" }] }];
    const linkRes = await ctx.facts.exec(["ip", "-j", "link"]);
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    const out: Finding[] = [];
    for (const n of nets) {
      const parent = n.Options?.parent;
      const link = parent ? links.find((l) => l.ifname === parent) : undefined;
      const problem = !parent ? "no parent (internal dummy parent)" : !link ? `parent ${parent} does not exist` : !isUp(link) ? `parent ${parent} is down` : undefined;
      out.push({
        id: `overlay/parent/${n.Name}`,
        area: "overlay",
        status: problem && parent ? "fail" : "ok",
        title: `${n.Driver} network ${n.Name}: ${problem ?? `parent ${parent} up`}`,
        evidence: [{ source: `GET /networks → ${n.Name}.Options.parent; ip -j link [${linkRes.where}]`, value: `${parent ?? "(none)"}: ${link ? link.flags.join(",") : "absent"}` }],
        fix: problem && parent ? (!link && parent.includes(".") ? `create the VLAN sub-interface (needs 8021q): ip link add link ${parent.split(".")[0]} name ${parent} type vlan id ${parent.split(".")[1]}` : `ip link set ${parent} up`) : undefined,
      });
    }
    if (nets.some((n) => n.Driver === "macvlan")) {
      out.push({
        id: "overlay/macvlan-host-reachability",
        area: "overlay",
        status: "ok",
        title: "note: the host cannot reach its own macvlan containers through the parent (the kernel does not switch parent↔child traffic)",
        evidence: [{ source: "GET /networks", value: nets.map((n) => `${n.Name} (${n.Driver}, parent ${n.Options?.parent ?? "-"})`).join("\n") }],
        fix: "to reach them from the host add a macvlan shim: `ip link add mv-shim link <parent> type macvlan mode bridge; ip addr add <free ip>/32 dev mv-shim; ip link set mv-shim up; ip route add <container range> dev mv-shim`",
      });
    }
    return out;
  },
};
