import { ruleCount } from "../parse/iptables-save.js";
import type { DoctorCheck, Finding } from "../types.js";

/** Which iptables backend is in use, and whether rules are split across legacy and nft. */
export const firewallBackendCheck: DoctorCheck = {
  id: "firewall-backend",
  area: "firewall",
  title: "iptables backend",
  async run(ctx) {
    const area = "firewall" as const;
    const version = await ctx.facts.exec(["iptables", "--version"]);
    if (version.exitCode !== 0) {
      return [{ id: "firewall/backend", area, status: "warn", title: "iptables not found: cannot inspect Docker's rules", evidence: [ctx.facts.evidence(version)], fix: "install iptables (Debian: apt-get install iptables)" }];
    }
    const backend = /nf_tables/.test(version.stdout) ? "nft" : /legacy/.test(version.stdout) ? "legacy" : "unknown";
    const out: Finding[] = [
      { id: "firewall/backend", area, status: "ok", title: `iptables backend: ${backend}`, evidence: [ctx.facts.evidence(version)] },
    ];
    const [legacy, nft] = await Promise.all([ctx.facts.exec(["iptables-legacy-save"]), ctx.facts.exec(["iptables-nft-save"])]);
    if (legacy.exitCode === 0 && nft.exitCode === 0) {
      const l = ruleCount(legacy.stdout);
      const n = ruleCount(nft.stdout);
      const split = l > 0 && n > 0;
      const other = backend === "nft" ? "legacy" : "nft";
      out.push({
        id: "firewall/split-backends",
        area,
        status: split ? "fail" : "ok",
        title: split
          ? `rules in both backends (legacy: ${l}, nft: ${n}): both tables are evaluated, a DROP in either wins, and Docker only manages the ${backend} one`
          : `rules in one backend only (legacy: ${l}, nft: ${n})`,
        evidence: [
          { source: `iptables-legacy-save [${legacy.where}]`, value: `${l} rules` },
          { source: `iptables-nft-save [${nft.where}]`, value: `${n} rules` },
        ],
        fix: split
          ? `remove the ${other} rules (\`iptables-${other}-save\` to review, then flush them) and pick one backend for every tool: \`update-alternatives --set iptables /usr/sbin/iptables-${backend}\``
          : undefined,
      });
    }
    return out;
  },
};
