export interface ProcessLine {
  pid: number;
  args: string;
}

/** `ps -eo pid,args` (procps or busybox): header skipped, kernel threads kept as printed. */
export function parsePs(text: string): ProcessLine[] {
  const out: ProcessLine[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), args: m[2]!.trim() });
  }
  return out;
}

/** Processes whose executable's base name is `name` (e.g. "dockerd", "docker-proxy"). */
export function processesNamed(procs: ProcessLine[], name: string): ProcessLine[] {
  // busybox prints an applet's process as "{applet} argv…": the executable is the braced name.
  return procs.filter((p) => (p.args.split(/\s+/)[0] ?? "").replace(/^\{(.*)\}$/, "$1").split("/").pop() === name);
}

/** A flag's value from a command line: `--mtu=1400`, `--mtu 1400`; `true` for a bare boolean flag. */
export function flagValue(args: string, flag: string): string | undefined {
  const parts = args.split(/\s+/);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.startsWith(`${flag}=`)) return p.slice(flag.length + 1);
    if (p === flag) {
      const next = parts[i + 1];
      return next === undefined || next.startsWith("-") ? "true" : next;
    }
  }
  return undefined;
}
