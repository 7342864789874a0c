import type { ExecOptions, ExecResult, Host } from "./host.js";

/** A network namespace on another Host, entered with `ip netns exec` for each command. */
export class NetnsHost implements Host {
  readonly kind = "netns" as const;
  readonly name: string;
  constructor(
    readonly parent: Host,
    readonly namespace: string,
  ) {
    this.name = `netns:${namespace}@${parent.name}`;
  }

  async exec(command: string[], options?: ExecOptions): Promise<ExecResult> {
    const res = await this.parent.exec(["ip", "netns", "exec", this.namespace, ...command], options);
    return { ...res, where: this.name, command };
  }

  readFile(path: string, options?: { signal?: AbortSignal }): Promise<string | undefined> {
    return this.parent.readFile(path, options);
  }
}
