import type { Cleanup } from "../util/cleanup.js";
import type { LabHost } from "./lab-host.js";

/**
 * Docker 20.10's bridge driver turns `net.ipv6.conf.{all,default}.forwarding`
 * on when it creates an `--ipv6` network, and never turns it back off (and,
 * without `"ip6tables": true`, leaves ip6tables' FORWARD policy ACCEPT). The
 * lab found it off: when the run ends and no IPv6 network is left on the engine
 * (anyone's), it is put back. Another run's live v6 network keeps it on (and that
 * run, if it found it off too, is the one that puts it back).
 */
export async function restoreV6ForwardingLater(host: LabHost, cleanup: Cleanup, signal?: AbortSignal): Promise<void> {
  const before = await host.shell.exec(["cat", "/proc/sys/net/ipv6/conf/all/forwarding", "/proc/sys/net/ipv6/conf/default/forwarding"], { signal });
  if (before.exitCode !== 0 || !/^0\s+0\s*$/.test(before.stdout)) return;
  cleanup.defer(`net.ipv6.conf.{all,default}.forwarding back to 0 on ${host.name} (Docker turned it on)`, async (s) => {
    const nets = await host.engine.listNetworks(undefined, s);
    if (nets.some((n) => n.EnableIPv6)) return;
    await host.shell.exec(["sysctl", "-qw", "net.ipv6.conf.all.forwarding=0", "net.ipv6.conf.default.forwarding=0"], { signal: s });
  });
}
