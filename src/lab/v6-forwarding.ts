import { readHostFile } from "../host/read-host-file.js";
import type { Cleanup } from "../util/cleanup.js";
import type { LabHost } from "./lab-host.js";
import type { Ledger } from "./ledger.js";

const SYSCTLS = ["net.ipv6.conf.all.forwarding=0", "net.ipv6.conf.default.forwarding=0"];

/**
 * `netcheck clean`'s form of the restore (after kill -9, once the dead run's
 * networks are gone): back to 0 unless some network on the engine (anyone's)
 * still has IPv6. Without a docker CLI to ask, it fails and says so, leaving
 * forwarding on: never turned off under someone's live v6 network.
 */
export function restoreV6ForwardingCommand(): string[] {
  return [
    "sh",
    "-c",
    [
      'command -v docker >/dev/null || { echo "no docker CLI to look for IPv6 networks: net.ipv6.conf.all.forwarding left on" >&2; exit 1; }',
      "ids=$(docker network ls -q) || exit 1",
      `if [ -n "$ids" ] && docker network inspect -f '{{.EnableIPv6}}' $ids | grep -qx true; then echo "kept: a network with IPv6 is still there"; exit 0; fi`,
      `sysctl -qw ${SYSCTLS.join(" ")}`,
    ].join("\n"),
  ];
}

/**
 * Docker 20.10's bridge driver turns `net.ipv6.conf.{all,default}.forwarding`
 * on when it creates an `--ipv6` network, and never turns it back off (and,
 * without `"ip6tables": true`, leaves ip6tables' FORWARD policy ACCEPT). The
 * lab found it off: when the run ends and no IPv6 network is left on the engine
 * (anyone's), it is put back. Another run's live v6 network keeps it on (and that
 * run, if it found it off too, is the one that puts it back). Ledgered before
 * Docker can turn it on, so `netcheck clean` puts it back after kill -9 too.
 * A dind host's sysctls die with its namespace: nothing to restore there.
 */
export async function restoreV6ForwardingLater(host: LabHost, cleanup: Cleanup, ledger: Ledger, signal?: AbortSignal): Promise<void> {
  if (host.kind === "dind") return;
  const before = await Promise.all(["all", "default"].map((c) => readHostFile(host.shell, `/proc/sys/net/ipv6/conf/${c}/forwarding`, signal)));
  if (!before.every((v) => v?.trim() === "0")) return;
  const what = `net.ipv6.conf.{all,default}.forwarding back to 0 on ${host.name} (Docker turned it on)`;
  ledger.record({ host: host.name, what, undo: restoreV6ForwardingCommand() });
  cleanup.defer(what, async (s) => {
    const nets = await host.engine.listNetworks(undefined, s);
    if (nets.some((n) => n.EnableIPv6)) return;
    await host.shell.exec(["sysctl", "-qw", ...SYSCTLS], { signal: s });
  });
}
