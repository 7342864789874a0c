import type { Artifact, CheckResult } from "../report/model.js";

/**
 * The pcaps a scenario's checks kept, for ScenarioResult.artifacts: every
 * PacketsEvidence names its file (relative to the report folder), once each.
 */
export function pcapArtifactsOf(checks: CheckResult[]): Artifact[] {
  const seen = new Map<string, Artifact>();
  for (const c of checks) {
    for (const e of c.evidence) {
      if (e.kind !== "packets" || !e.file || seen.has(e.file)) continue;
      seen.set(e.file, { kind: "pcap", path: e.file, description: `${e.capture} (${c.name})` });
    }
  }
  return [...seen.values()];
}
