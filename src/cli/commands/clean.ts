import type { Command, CommandIO } from "../command.js";
import { parse } from "../parse.js";
import { UsageError } from "../../util/errors.js";
import { localLabHost } from "../../lab/lab-host.js";
import { sweepHosts, type SweepReport } from "../../lab/sweep.js";
import { openSshTarget, parseSshUri, sshUris } from "../../lab/ssh/ssh-engine.js";
import { isProcessAlive, readLedgers } from "../../lab/ledger.js";
import { vmDown, vmLabHostsToSweep } from "../../lab/vm/vm-lab.js";

const usage = `Usage: netcheck clean [--run <id>] [--force] [--vms] [--hosts ssh://…,… [--ssh-key <file>]]

Remove everything netcheck runs left behind, on this machine and on the VM lab's VMs when they are
up: containers, networks and swarm services labelled io.netcheck.run
(docker-in-docker lab hosts among them, with their volumes; their cgroups and state folders from
the run's ledger), netcheck-* namespaces and links, the lab's firewall rules and routes. Runs still in progress
(their process is alive) are left alone unless --force or --run names them.
--vms also takes the VM lab down (\`netcheck vm down\`): its VMs, libvirt networks and disks.
--hosts sweeps the hosts a \`run --hosts\` used the same way (labelled containers and networks, the
run's ledger entries for that host: swarm services, a swarm netcheck formed, guard routes and rules).`;

const CLEAN_OPTIONS = { run: { type: "string" }, force: { type: "boolean" }, vms: { type: "boolean" }, hosts: { type: "string", multiple: true }, "ssh-key": { type: "string" } } as const;

const command: Command = {
  name: "clean",
  usage,
  async run(args, io) {
    const { values } = parse("clean", args, CLEAN_OPTIONS);
    const host = await localLabHost(io.signal);
    // A killed `run --lab vm` leaves containers, networks, links and services on the VMs too; a killed
    // `run --hosts` on the hosts it named (they are swept only when named again: netcheck keeps no list of them).
    const vms = await vmLabHostsToSweep({ signal: io.signal });
    const opened: Awaited<ReturnType<typeof openSshTarget>>[] = [];
    try {
      for (const uri of sshUris(values.hosts)) opened.push(await openSshTarget(uri, io.signal, { identityFile: values["ssh-key"], requireEngine: true }));
      const named = opened.map((t) => ({ name: t.host.name, shell: t.host, engine: t.engine }));
      // A ledger with steps on a --hosts host not named now is kept for the `clean --hosts` that names it.
      // Only ledgers this clean would finish: a live `run --hosts` of someone else's is left alone, not a failure.
      const finishing = readLedgers().filter((l) => (values.run ? l.header.runId === values.run : values.force || !isProcessAlive(l.header.pid)));
      const unnamed = [...new Set(finishing.flatMap((l) => l.entries.map((e) => e.host)))].filter((h) => h.startsWith("ssh:") && !named.some((n) => n.name === h));
      const report = await sweepHosts([host, ...vms.hosts, ...named], { runId: values.run, force: values.force, signal: io.signal, unreachable: [...vms.unreachable, ...unnamed] });
      if (unnamed.length) report.problems.push(`name ${unnamed.map((h) => `ssh://${h.slice(4)}`).join(",")} with --hosts to finish them`);
      return await printReport(report, values, io);
    } finally {
      for (const t of opened) await t[Symbol.asyncDispose]();
    }
  },
  async check(args) {
    const { positionals, values } = parse("clean", args, CLEAN_OPTIONS);
    sshUris(values.hosts).forEach((u) => parseSshUri(u));
    if (positionals.length) throw new UsageError(`clean takes no positional arguments, got ${positionals.join(" ")}`, { hint: "Use `netcheck clean --run <id>`." });
  },
};

/** Take the VM lab down when asked, print what was removed and left; the exit code. */
async function printReport(report: SweepReport, values: { vms?: boolean }, io: CommandIO): Promise<number> {
  if (values.vms) report.removed.push(...(await vmDown({ signal: io.signal })).map((r) => `VM lab: ${r}`));
  for (const r of report.removed) io.stdout.write(`removed ${r}\n`);
  for (const r of report.liveRuns) io.stdout.write(`left run ${r} alone: its process is still running (use --force or --run ${r})\n`);
  for (const p of report.problems) io.stderr.write(`could not remove: ${p}\n`);
  io.stdout.write(report.removed.length ? `cleaned ${report.removed.length} resources\n` : "nothing to clean\n");
  return report.problems.length ? 1 : 0;
}

export default command;
