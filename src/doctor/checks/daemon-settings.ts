import { daemonConfig } from "../daemon-config.js";
import type { DoctorCheck, Finding } from "../types.js";

/** What each networking switch of dockerd turns off, said plainly: these are deliberate settings, so a warning, not a failure. */
const DISABLES = {
  iptables: {
    key: '"iptables": false',
    what: "Docker writes no iptables rules: published ports get no DNAT (remote clients reach them only through docker-proxy, if at all), container egress gets no MASQUERADE (it leaves with private source addresses), networks are not isolated from each other, and nothing accepts container traffic in FORWARD",
    fix: 'remove `"iptables": false` from {path} and restart dockerd, or write the NAT, FORWARD and isolation rules yourself (and re-apply them whenever a network or container changes)',
  },
  ipForward: {
    key: '"ip-forward": false',
    what: "dockerd does not turn on net.ipv4.ip_forward: when the host leaves it at 0, containers reach nothing beyond their own bridge and published ports do not answer from other hosts",
    fix: 'remove `"ip-forward": false` from {path} and restart dockerd, or persist `net.ipv4.ip_forward=1` in /etc/sysctl.d/',
  },
  bridgeNone: {
    key: '"bridge": "none"',
    what: "no default bridge: docker0 does not exist and `docker run` without --network gets a container with loopback only; user-defined networks still work",
    fix: 'remove `"bridge": "none"` from {path} and restart dockerd, or always run containers with `--network <user-defined network>`',
  },
  ipMasq: {
    key: '"ip-masq": false',
    what: "no MASQUERADE for bridge networks: containers' outbound traffic leaves with private source addresses and gets no replies unless the upstream routes to them",
    fix: 'remove `"ip-masq": false` from {path} and restart dockerd, or route the container subnets on your upstream router',
  },
} as const;

/** daemon.json / dockerd flags that switch Docker's network plumbing off, and a daemon.json that does not parse. */
export const daemonSettingsCheck: DoctorCheck = {
  id: "daemon-settings",
  area: "engine",
  title: "dockerd networking settings",
  async run(ctx) {
    const cfg = await daemonConfig(ctx);
    const out: Finding[] = [];
    if (cfg.invalid) {
      out.push({
        id: "engine/daemon-json",
        area: "engine",
        status: "fail",
        title: `${cfg.configPath} does not parse: dockerd will refuse to start on its next restart`,
        evidence: cfg.evidence,
        fix: `fix the JSON in ${cfg.configPath} (\`python3 -m json.tool ${cfg.configPath}\` shows where), then restart dockerd`,
      });
    }
    const off = [
      !cfg.iptables && "iptables",
      !cfg.ipForward && "ipForward",
      cfg.bridgeNone && "bridgeNone",
      !cfg.ipMasq && "ipMasq",
    ].filter((k): k is keyof typeof DISABLES => Boolean(k));
    for (const k of off) {
      const d = DISABLES[k];
      out.push({
        id: `engine/daemon-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        area: "engine",
        status: "warn",
        title: `${d.key} (daemon.json or dockerd flag): ${d.what}`,
        evidence: cfg.evidence,
        fix: d.fix.replace("{path}", cfg.configPath),
      });
    }
    if (out.length === 0) {
      out.push({ id: "engine/daemon-settings", area: "engine", status: "ok", title: "dockerd manages iptables, ip_forward, masquerading and the default bridge (no switch turned off)", evidence: cfg.evidence });
    }
    return out;
  },
};
