import type { Command, CommandIO } from "../command.js";
import { runSetup } from "../../setup/run-setup.js";
import { errorMessage, UsageError } from "../../util/errors.js";

const usage = `Usage: netcheck setup [--no-install] [--force-image]

Make this machine ready for netcheck: find the Docker engine (DOCKER_HOST or
/var/run/docker.sock); as root on Debian/Ubuntu, install what is missing
(docker.io iperf3 tcpdump busybox-static iptables) and start dockerd; then build
the probe image offline from host binaries. Safe to run again: a second run
changes nothing.

Options:
  --no-install    never run apt-get: say what is missing instead (an installed
                  dockerd that is not running is still started)
  --force-image   rebuild the probe image even when its inputs are unchanged
  -h, --help      show this help`;

function parse(args: string[]): { install: boolean; forceImage: boolean; help: boolean } {
  const opts = { install: true, forceImage: false, help: false };
  for (const a of args) {
    if (a === "--no-install") opts.install = false;
    else if (a === "--force-image") opts.forceImage = true;
    else if (a === "-h" || a === "--help") opts.help = true;
    else throw new UsageError(`Unknown argument for setup: ${a}`, { hint: "Run `netcheck setup --help`." });
  }
  return opts;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  try {
    const opts = parse(args);
    if (opts.help) return say(usage), 0;
    const res = await runSetup({ signal: io.signal, install: opts.install, forceImage: opts.forceImage, log: (l) => say(`  · ${l}`) });
    const e = res.engine;
    const how = { "already-running": "already running", spawned: "started (dockerd in the background)", systemd: "started by systemd", waited: "finished starting" }[e.started];
    say(`engine    ${e.endpoint}: Docker ${e.version} (API ${e.apiVersion}), ${how}`);
    say(`packages  ${e.installed.length > 0 ? `installed ${e.installed.join(" ")}` : "all present"}`);
    const i = res.image;
    say(`image     ${i.tag}: ${i.built ? "built" : "up to date (cached)"}, ${(i.sizeBytes / 1e6).toFixed(1)} MB, ${i.imageId.slice(0, 19)}, ${i.durationMs} ms`);
    say("ready");
    return 0;
  } catch (err) {
    io.stderr.write(`netcheck setup: ${errorMessage(err)}\n`);
    return 2;
  }
}

const setup: Command = {
  name: "setup",
  usage,
  run,
  async check(args) {
    parse(args);
  },
};
export default setup;
