import { commandLine, escapeMarkup as e } from "../escape.js";
import { formatDuration } from "../format.js";
import type { RunResult } from "../model.js";

/** Everything needed to reproduce or compare the run. */
export function environmentHtml(run: RunResult): string {
  const h = run.host;
  const rows: [string, string | undefined][] = [
    ["netcheck", `${run.tool.name} ${run.tool.version}`],
    ["command", commandLine(run.command)],
    ["run id", run.runId],
    ["started", run.startedAt],
    ["finished", `${run.finishedAt} (${formatDuration(run.durationMs)})`],
    ["exit code", String(run.exitCode)],
    ["host", `${h.hostname}${h.cpus ? ` · ${h.cpus} CPUs` : ""}`],
    ["OS", h.os],
    ["kernel", h.kernel],
    ["engine", h.engine ? `Docker ${h.engine.version} (API ${h.engine.apiVersion})${h.engine.storageDriver ? ` · ${h.engine.storageDriver}` : ""}${h.engine.rootless ? " · rootless" : ""} · ${h.engine.endpoint}` : "not reached"],
    ["iptables", h.iptablesBackend],
    ["uplink", h.uplink ? `${h.uplink.name} · MTU ${h.uplink.mtu} · ${h.uplink.addresses.join(", ")}` : undefined],
    ["options", Object.keys(run.options).length ? JSON.stringify(run.options) : undefined],
  ];
  const body = rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== "")
    .map(([k, v]) => `<dt>${e(k)}</dt><dd${k === "command" || k === "options" ? ` class="mono"` : ""}>${e(v)}</dd>`)
    .join("");
  return `<h2 id="environment">Environment</h2><div class="card"><dl class="env">${body}</dl></div>`;
}
