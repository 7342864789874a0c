import type { ExecOptions, ExecResult, Host } from "./host.js";
import { commandLine } from "./host.js";
import { LocalHost } from "./local-host.js";

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** Extra -o options, e.g. from `vagrant ssh-config`. */
  options?: Record<string, string>;
}

/** A remote machine (a Vagrant VM, a user's host) reached with the system ssh client; host keys unchecked unless the target's options say otherwise. */
export class SshHost implements Host {
  readonly kind = "ssh" as const;
  private readonly local = new LocalHost();
  constructor(
    readonly name: string,
    readonly target: SshTarget,
  ) {}

  private sshArgs(): string[] {
    const t = this.target;
    // ssh takes the first value given for an option: the target's own (a checked known_hosts) win over these defaults.
    const options = { StrictHostKeyChecking: "no", UserKnownHostsFile: "/dev/null", LogLevel: "ERROR", ...t.options };
    const args = ["-o", "BatchMode=yes"];
    for (const [k, v] of Object.entries(options)) args.push("-o", `${k}=${v}`);
    if (t.port) args.push("-p", String(t.port));
    if (t.identityFile) args.push("-i", t.identityFile);
    args.push(t.user ? `${t.user}@${t.host}` : t.host);
    return args;
  }

  async exec(command: string[], options?: ExecOptions): Promise<ExecResult> {
    const res = await this.local.exec(["ssh", ...this.sshArgs(), "--", commandLine(command)], options);
    return { ...res, where: this.name, command };
  }

  async readFile(path: string, options?: { signal?: AbortSignal }): Promise<string | undefined> {
    const res = await this.exec(["cat", path], { signal: options?.signal });
    return res.exitCode === 0 ? res.stdout : undefined;
  }
}
