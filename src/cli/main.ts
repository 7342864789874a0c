import type { CommandIO } from "./command.js";
import { errorMessage, NetcheckError, UsageError } from "../util/errors.js";
import { netcheckVersion } from "../util/version.js";
import { commands } from "./registry.js";
import { shareSignal } from "../util/abort.js";

const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "netcheck — test and diagnose Docker container networking",
    "",
    "Usage: netcheck <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Exit codes: 0 all passed · 1 checks (or findings) failed · 2 usage or environment error · 130 interrupted (after teardown)",
    "Run `netcheck <command> --help` for a command's options.",
  ].join("\n");
}

/** The only place that calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  shareSignal(controller.signal);
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\nnetcheck: ${sig} received — tearing the lab down (press Ctrl-C again to abandon cleanup; \`netcheck clean\` finishes it)\n`);
      controller.abort(new Error(`interrupted by ${sig}`));
    } else process.exit(EXIT_INTERRUPTED);
  };
  // A reader that went away (a closed pipe, a killed parent) must not cut the teardown short: output errors are dropped.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const io: CommandIO = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, argv };
  const code = await dispatch(argv, io);
  // The command returns only after its teardown: an interrupted run exits 130 whatever its checks said.
  process.exitCode = controller.signal.aborted ? EXIT_INTERRUPTED : code;
  // Lingering handles (sockets to the engine) must not keep us alive.
  setTimeout(() => process.exit(process.exitCode ?? code), 100).unref();
}

export async function dispatch(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${topUsage()}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${netcheckVersion()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`netcheck: unknown command "${name}"\n\n${topUsage()}\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.stderr.write(`netcheck ${name}: ${errorMessage(err)}\n`);
    if (err instanceof UsageError) io.stderr.write(`Run \`netcheck ${name} --help\` for usage.\n`);
    if (!(err instanceof NetcheckError) && process.env.NETCHECK_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return err instanceof NetcheckError ? EXIT_USAGE : 1;
  }
}
