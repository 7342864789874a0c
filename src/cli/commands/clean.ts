import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { UsageError } from "../../util/errors.js";
import { localLabHost } from "../../lab/lab-host.js";
import { sweepHosts } from "../../lab/sweep.js";
import { vmDown, vmLabHostsToSweep } from "../../lab/vm/vm-lab.js";

const usage = `Usage: netcheck clean [--run <id>] [--force] [--vms]

Remove everything netcheck runs left behind, on this machine and on the VM lab's VMs when they are
up: containers, networks and swarm services labelled io.netcheck.run
(docker-in-docker lab hosts among them, with their volumes; their cgroups and state folders from
the run's ledger), netcheck-* namespaces and links, the lab's firewall rules and routes. Runs still in progress
(their process is alive) are left alone unless --force or --run names them.
--vms also takes the VM lab down (\`netcheck vm down\`): its VMs, libvirt networks and disks.`;

const CLEAN_OPTIONS = { run: { type: "string" }, force: { type: "boolean" }, vms: { type: "boolean" } } as const;

const command: Command = {
  name: "clean",
  summary: "Remove what killed or --keep runs left behind",
  usage,
  async run(args, io) {
    const { values } = parse("clean", args, CLEAN_OPTIONS);
    const host = await localLabHost(io.signal);
    // A killed `run --lab vm` leaves containers, networks, links and services on the VMs too.
    const vms = await vmLabHostsToSweep({ signal: io.signal });
    const report = await sweepHosts([host, ...vms.hosts], { runId: values.run, force: values.force, signal: io.signal, unreachable: vms.unreachable });
    if (values.vms) report.removed.push(...(await vmDown({ signal: io.signal })).map((r) => `VM lab: ${r}`));
    for (const r of report.removed) io.stdout.write(`removed ${r}\n`);
    for (const r of report.liveRuns) io.stdout.write(`left run ${r} alone: its process is still running (use --force or --run ${r})\n`);
    for (const p of report.problems) io.stderr.write(`could not remove: ${p}\n`);
    io.stdout.write(report.removed.length ? `cleaned ${report.removed.length} resources\n` : "nothing to clean\n");
    return report.problems.length ? 1 : 0;
  },
  async check(args) {
    const { positionals } = parse("clean", args, CLEAN_OPTIONS);
    if (positionals.length) throw new UsageError(`clean takes no positional arguments, got ${positionals.join(" ")}`, { hint: "Use `netcheck clean --run <id>`." });
  },
};

export default command;
