import type { ExecOptions, ExecResult, Host } from "../host/host.js";
import type { Engine } from "./engine.js";

/** A running container as a command channel (docker exec). */
export class ContainerHost implements Host {
  readonly kind = "container" as const;
  readonly name: string;
  constructor(
    readonly engine: Engine,
    readonly containerId: string,
    containerName: string,
  ) {
    this.name = `container:${containerName}`;
  }

  async exec(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const { stdoutBytes: _bytes, ...res } = await this.engine.exec(this.containerId, command, this.name, options);
    return res;
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return (await this.engine.readContainerFile(this.containerId, path)).toString("utf8");
    } catch {
      return undefined;
    }
  }
}
