import { shouldColor } from "../../report/index.js";
import type { Command } from "../command.js";
import { intOption, parse } from "../parse.js";
import { progressEvents } from "../progress.js";
import { resolveScenarios } from "../../scenario/loader.js";
import { runScenarios } from "../../scenario/runner.js";
import { perfHook } from "../../perf/perf-hook.js";
import { writeReports } from "../write-reports.js";
import { UsageError } from "../../util/errors.js";
import { localLabHost } from "../../lab/lab-host.js";
import { vmLabHosts } from "../../lab/vm/vm-lab-host.js";
import type { LabHost } from "../../lab/lab-host.js";
import { parseSshUri, sshUris } from "../../lab/ssh/ssh-engine.js";
import { openSshLabHosts } from "../../lab/ssh/ssh-lab-host.js";
import { VM_UNDERLAY } from "../../lab/vm/trunk.js";
import { renderComparison } from "../../perf/render-comparison.js";
import { renderModeTable } from "../../report/mode-table.js";

const usage = `Usage: netcheck run <mode|scenario-file|folder>... [options]

Bring up each scenario on the Docker engine, run its checks, tear it down.
Modes: bridge host none container user-defined macvlan ipvlan overlay (see \`netcheck list\`). A folder runs every
scenario file (.ts, .js) under it.

Options:
  --all                  every built-in scenario
  --perf                 also run performance checks (iperf3 throughput, ping and TCP-connect latency) and
                         print the mode comparison; without it they are not selected at all
  --only <regex>         run only checks whose id (mode/scenario/check) matches; repeatable; "!re" negates
  --skip <regex>         skip checks whose id matches; repeatable
  --require <mode|all>   a skipped scenario of this mode fails the run; repeatable or comma-separated
  --concurrency <n>      scenarios at once (default: twice the CPUs of this machine and the engine, at most 8,
                         fewer when the engine runs other labs; 1 runs them one after another)
  --repeat <n>           run each scenario n times; mixed outcomes are reported as flaky
  --retry <n>            re-run a failed check up to n times (every attempt is reported)
  --timeout <s>          per-check timeout in seconds (default 120)
  --json <file>          also write the results JSON here
  --junit <file>         write JUnit XML here
  --reports <dir>        report folder root (default reports/); each run writes reports/<run id>/
  --keep                 leave every lab up (remove later with \`netcheck clean\`)
  --keep-on-failure      leave failed scenarios' labs up and print how to enter them
  --allow-external       allow probes to addresses outside the lab (off by default)
  --lab <local|dind|vm>  where containers run: the local engine, plus docker-in-docker hosts for scenarios
                         that declare Docker hosts of their own (local and dind: the default); or the local
                         engine plus the VM lab's Docker hosts (bring them up first with \`netcheck vm up\`)
  --hosts <ssh://…,…>   run the scenarios' Docker hosts on your own machines (e.g. the nodes of your swarm):
                         ssh://[user@]host[:port], comma-separated or repeated, in the order the scenarios
                         declare hosts (the first a swarm manager when they are in a swarm already). Commands go
                         over ssh, the engine through a forwarded socket; every resource is labelled and ledgered
                         (\`netcheck clean --hosts …\` sweeps them after a kill); no network is attached to a NIC
  --ssh-key <file>       the private key for --hosts (default: ssh's own: agent, ~/.ssh/config)
  --engine <version>     the Docker engine of the scenarios' docker-in-docker hosts (e.g. 26.1, fetched once
                         from Debian into /var/cache/netcheck/engines; default: this host's own)
  --verbose              show the reason of passing checks too
  --no-color             plain output (also when NO_COLOR is set or output is not a terminal)

Exit codes: 0 every selected check passed (flaky allowed); 1 a check failed or a required mode was skipped;
2 usage or environment error (no engine, no probe image: run \`netcheck setup\`).`;

const RUN_OPTIONS = {
  all: { type: "boolean" },
  perf: { type: "boolean" },
  only: { type: "string", multiple: true },
  skip: { type: "string", multiple: true },
  require: { type: "string", multiple: true },
  concurrency: { type: "string" },
  repeat: { type: "string" },
  retry: { type: "string" },
  timeout: { type: "string" },
  json: { type: "string" },
  junit: { type: "string" },
  html: { type: "boolean" },
  reports: { type: "string" },
  keep: { type: "boolean" },
  "keep-on-failure": { type: "boolean" },
  "allow-external": { type: "boolean" },
  lab: { type: "string" },
  engine: { type: "string" },
  hosts: { type: "string", multiple: true },
  "ssh-key": { type: "string" },
  verbose: { type: "boolean", short: "v" },
  "no-color": { type: "boolean" },
} as const;

