/**
 * The Docker daemon settings an explanation may lean on, read from dockerd's
 * command line and /etc/docker/daemon.json (flags win, as in dockerd). Only
 * settings that change what the kernel does to a flow. Pure.
 */
export interface DaemonSettings {
  iptables?: boolean;
  ipForward?: boolean;
  userlandProxy?: boolean;
  icc?: boolean;
  /** Where each setting was read, quoted in the evidence. */
  source: string;
}

const KEYS: [keyof Omit<DaemonSettings, "source">, string][] = [
  ["iptables", "iptables"],
  ["ipForward", "ip-forward"],
  ["userlandProxy", "userland-proxy"],
  ["icc", "icc"],
];

export function parseDaemonSettings(cmdline: string, daemonJson = ""): DaemonSettings {
  const out: DaemonSettings = { source: "" };
  const read: string[] = [];
  let json: Record<string, unknown> = {};
  try {
    json = daemonJson.trim() ? (JSON.parse(daemonJson) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  for (const [key, name] of KEYS) {
    const flag = new RegExp(`--${name}(?:=(\\S+))?(?:\\s|$)`).exec(cmdline);
    if (flag) {
      out[key] = flag[1] === undefined ? true : flag[1] !== "false";
      read.push(`dockerd --${name}${flag[1] !== undefined ? `=${flag[1]}` : ""}`);
    } else if (typeof json[name] === "boolean") {
      out[key] = json[name] as boolean;
      read.push(`daemon.json "${name}": ${String(json[name])}`);
    }
  }
  out.source = read.join(", ");
  return out;
}

/** The words for a setting turned off: `"iptables": false (dockerd --iptables=false)`. */
export function settingOff(d: DaemonSettings | undefined, key: keyof Omit<DaemonSettings, "source">): string | undefined {
  if (d?.[key] !== false) return undefined;
  const name = KEYS.find(([k]) => k === key)![1];
  return `the daemon runs with "${name}": false (${d.source.split(", ").find((s) => s.includes(name)) ?? d.source})`;
}
