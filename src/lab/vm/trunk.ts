import type { ExecResult, Host } from "../../host/host.js";
import { LABEL_RUN } from "../../util/labels.js";

/**
 * The VM lab's wiring, fixed by vagrant/Vagrantfile and `netcheck vm up`:
 * every VM's eth1 sits on the isolated libvirt network netcheck-vm-trk (pure
 * L2 between the VMs, no host address, no <forward>), with vmN at
 * 10.214.90.(10+N). Scenarios put ipvlan/macvlan parents and the overlay
 * underlay there, never on a real NIC.
 */
export const VM_TRUNK = "eth1";
export const VM_UNDERLAY = "10.214.90.0/24";
export const VM_MGMT = "10.214.89.0/24";

export function vmUnderlayAddress(index: number): string {
  return `10.214.90.${10 + index}`;
}

/**
 * What the trunk helpers need from a check (a CheckContext is one): a change on
 * a lab host that goes into the run's ledger and the scenario's cleanup, so a
 * peer address or VLAN link left by a killed run is removed by `netcheck clean`.
 */
export interface TrunkChangeContext {
  own(on: { kind: "lab-host"; name?: string }, change: { what: string; apply: string[]; undo: string[] }, timeoutMs?: number): Promise<{ result: ExecResult }>;
  run: { runId: string; host(name?: string): { shell: Host } };
  signal?: AbortSignal;
}

/**
 * `docker network create` on a lab host by hand (a scenario showing what Docker
 * accepts or refuses), labelled with the run and named nc-<run id>-…, so the
 * run's teardown and `netcheck clean` remove it like any lab network.
 */
export async function createLabNetwork<C extends TrunkChangeContext>(ctx: C, host: string, name: string, args: string[]): Promise<Awaited<ReturnType<C["own"]>> & { name: string }> {
  const full = `nc-${ctx.run.runId}-${name}`;
  const r = await ctx.own(
    { kind: "lab-host", name: host },
    { what: `network ${full}`, apply: ["docker", "network", "create", "--label", `${LABEL_RUN}=${ctx.run.runId}`, ...args, full], undo: ["docker", "network", "rm", full] },
    60_000,
  );
  return { ...(r as Awaited<ReturnType<C["own"]>>), name: full };
}

/** Run `undo` now (the change is over); it is idempotent, so the ledgered copy may run again. */
async function undoNow(shell: Host, undo: string[]): Promise<void> {
  await shell.exec(undo, { signal: AbortSignal.timeout(15_000) });
}

/** An undo that is done when the thing is already gone (the cleanup and `clean` may run it again). */
const ifPresent = (test: string, remove: string): string[] => ["sh", "-c", `if ${test} >/dev/null 2>&1; then ${remove}; fi`];

/**
 * Give a lab host (a VM) an extra address on a link for the duration of `fn`
 * (a peer on a scenario's subnet), removed afterwards whatever happens. VM shells log in as root.
 */
export async function withAddress<T>(ctx: TrunkChangeContext, host: string, dev: string, cidr: string, fn: () => Promise<T>): Promise<T> {
  const undo = ifPresent(`ip -o addr show dev ${dev} | grep -qF ' ${cidr} '`, `ip addr del ${cidr} dev ${dev}`);
  const add = await ctx.own({ kind: "lab-host", name: host }, { what: `address ${cidr} on ${dev}`, apply: ["ip", "addr", "add", cidr, "dev", dev], undo });
  if (add.result.exitCode !== 0 && !/File exists/.test(add.result.stderr)) throw new Error(`cannot add ${cidr} to ${dev} on ${host}: ${add.result.stderr.trim()}`);
  try {
    return await fn();
  } finally {
    await undoNow(ctx.run.host(host).shell, undo);
  }
}

/** A VLAN sub-interface `netcheck-v<id>` on a VM's trunk, with `cidr`, for the duration of `fn`. */
export async function withVlanPeer<T>(ctx: TrunkChangeContext, host: string, vlan: number, cidr: string, fn: (dev: string) => Promise<T>): Promise<T> {
  const dev = `netcheck-v${vlan}`;
  const undo = ifPresent(`ip link show ${dev}`, `ip link del ${dev}`);
  const apply = ["sh", "-c", `ip link add link ${VM_TRUNK} name ${dev} type vlan id ${vlan} && ip addr add ${cidr} dev ${dev} && ip link set ${dev} up`];
  try {
    const r = await ctx.own({ kind: "lab-host", name: host }, { what: `VLAN ${vlan} peer link ${dev} (${cidr})`, apply, undo });
    if (r.result.exitCode !== 0) throw new Error(`\`${apply[2]}\` on ${host}: ${r.result.stderr.trim()}`);
    return await fn(dev);
  } finally {
    await undoNow(ctx.run.host(host).shell, undo);
  }
}

/** A route on a lab host for the duration of `fn` (`ip route replace <dst> <via…>`), removed afterwards. */
export async function withRoute<C extends TrunkChangeContext, T>(ctx: C, host: string, dst: string, via: string[], fn: (add: Awaited<ReturnType<C["own"]>>) => Promise<T>): Promise<T> {
  const undo = ifPresent(`ip route show ${dst} | grep -q .`, `ip route del ${dst}`);
  const add = await ctx.own({ kind: "lab-host", name: host }, { what: `route ${dst} ${via.join(" ")}`, apply: ["ip", "route", "replace", dst, ...via], undo });
  try {
    return await fn(add as Awaited<ReturnType<C["own"]>>);
  } finally {
    await undoNow(ctx.run.host(host).shell, undo);
  }
}
