import { execOk, type Host } from "../host/host.js";
import { NetnsHost } from "../host/netns-host.js";
import type { Cleanup } from "../util/cleanup.js";
import { parseCidr, nthAddress } from "../util/ipv4.js";
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
): Promise<ExternalHost> {
  const sh = labHost.shell;
  const ns = netnsName(runId, "ext");
  const hostLink = linkName(runId, "u");
  const peer = linkName(runId, "v");
  const cidr = parseCidr(subnet);
  const hostSide = nthAddress(cidr, 1);
  const extSide = nthAddress(cidr, 2);
  const prefix = cidr.prefix;

  await execOk(sh, ["ip", "netns", "add", ns], { signal });
  own(labHost, cleanup, ledger, `netns ${ns}`, netnsUndo(ns));

  await execOk(sh, ["ip", "link", "add", hostLink, "type", "veth", "peer", "name", peer], { signal });
  own(labHost, cleanup, ledger, `link ${hostLink}`, ["ip", "link", "del", hostLink]);

  const steps: string[][] = [
    ["ip", "link", "set", peer, "netns", ns],
    ["ip", "-n", ns, "link", "set", peer, "name", "eth0"],
    ["ip", "-n", ns, "addr", "add", `${extSide}/${prefix}`, "dev", "eth0"],
    ["ip", "-n", ns, "link", "set", "eth0", "up"],
    ["ip", "-n", ns, "link", "set", "lo", "up"],
    ["ip", "addr", "add", `${hostSide}/${prefix}`, "dev", hostLink],
    ["ip", "link", "set", hostLink, "up"],
  ];
  // One process for the seven steps (names and addresses are [a-z0-9./-] only): each spawn costs more than the step.
  await execOk(sh, ["sh", "-ec", steps.map((step) => step.join(" ")).join("\n")], { signal });
  return {
    kind: "external",
    namespace: ns,
    shell: new NetnsHost(sh, ns),
    address: extSide,
    hostSideAddress: hostSide,
    subnet,
    link: hostLink,
    labHost,
  };
}
