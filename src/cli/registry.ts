import type { Command } from "./command.js";

/**
 * A subcommand as --help lists it; its module (and everything it imports) is
 * loaded only when it runs. Loading all eleven eagerly put every module of
 * netcheck (~290 files) in each process's start-up, `netcheck --version`
 * included (issue 12: a small run's process time).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in the order --help lists them. */
export const commands: CommandEntry[] = [
  { name: "setup", summary: "Install/start the Docker engine if needed and build the offline probe image", load: async () => (await import("./commands/setup.js")).default },
  { name: "init", summary: "Write a starter scenario, a tsconfig.json and a CI workflow", load: async () => (await import("./commands/init.js")).default },
  { name: "run", summary: "Bring up scenarios on a real engine and check them, with evidence", load: async () => (await import("./commands/run.js")).default },
  { name: "bench", summary: "Measure throughput and latency in every mode, relative to host networking", load: async () => (await import("./commands/bench.js")).default },
  { name: "list", summary: "List modes, scenarios and check ids", load: async () => (await import("./commands/list.js")).default },
  {
    name: "doctor",
    summary: "Diagnose the host's Docker networking, with evidence and a fix per finding",
    load: async () => {
      const [{ createDoctorCommand }, { runDoctorProbe }] = await Promise.all([import("./commands/doctor.js"), import("./doctor-probe.js")]);
      return createDoctorCommand({ probe: runDoctorProbe });
    },
  },
  { name: "report", summary: "Re-render a run's report, or compare two runs", load: async () => (await import("./commands/report.js")).default },
  { name: "explain", summary: "Say why a flow between two running containers is delivered or stopped", load: async () => (await import("./commands/explain.js")).default },
  { name: "pcap", summary: "Summarise captures, print their packets, and show NAT pairs between two captures", load: async () => (await import("./commands/pcap.js")).default },
  { name: "vm", summary: "Bring the Vagrant/libvirt VM lab up or down (ipvlan, 802.1Q, overlay)", load: async () => (await import("./commands/vm.js")).default },
  { name: "clean", summary: "Remove what killed or --keep runs left behind", load: async () => (await import("./commands/clean.js")).default },
];
