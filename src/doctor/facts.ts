import type { Engine } from "../engine/engine.js";
import { commandLine, type ExecResult, type Host } from "../host/host.js";
import { readHostFile } from "../host/read-host-file.js";
import { errorMessage } from "../util/errors.js";

export { readHostFile };
import { readOwnership, type LabOwnership } from "./ours.js";
import type { FindingEvidence } from "./types.js";
import { withTimeout } from "../util/abort.js";

/** What the engine told us once, shared by every check (undefined parts: engine unreachable). */
// Types come through Engine's signatures: only src/engine imports dockerode.
export type EngineNetwork = Awaited<ReturnType<Engine["listNetworks"]>>[number];
export type EngineContainer = Awaited<ReturnType<Engine["listContainers"]>>[number];
/** How long the engine may take to answer /_ping before doctor calls it unresponsive. */
export const ENGINE_ANSWER_MS = 10_000;

export interface EngineState {
  snapshot?: EngineSnapshot;
  /** Set when an engine was given but did not answer. */
  error?: { timedOut: boolean; message: string };
}

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

  exec(command: string[], timeoutMs = 8000): Promise<ExecResult> {
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
  async engineSnapshot(): Promise<EngineSnapshot | undefined> {
    return (await this.engineState()).snapshot;
  }

  /**
   * The engine's state, or why there is none. A loaded engine (many labs starting at
   * once) can take seconds to answer: a timeout is told apart from a refused connection.
   */
  engineState(): Promise<EngineState> {
    return this.memo("engine", async () => {
      const engine = this.engine;
      if (!engine) return {};
      const deadline = withTimeout(ENGINE_ANSWER_MS, this.signal)!;
      try {
        await engine.ping(deadline);
        const [info, version, networks, containers] = await Promise.all([engine.info(), engine.version(), engine.listNetworks(), engine.listContainers()]);
        return { snapshot: { info, version, networks, containers } };
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause ?? err;
        const text = errorMessage(cause);
        return { error: { timedOut: deadline.aborted && !this.signal.aborted, message: text } };
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

