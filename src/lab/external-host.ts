import { execOk, type Host } from "../host/host.js";
import { NetnsHost } from "../host/netns-host.js";
import type { Cleanup } from "../util/cleanup.js";
import { parseCidr, nthAddress } from "../util/ipv4.js";
import { nthAddress6, parseCidr6 } from "../util/ipv6.js";
import { linkName, netnsName } from "../util/labels.js";
import type { Ledger } from "./ledger.js";
import type { LabHost } from "./lab-host.js";
import { netnsUndo, own } from "./owned.js";

/**
 * The lab's "outside world": a network namespace joined to a lab host by a
 * veth pair, on a benchmarking range no real network uses (198.18.0.0/15).
 * It can run servers, clients and captures; nothing is attached to the host's
 * real interface.
 */
export interface ExternalHost {
  kind: "external";
  namespace: string;
  /** Commands inside the namespace. */
  shell: Host;
  /** The namespace's address. */
  address: string;
  /** The lab host's address on the underlay: what the outside sees as "the Docker host". */
  hostSideAddress: string;
  subnet: string;
  /** IPv6 (ULA, the run's /48's first /64), when the lab has IPv6. */
  address6?: string;
  hostSideAddress6?: string;
  subnet6?: string;
  /** Host-side link name. */
  link: string;
  labHost: LabHost;
}

export async function createExternalHost(
  labHost: LabHost,
  runId: string,
  subnet: string,
  cleanup: Cleanup,
  ledger: Ledger,
  signal?: AbortSignal,
  v6?: { subnet: string; labRange: string },
): Promise<ExternalHost> {
  const sh = labHost.shell;
  const ns = netnsName(runId, "ext");
  const hostLink = linkName(runId, "u");
  const peer = linkName(runId, "v");
  const cidr = parseCidr(subnet);
  const hostSide = nthAddress(cidr, 1);
  const extSide = nthAddress(cidr, 2);
  const prefix = cidr.prefix;

  // Owned before they exist (their undo takes "already gone" as done): the one script below makes both.
  own(labHost, cleanup, ledger, `netns ${ns}`, netnsUndo(ns));
  own(labHost, cleanup, ledger, `link ${hostLink}`, ["ip", "link", "del", hostLink]);

  const steps: string[][] = [
    ["ip", "netns", "add", ns],
    ["ip", "link", "add", hostLink, "type", "veth", "peer", "name", peer],
    ["ip", "link", "set", peer, "netns", ns],
    ["ip", "-n", ns, "link", "set", peer, "name", "eth0"],
    ["ip", "-n", ns, "addr", "add", `${extSide}/${prefix}`, "dev", "eth0"],
    ["ip", "-n", ns, "link", "set", "eth0", "up"],
    ["ip", "-n", ns, "link", "set", "lo", "up"],
    ["ip", "addr", "add", `${hostSide}/${prefix}`, "dev", hostLink],
    ["ip", "link", "set", hostLink, "up"],
  ];
  const c6 = v6 && parseCidr6(v6.subnet);
  const host6 = c6 && nthAddress6(c6, 1);
  const ext6 = c6 && nthAddress6(c6, 2);
  if (v6 && c6) {
    // nodad: usable at once (DAD would hold the address "tentative" for ~1 s). The external host reaches
    // the lab's v6 networks through the lab host, like a router on the same LAN: the run's /48 only.
    steps.push(
      ["ip", "-n", ns, "-6", "addr", "add", `${ext6}/${c6.prefix}`, "dev", "eth0", "nodad"],
      ["ip", "-6", "addr", "add", `${host6}/${c6.prefix}`, "dev", hostLink, "nodad"],
      ["ip", "-n", ns, "-6", "route", "add", v6.labRange, "via", host6!],
    );
  }
  // One process for the steps (names and addresses are [a-z0-9./-] only): each spawn costs more than the step.
  await execOk(sh, ["sh", "-ec", steps.map((step) => step.join(" ")).join("\n")], { signal });
  return {
    kind: "external",
    namespace: ns,
    shell: new NetnsHost(sh, ns),
    address: extSide,
    hostSideAddress: hostSide,
    subnet,
    ...(v6 ? { address6: ext6, hostSideAddress6: host6, subnet6: v6.subnet } : {}),
    link: hostLink,
    labHost,
  };
}