/** Flags, modes or files, and the lab kind, checked as `run` needs them; nothing is started. */
async function parseRunArgs(args: string[]) {
  const { values, positionals } = parse("run", args, RUN_OPTIONS);
  if (values.keep && values["keep-on-failure"]) throw new UsageError("--keep and --keep-on-failure are exclusive");
  const scenarios = await resolveScenarios(positionals, Boolean(values.all));
  const labKind = values.lab ?? "local";
  if (!["local", "dind", "vm"].includes(labKind)) throw new UsageError(`--lab must be "local", "dind" or "vm", got "${labKind}"`);
  if (values.engine !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(values.engine)) throw new UsageError(`--engine takes a version such as 26.1, got "${values.engine}"`);
  const sshHosts = sshUris(values.hosts);
  for (const h of sshHosts) parseSshUri(h);
  if (sshHosts.length && values.lab === "vm") throw new UsageError("--hosts and --lab vm are exclusive: both name the scenarios' Docker hosts", { hint: "The VM lab's VMs can be named with --hosts too (ssh://root@<vm address>)." });
  if (new Set(sshHosts).size !== sshHosts.length) throw new UsageError(`--hosts names a host twice: ${sshHosts.join(",")}`);
  return { values, positionals, scenarios, labKind, sshHosts };
}

const command: Command = {
  name: "run",
  usage,
  async run(args, io) {
    const { values, scenarios, labKind, sshHosts } = await parseRunArgs(args);
    // The local engine stays primary: the lab DNS and the external host live in this process's host.
    const local = labKind === "vm" || sshHosts.length ? await localLabHost(io.signal) : undefined;
    const own = sshHosts.length ? await openSshLabHosts(sshHosts, { local: local!, identityFile: values["ssh-key"], signal: io.signal }) : [];
    try {
      const hosts = local && [local, ...(labKind === "vm" ? await vmLabHosts({ signal: io.signal }) : own)];
      // The hosts the user named are lab targets (the routing mesh asks their published port); nothing else of theirs is.
      const labRanges = labKind === "vm" ? [VM_UNDERLAY] : own.length ? own.map((h) => `${h.underlayAddress}/32`) : undefined;
      return await runOn({ values, scenarios }, hosts, labRanges, io);
    } finally {
      await Promise.all(own.map((h) => h[Symbol.asyncDispose]()));
    }
  },
  async check(args) {
    await parseRunArgs(args);
  },
};

/** Run the scenarios on `hosts` (default: the local engine), print, write the reports; the exit code. */
async function runOn({ values, scenarios }: Pick<RunArgs, "values" | "scenarios">, hosts: LabHost[] | undefined, labRanges: string[] | undefined, io: Parameters<Command["run"]>[1]): Promise<number> {
  const require = (values.require ?? []).flatMap((r) => r.split(/[,\s]+/)).filter(Boolean);
  // One decision for progress, summary and comparison: --no-color, then NO_COLOR / FORCE_COLOR / TTY.
  const color = !values["no-color"] && shouldColor(io.stdout);
  const progress = progressEvents({ out: io.stdout, color, verbose: Boolean(values.verbose) });
  const result = await runScenarios({
    scenarios,
    only: values.only,
    skip: values.skip,
    require,
    concurrency: values.concurrency === undefined ? undefined : intOption("concurrency", values.concurrency, 1, 1),
    repeat: intOption("repeat", values.repeat, 1, 1),
    retry: intOption("retry", values.retry, 0, 0),
    timeoutS: intOption("timeout", values.timeout, 1, 120),
    keep: values.keep ? "always" : values["keep-on-failure"] ? "on-failure" : "never",
    allowExternal: Boolean(values["allow-external"]),
    hosts,
    labRanges,
    reportsRoot: values.reports,
    engine: values.engine,
    hooks: [perfHook(values.perf ? "with" : "off")],
    command: ["netcheck", ...io.argv],
    signal: io.signal,
    events: progress,
  });
  progress.done();
  const written = await writeReports(result, { junit: values.junit, json: values.json, reportsRoot: values.reports, out: io.stdout, color });
  io.stdout.write(`\n${written.summary}\n`);
  if (result.comparison) io.stdout.write(`\n${renderComparison(result.comparison, { color, qualitative: false })}\n`);
  // The classic per-mode table needs at least two modes to compare.
  if ((result.modeTable?.length ?? 0) >= 2) io.stdout.write(`\n${renderModeTable(result.modeTable!, { color })}\n`);
  return result.exitCode;
}

type RunArgs = Awaited<ReturnType<typeof parseRunArgs>>;

export default command;
