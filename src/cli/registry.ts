import type { Command } from "./command.js";
import run from "./commands/run.js";
import list from "./commands/list.js";
import clean from "./commands/clean.js";
import setup from "./commands/setup.js";
import doctor from "./commands/doctor.js";
import report from "./commands/report.js";
import pcap from "./commands/pcap.js";

/** Every subcommand, in the order --help lists them. */
export const commands: Command[] = [setup, run, list, doctor, report, pcap, clean];
