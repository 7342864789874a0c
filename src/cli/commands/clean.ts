import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { UsageError } from "../../util/errors.js";
import { localLabHost } from "../../lab/lab-host.js";
import { sweep, type SweepReport } from "../../lab/sweep.js";
import { openSshTarget, parseSshUri, sshUris } from "../../lab/ssh/ssh-engine.js";
import { vmDown } from "../../lab/vm/vm-lab.js";

const usage = `Usage: netcheck clean [--run <id>] [--force] [--vms] [--hosts ssh://…,… [--ssh-key <file>]]

Remove everything netcheck runs left behind: containers and networks labelled io.netcheck.run
(docker-in-docker lab hosts among them, with their volumes; their cgroups and state folders from
the run's ledger), netcheck-* namespaces and links, the lab's firewall rules and routes. Runs still in progress
(their process is alive) are left alone unless --force or --run names them.
--vms also takes the VM lab down (\`netcheck vm down\`): its VMs, libvirt networks and disks.
--hosts sweeps the hosts a \`run --hosts\` used the same way (labelled containers and networks, the
run's ledger entries for that host: swarm services, a swarm netcheck formed, guard routes and rules).`;

const CLEAN_OPTIONS = { run: { type: "string" }, force: { type: "boolean" }, vms: { type: "boolean" }, hosts: { type: "string", multiple: true }, "ssh-key": { type: "string" } } as const;

const command: Command = {
  name: "clean",
  summary: "Remove what killed or --keep runs left behind",
  usage,
  async run(args, io) {
    const { values } = parse("clean", args, CLEAN_OPTIONS);
    const host = await localLabHost(io.signal);
    const remote: SweepReport[] = [];
    // The user's hosts first: the local sweep deletes the ledgers they are swept from.
    for (const uri of sshUris(values.hosts)) {
      await using t = await openSshTarget(uri, io.signal, { identityFile: values["ssh-key"], requireEngine: true });
      const r = await sweep({ name: t.host.name, shell: t.host, engine: t.engine }, { runId: values.run, force: values.force, keepLedgers: true, signal: io.signal });
      remote.push({ ...r, removed: r.removed.map((x) => `${x} on ${t.host.name}`) });
    }
    const report = await sweep(host, { runId: values.run, force: values.force, signal: io.signal });
    for (const r of remote) {
      report.removed.push(...r.removed);
      report.problems.push(...r.problems);
    }
    if (values.vms) report.removed.push(...(await vmDown({ signal: io.signal })).map((r) => `VM lab: ${r}`));
    for (const r of report.removed) io.stdout.write(`removed ${r}\n`);
    for (const r of report.liveRuns) io.stdout.write(`left run ${r} alone: its process is still running (use --force or --run ${r})\n`);
    for (const p of report.problems) io.stderr.write(`could not remove: ${p}\n`);
    io.stdout.write(report.removed.length ? `cleaned ${report.removed.length} resources\n` : "nothing to clean\n");
    return report.problems.length ? 1 : 0;
  },
  async check(args) {
    const { positionals, values } = parse("clean", args, CLEAN_OPTIONS);
    sshUris(values.hosts).forEach((u) => parseSshUri(u));
    if (positionals.length) throw new UsageError(`clean takes no positional arguments, got ${positionals.join(" ")}`, { hint: "Use `netcheck clean --run <id>`." });
  },
};

export default command;
