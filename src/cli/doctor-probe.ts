import type { Finding, DoctorArea } from "../doctor/types.js";
import type { CheckResult } from "../report/model.js";
import { commandLine } from "../host/host.js";
import { defineScenario } from "../scenario/define.js";
import { runScenarios } from "../scenario/runner.js";
import { errorMessage } from "../util/errors.js";

/**
 * `netcheck doctor --probe`: a minimal bridge scenario run for real (egress to
 * the lab's external host, DNS through the lab's resolver and the embedded DNS,
 * a published port reached from outside), folded into doctor's findings.
 * Composed here, in the CLI, so doctor itself never depends on the runner.
 */
const probeScenario = defineScenario({
  id: "doctor/probe",
  mode: "bridge",
  summary: "doctor --probe: egress, DNS and a published port on a throwaway lab",
  lab: (lab) => {
    const net = lab.network("probe");
    return {
      a: lab.node("a", { publish: [{ host: "auto", container: 80 }] }),
      b: lab.node("b", { network: net }),
      c: lab.node("c", { network: net }),
    };
  },
  checks: ({ a, b, c: peer }, c) => [
    c.reach(a, c.external(), { name: "egress-from-default-bridge" }),
    c.reach(b, c.external(), { name: "egress-from-user-defined-network" }),
    c.resolves(a, "ext.netcheck.test", { expect: c.external(), name: "dns-upstream-from-default-bridge" }),
    c.resolves(b, "c", { expect: peer, via: "127.0.0.11", name: "embedded-dns-on-user-defined-network" }),
    c.reach(c.external(), c.published(a, 80), { via: "http", name: "published-port-from-outside" }),
  ],
});

const FIX: Record<string, { area: DoctorArea; fix: string }> = {
  "egress-from-default-bridge": { area: "firewall", fix: "Containers cannot get out: check net.ipv4.ip_forward=1, the FORWARD policy and Docker's ACCEPT rules, and the MASQUERADE rule for docker0's subnet (findings above)." },
  "egress-from-user-defined-network": { area: "firewall", fix: "Check the MASQUERADE rule for the network's subnet and DOCKER-USER rules that drop (findings above)." },
  "dns-upstream-from-default-bridge": { area: "dns", fix: "Containers on the default bridge use the daemon's DNS settings: set \"dns\" in /etc/docker/daemon.json to a resolver containers can reach (not 127.0.0.53)." },
  "embedded-dns-on-user-defined-network": { area: "dns", fix: "The embedded DNS (127.0.0.11) did not answer: check the DOCKER_OUTPUT/DOCKER_POSTROUTING nat rules inside the container's namespace, then restart the engine." },
  "published-port-from-outside": { area: "ports", fix: "Check the DNAT rule in the nat DOCKER chain for the published port and that docker-proxy runs (userland-proxy); see the port findings above." },
};

export async function runDoctorProbe(signal: AbortSignal): Promise<Finding[]> {
  try {
    const run = await runScenarios({ scenarios: [probeScenario], signal, reportsRoot: "reports" });
    return run.scenarios.flatMap((s) => s.checks.map(toFinding));
  } catch (err) {
    return [{ id: "probe/lab", area: "network", status: "fail", title: "The probe lab could not run", evidence: [{ source: "netcheck run (doctor --probe)", value: errorMessage(err) }], fix: "Run `netcheck setup`, then `netcheck doctor` without --probe for the static findings." }];
  }
}

function toFinding(check: CheckResult): Finding {
  const meta = FIX[check.name] ?? { area: "network" as const, fix: "" };
  return {
    id: `probe/${check.name}`,
    area: meta.area,
    status: check.status === "pass" ? "ok" : check.status === "skip" ? "skip" : check.status === "flaky" ? "warn" : "fail",
    title: `${check.expectation}${check.reason ? ` — ${check.reason}` : ""}`,
    evidence: check.evidence.flatMap((e) => (e.kind === "command" ? [{ source: `${e.where}: ${commandLine(e.command)}`, value: `exit ${e.exitCode}: ${(e.stdout + e.stderr).trim().slice(0, 300)}` }] : [])),
    ...(check.status === "pass" ? {} : { fix: meta.fix }),
  };
}
