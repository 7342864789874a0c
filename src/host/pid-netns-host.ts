import type { ExecOptions, ExecResult, Host } from "./host.js";

/**
 * The network namespace of a process on another Host (a container's PID 1),
 * entered with `nsenter -t <pid> -n` for each command. Only the network
 * namespace is joined: files are the parent's (a capture writes straight into
 * the report folder), and the container's own processes are not touched.
 */
export class PidNetnsHost implements Host {
  readonly kind = "netns" as const;
  constructor(
    readonly parent: Host,
    readonly pid: number,
    readonly name: string,
  ) {}

  async exec(command: string[], options?: ExecOptions): Promise<ExecResult> {
    const res = await this.parent.exec(["nsenter", "-t", String(this.pid), "-n", "--", ...command], options);
    return { ...res, where: this.name, command };
  }

  readFile(path: string, options?: { signal?: AbortSignal }): Promise<string | undefined> {
    return this.parent.readFile(path, options);
  }
}
