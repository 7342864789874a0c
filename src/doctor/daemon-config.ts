import { flagValue, parsePs, processesNamed } from "./parse/ps.js";
import type { DoctorContext, FindingEvidence } from "./types.js";

/**
 * The dockerd settings that decide what Docker does to the host's network,
 * from daemon.json and the daemon's own command line (a flag wins over the
 * file, as dockerd refuses both only for the same key).
 */
export interface DaemonConfig {
  /** dockerd's command line, when its process is visible here. */
  dockerd?: string;
  configPath: string;
  /** The file's parsed keys; undefined when absent; `invalid` when it does not parse. */
  json?: Record<string, unknown>;
  invalid?: string;
  iptables: boolean;
  ipForward: boolean;
  ipMasq: boolean;
  userlandProxy: boolean;
  /** `"bridge": "none"` / `--bridge=none`: no default bridge (docker0) at all. */
  bridgeNone: boolean;
  /** `"ipv6": true` (default bridge dual-stack), `"ip6tables"` (v6 NAT and isolation; experimental before 27.0), `"experimental"`, `"fixed-cidr-v6"`. */
  ipv6: boolean;
  ip6tables: boolean;
  experimental: boolean;
  fixedCidrV6?: string;
  evidence: FindingEvidence[];
}

const truthy = (v: unknown, fallback: boolean): boolean => (v === undefined ? fallback : v !== false && v !== "false");

export function daemonConfig(ctx: DoctorContext): Promise<DaemonConfig> {
  return ctx.facts.memo("daemon-config", async () => {
    const ps = await ctx.facts.exec(["ps", "-eo", "pid,args"]);
    const dockerd = processesNamed(parsePs(ps.stdout), "dockerd")[0]?.args;
    const flag = (name: string) => (dockerd ? flagValue(dockerd, name) : undefined);
    const configPath = flag("--config-file") ?? "/etc/docker/daemon.json";
    const text = await ctx.facts.readFile(configPath);
    let json: Record<string, unknown> | undefined;
    let invalid: string | undefined;
    if (text !== undefined && text.trim()) {
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        invalid = (err as Error).message;
      }
    }
    const pick = (key: string, flagName: string, fallback: boolean) => truthy(flag(flagName) ?? json?.[key], fallback);
    const bridge = flag("--bridge") ?? flag("-b") ?? (json?.bridge as string | undefined);
    const keys = ["iptables", "ip-forward", "ip-masq", "userland-proxy", "bridge", "ipv6", "ip6tables", "experimental", "fixed-cidr-v6"];
    const fixedCidrV6 = flag("--fixed-cidr-v6") ?? (typeof json?.["fixed-cidr-v6"] === "string" ? (json["fixed-cidr-v6"] as string) : undefined);
    return {
      dockerd,
      configPath,
      json,
      invalid,
      iptables: pick("iptables", "--iptables", true),
      ipForward: pick("ip-forward", "--ip-forward", true),
      ipMasq: pick("ip-masq", "--ip-masq", true),
      userlandProxy: pick("userland-proxy", "--userland-proxy", true),
      bridgeNone: bridge === "none",
      ipv6: pick("ipv6", "--ipv6", false),
      ip6tables: pick("ip6tables", "--ip6tables", false),
      experimental: pick("experimental", "--experimental", false),
      ...(fixedCidrV6 ? { fixedCidrV6 } : {}),
      evidence: [
        { source: `ps -eo pid,args [${ps.where}] → dockerd`, value: dockerd ?? "dockerd not visible on this host" },
        {
          source: `read ${configPath} [${ctx.host.name}]`,
          value: text === undefined ? "absent" : invalid ? `does not parse: ${invalid}` : keys.filter((k) => json && k in json).map((k) => `"${k}": ${JSON.stringify(json![k])}`).join(", ") || `(none of ${keys.join(", ")} set)`,
        },
      ],
    };
  });
}
