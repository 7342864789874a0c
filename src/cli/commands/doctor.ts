import { createInterface } from "node:readline/promises";
import type { Command, CommandIO } from "../command.js";
import { applyFixes, doctorExitCode, renderDoctorText, runDoctor, type DoctorOptions, type Finding, type FixOutcome } from "../../doctor/index.js";
import { Engine } from "../../engine/engine.js";
import type { Host } from "../../host/host.js";
import { LocalHost } from "../../host/local-host.js";
import { openSshTarget, parseSshUri } from "../../lab/ssh/ssh-engine.js";
import { errorMessage, UsageError } from "../../util/errors.js";

const usage = `Usage: netcheck doctor [--json] [--verbose] [--probe] [--fix [--yes]] [--no-engine] [--host ssh://user@host]

Diagnose this host's Docker networking: engine, kernel features per mode,
sysctls, firewall (iptables backend, FORWARD, DOCKER-USER, NAT rules), networks
(docker0, overlaps, MTU, leftovers), DNS, published ports, swarm/overlay and
macvlan parents. Each finding is ok, warn, fail or skip, with the command or
file it read and the fix. Read-only unless --fix.

Options:
  --json        print the report as JSON ({ schemaVersion: 1, host, findings, totals })
  -v, --verbose show evidence for every finding, not only warn/fail
  --probe       also run active checks (a minimal bridge scenario)
  --fix         offer the safe, reversible fixes one by one (asks on a terminal)
  --yes         with --fix: apply them without asking (required without a terminal)
  --no-engine   do not contact the Docker engine
  --host ssh://[user@]host[:port]
                diagnose a remote machine and its engine over ssh (key auth): commands
                run there, its /var/run/docker.sock is forwarded; DOCKER_HOST=ssh://…
                does the same
  -h, --help    show this help

Exit codes: 0 no finding failed, 1 some finding failed, 2 doctor could not run.`;

interface DoctorArgs {
  json: boolean;
  verbose: boolean;
  probe: boolean;
  fix: boolean;
  yes: boolean;
  engine: boolean;
  help: boolean;
  /** ssh://… from --host, else from DOCKER_HOST when it is an ssh address. */
  sshHost?: string;
}

export function parseDoctorArgs(args: string[], env: NodeJS.ProcessEnv = process.env): DoctorArgs {
  const o: DoctorArgs = { json: false, verbose: false, probe: false, fix: false, yes: false, engine: true, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--host" || a.startsWith("--host=")) {
      const v = a === "--host" ? args[++i] : a.slice("--host=".length);
      if (!v) throw new UsageError("--host needs an ssh://[user@]host[:port] address", { hint: "Run `netcheck doctor --host ssh://root@203.0.113.5`." });
      parseSshUri(v);
      o.sshHost = v;
    } else if (a === "--json") o.json = true;
    else if (a === "-v" || a === "--verbose") o.verbose = true;
    else if (a === "--probe") o.probe = true;
    else if (a === "--fix") o.fix = true;
    else if (a === "--yes" || a === "-y") o.yes = true;
    else if (a === "--no-engine") o.engine = false;
    else if (a === "-h" || a === "--help") o.help = true;
    else throw new UsageError(`Unknown argument for doctor: ${a}`, { hint: "Run `netcheck doctor --help`." });
  }
  if (!o.sshHost && env.DOCKER_HOST?.startsWith("ssh://")) o.sshHost = env.DOCKER_HOST;
  if (o.yes && !o.fix) throw new UsageError("--yes only makes sense with --fix", { hint: "Run `netcheck doctor --fix --yes`." });
  return o;
}

/** What the lead wires in: the `--probe` hook, and (for tests) another host, engine or input. */
export interface DoctorCommandDeps {
  probe?: DoctorOptions["probe"];
  host?: Host;
  engine?: Engine;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function createDoctorCommand(deps: DoctorCommandDeps = {}): Command {
  async function run(args: string[], io: CommandIO): Promise<number> {
    const say = (text: string) => io.stdout.write(text);
    try {
      const opts = parseDoctorArgs(args);
      if (opts.help) return say(`${usage}\n`), 0;
      const stdin = deps.stdin ?? process.stdin;
      if (opts.fix && !opts.yes && !stdin.isTTY) {
        throw new UsageError("--fix asks before each change, and there is no terminal to ask on.", { hint: "Run it on a terminal, or pass --yes to apply every offered fix." });
      }
      // A remote machine goes through the same Host abstraction as the VM lab: ssh for commands, a forwarded socket for the engine.
      await using remote = opts.sshHost && !deps.host ? await openSshTarget(opts.sshHost, io.signal) : undefined;
      const host = deps.host ?? remote?.host ?? new LocalHost();
      const engine = opts.engine ? (deps.engine ?? remote?.engine ?? Engine.fromEnv()) : undefined;
      const probe = opts.probe ? (deps.probe ?? probeNotWired) : undefined;
      const doctorOpts: DoctorOptions = { host, engine, signal: io.signal, probe };
      let report = await runDoctor(doctorOpts);
      let fixes: FixOutcome[] | undefined;
      if (opts.fix) {
        if (!opts.json) say(renderDoctorText(report, { verbose: opts.verbose }));
        const ask = opts.yes ? async () => true : asker(stdin, io);
        fixes = await applyFixes(host, report.findings, ask, { signal: io.signal });
        if (!opts.json) for (const f of fixes) say(`fix ${f.id}: ${f.status}${f.error ? ` (${f.error})` : ""}\n`);
        // Report the state after the fixes: that is what the exit code must describe.
        if (fixes.some((f) => f.status === "applied")) report = await runDoctor(doctorOpts);
        if (!opts.json) say(fixes.length === 0 ? "no finding has an automatic fix\n" : "\nafter fixes:\n");
      }
      if (opts.json) say(`${JSON.stringify(fixes ? { ...report, fixes } : report, null, 2)}\n`);
      else if (!opts.fix || fixes?.length) say(renderDoctorText(report, { verbose: opts.verbose }));
      return doctorExitCode(report);
    } catch (err) {
      io.stderr.write(`netcheck doctor: ${errorMessage(err)}\n`);
      return 2;
    }
  }
  const check = async (args: string[]) => void parseDoctorArgs(args);
  return { name: "doctor", usage, run, check };
}

function asker(stdin: NodeJS.ReadableStream, io: CommandIO): (f: Finding) => Promise<boolean> {
  return async (f) => {
    const rl = createInterface({ input: stdin, output: io.stdout });
    try {
      const answer = await rl.question(`\n${f.title}\n  apply: ${f.fixAction!.describe}\n  undo:  ${f.fixAction!.undo.map((c) => c.join(" ")).join("; ")}\n  apply this fix? [y/N] `, { signal: io.signal });
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

async function probeNotWired(): Promise<Finding[]> {
  return [{ id: "probe/bridge", area: "network", status: "skip", title: "--probe: no active probe is wired into this build", evidence: [] }];
}

export default createDoctorCommand();
