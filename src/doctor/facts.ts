import type { Engine } from "../engine/engine.js";
import { commandLine, type ExecResult, type Host } from "../host/host.js";
import { readHostFile } from "../host/read-host-file.js";

export { readHostFile };
import { readOwnership, type LabOwnership } from "./ours.js";
import type { FindingEvidence } from "./types.js";

/** What the engine told us once, shared by every check (undefined parts: engine unreachable). */
// Types come through Engine's signatures: only src/engine imports dockerode.
export type EngineNetwork = Awaited<ReturnType<Engine["listNetworks"]>>[number];
export type EngineContainer = Awaited<ReturnType<Engine["listContainers"]>>[number];
export interface EngineSnapshot {
  info: Record<string, unknown>;
  version: Awaited<ReturnType<Engine["version"]>>;
  networks: EngineNetwork[];
  containers: EngineContainer[];
}

/**
 * A per-run cache of commands and engine answers. Checks run concurrently and
 * several read the same thing (`ip -j link`, `iptables-save`); each is run once.
 */
export class Facts {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(
    readonly host: Host,
    readonly engine: Engine | undefined,
    readonly signal: AbortSignal,
  ) {}

  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.cache.set(key, p);
    }
    return p;
  }

  exec(command: string[], timeoutMs = 4000): Promise<ExecResult> {
    return this.memo(`exec:${JSON.stringify(command)}`, () => this.host.exec(command, { signal: this.signal, timeoutMs }));
  }

  /** Stdout of a command that must succeed; undefined when it failed or is missing. */
  async stdout(command: string[]): Promise<string | undefined> {
    const res = await this.exec(command);
    return res.exitCode === 0 ? res.stdout : undefined;
  }

  /** /proc and /sys are read with `cat`: a container host reads files through the archive API, which sees them as empty. */
  readFile(path: string): Promise<string | undefined> {
    return this.memo(`file:${path}`, () => readHostFile(this.host, path, this.signal));
  }

  async json<T>(command: string[]): Promise<T | undefined> {
    const out = await this.stdout(command);
    if (out === undefined) return undefined;
    try {
      return JSON.parse(out) as T;
    } catch {
      return undefined;
    }
  }

  /** netcheck's own labs on this host (live runs and subnet claims are readable only locally). */
  ours(): Promise<LabOwnership> {
    return this.memo("ours", async () => readOwnership(this.host.kind === "local"));
  }

  /** The engine's state, or undefined when no engine was given or it does not answer. */
  engineSnapshot(): Promise<EngineSnapshot | undefined> {
    return this.memo("engine", async () => {
      const engine = this.engine;
      if (!engine) return undefined;
      try {
        await engine.ping(AbortSignal.any([this.signal, AbortSignal.timeout(3000)]));
        const [info, version, networks, containers] = await Promise.all([
          engine.info(),
          engine.version(),
          engine.listNetworks(),
          engine.listContainers(),
        ]);
        return { info, version, networks, containers };
      } catch {
        return undefined;
      }
    });
  }

  /** Evidence for a command result: the command line with where it ran, and its trimmed output. */
  evidence(res: ExecResult, maxLines = 12): FindingEvidence {
    const text = (res.exitCode === 0 ? res.stdout : `${res.stdout}${res.stderr}`).trim();
    const lines = text.split("\n");
    const value = lines.length > maxLines ? [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines)`].join("\n") : text;
    return { source: `${commandLine(res.command)} [${res.where}]`, value: res.exitCode === 0 ? value : `exit ${res.exitCode}: ${value}` };
  }

  fileEvidence(path: string, value: string): FindingEvidence {
    return { source: `read ${path} [${this.host.name}]`, value };
  }
}

