import { judgeEncryptedUnderlay } from "../../assert/encrypted-underlay.js";
import { captureOnHost } from "../../capture/index.js";
import { underlayOf } from "../../lab/host-underlay.js";
import type { DockerHostDecl } from "../../lab/topology.js";
import type { Evidence } from "../../report/model.js";
import { LABEL_RUN } from "../../util/labels.js";
import { probeImageTag } from "../../util/version.js";
import type { CheckContext } from "../context.js";
import type { CheckDecl } from "../define.js";
import type { LabHost } from "../../lab/lab-host.js";
import { own as ownOnHost } from "../../lab/owned.js";
import { isAttachTimeout } from "../../lab/dind/swarm.js";
import { warmOverlayOn } from "../../lab/ssh/warm-overlay.js";
import { errorMessage } from "../../util/errors.js";

/**
 * `--opt encrypted` is believed to encrypt: prove it. On the scenario's own
 * hosts (no second lab), an encrypted attachable overlay and one container on
 * each of two hosts are made for this check and removed after; a capture on
 * the underlay while one pings the other must show ESP both ways and zero
 * plaintext VXLAN packets. Needs ESP with AES-GCM in the kernel (probed:
 * skipped with the kernel's own words when it is missing).
 */
export interface EncryptedOverlayOptions {
  name?: string;
  /** The wrong-expectation twin: the same judgement over an overlay made WITHOUT `--opt encrypted`, which must fail. */
  plainOverlay?: boolean;
}

export function encryptedOverlayCheck(h1: DockerHostDecl, h2: DockerHostDecl, opts: EncryptedOverlayOptions = {}): CheckDecl {
  return {
    name: opts.name ?? "encrypted-overlay-shows-only-esp-on-the-underlay",
    category: "isolation",
    expectation: `an ${opts.plainOverlay ? "overlay made without --opt encrypted (wrongly expected encrypted)" : "--opt encrypted overlay"} between ${h1.name} and ${h2.name}: the underlay carries only ESP between the hosts, 0 plaintext VXLAN packets`,
    requires: ["kernel.esp"],
    async run(ctx) {
      const run = ctx.run.runId;
      const net = `nc-${run}-${opts.plainOverlay ? "plain" : "enc"}`;
      const label = ["--label", `${LABEL_RUN}=${run}`];
      const evidence: Evidence[] = [];
      const own = async (host: DockerHostDecl, what: string, apply: string[], undo: string[]) => {
        const r = await ctx.own({ kind: "lab-host", name: host.name }, { what, apply, undo }, 60_000);
        evidence.push(r.evidence);
        if (r.result.exitCode !== 0) throw new Error(`${what} on ${host.name} failed: ${r.result.stderr.trim()}`);
        return r.result.stdout.trim();
      };
      // A subnet of the run's own (a lab range, guarded): a swarm netcheck did not form (the VM lab's, a user's) would
      // hand out its default pool, 10.0.0.0/8, which is no lab address — the probes would rightly be refused.
      const subnet = await ctx.run.allocateSubnet(ctx.lab.host(h1.name), ctx.lab.cleanup, ctx.signal);
      await own(h1, `encrypted overlay ${net}`, ["docker", "network", "create", "-d", "overlay", "--attachable", "--subnet", subnet, ...(opts.plainOverlay ? [] : ["--opt", "encrypted"]), ...label, net], ["docker", "network", "rm", net]);
      const warmed: { name: string; manager: LabHost }[] = [];
      const start = async (host: DockerHostDecl, name: string): Promise<string> => {
        const runIt = () => own(host, `container ${name}`, ["docker", "run", "-d", "--name", name, "--network", net, ...ctx.run.dnsServers.flatMap((d) => ["--dns", d]), ...label, probeImageTag(), "sleep", "600"], ["docker", "rm", "-f", name]);
        const on = ctx.lab.host(host.name);
        try {
          return await runIt();
        } catch (err) {
          // A slow swarm (VMs, a user's hosts) misses the engine's 20 s attach deadline: hold the overlay on the node, once more.
          if (!isAttachTimeout(err) || (on.kind !== "ssh" && on.kind !== "vm")) throw err;
          evidence.push({ kind: "note", text: `attach of ${name} timed out: ${errorMessage(err)}` });
          await ctx.inspect({ kind: "lab-host", name: host.name }, ["docker", "rm", "-f", name]);
          const svc = `${net}-warm${warmed.length}`;
          const w = await warmOverlayOn([...new Set(ctx.lab.hosts.values())], on, net, { name: svc, labels: { [LABEL_RUN]: run }, dns: ctx.run.dnsServers }, (m, what, undo) => ownOnHost(m, ctx.lab.cleanup, ctx.run.ledger, what, undo), ctx.signal);
          warmed.push({ name: svc, manager: w.manager });
          evidence.push({ kind: "note", text: `then ${w.note}` });
          return runIt();
        }
      };
      await start(h1, `${net}-a`);
      await start(h2, `${net}-b`);
      // The two containers hold the overlay now: the warm-up services go (a task on the network would keep it from being removed).
      for (const w of warmed) await w.manager.shell.exec(["docker", "service", "rm", w.name], { signal: ctx.signal, timeoutMs: 60_000 });
      const ip = await ctx.inspect({ kind: "lab-host", name: h2.name }, ["docker", "inspect", "-f", `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, `${net}-b`]);
      evidence.push(ip.evidence);
      const bIp = ip.result.stdout.trim();
      const [pa, pb] = [await underlayOf(ctx.lab.host(h1.name), ctx.run, ctx.signal), await underlayOf(ctx.lab.host(h2.name), ctx.run, ctx.signal)];
      const cap = await captureOnHost(ctx, pa.captureOn, { iface: pa.iface, filter: `host ${pa.address} and host ${pb.address} and (udp port 4789 or ip proto 50)`, name: `${opts.plainOverlay ? "plain" : "encrypted"}-overlay-underlay`, signal: ctx.signal }, () =>
        pingInside(ctx, h1, `${net}-a`, bIp),
      );
      evidence.push(cap.value.evidence, cap.evidence(cap.capture.packets(), `${pa.captureOn.name} ${pa.iface} (underlay)`));
      if (cap.value.result.exitCode !== 0) return { status: "fail", reason: `the containers on the encrypted overlay could not ping each other (${bIp}): ${cap.value.result.stdout.trim().split("\n").pop()}`, evidence };
      // Only this overlay's plaintext counts: another overlay may carry VXLAN between the same hosts meanwhile (the twin's).
      const v = judgeEncryptedUnderlay(cap.capture.packets(), { a: pa.address, b: pb.address }, subnet);
      return { status: v.status, reason: v.reason, evidence };
    },
  };
}

function pingInside(ctx: CheckContext, host: DockerHostDecl, container: string, to: string) {
  ctx.run.assertTarget(to, `ping inside ${container}`);
  return ctx.inspect({ kind: "lab-host", name: host.name }, ["docker", "exec", container, "ping", "-c", "3", "-W", "2", to], 20_000);
}
