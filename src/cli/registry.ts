import type { Command } from "./command.js";
import run from "./commands/run.js";
import list from "./commands/list.js";
import clean from "./commands/clean.js";
import setup from "./commands/setup.js";
import { createDoctorCommand } from "./commands/doctor.js";
import { runDoctorProbe } from "./doctor-probe.js";
import report from "./commands/report.js";
import pcap from "./commands/pcap.js";
import vm from "./commands/vm.js";
import bench from "./commands/bench.js";
import init from "./commands/init.js";
import explain from "./commands/explain.js";

/** Every subcommand, in the order --help lists them. */
export const commands: Command[] = [setup, init, run, bench, list, createDoctorCommand({ probe: runDoctorProbe }), report, explain, pcap, vm, clean];
