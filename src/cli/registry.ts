import type { Command } from "./command.js";
import run from "./commands/run.js";
import list from "./commands/list.js";
import clean from "./commands/clean.js";

/** Every subcommand, in the order --help lists them. */
export const commands: Command[] = [run, list, clean];
