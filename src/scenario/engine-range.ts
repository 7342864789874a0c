/**
 * Expectations that changed between Docker releases. A check tagged
 * `{ since: "25.0" }` holds on engines from 25.0 on; `{ until: "25.0" }` on
 * engines before 25.0; each names the change (`change`: the moby release note
 * or pull request) so a report can say why. The version is the engine's own
 * (`docker version` of every Docker host the scenario ran on), never assumed.
 * Pure: no Docker here.
 */
export interface EngineRange {
  /** First engine version the expectation holds on (inclusive), e.g. "25.0". */
  since?: string;
  /** First engine version it no longer holds on (exclusive). */
  until?: string;
  /** What changed, with where: "moby/moby#46603 (v25.0.0): …". */
  change: string;
}

/** "26.1.5+dfsg1" → [26, 1, 5]; "20.10.24" → [20, 10, 24]; undefined when it is not a version. */
export function parseEngineVersion(v: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function compareEngineVersions(a: string, b: string): number {
  const x = parseEngineVersion(a);
  const y = parseEngineVersion(b);
  if (!x || !y) throw new Error(`cannot compare engine versions "${a}" and "${b}"`);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** A declaration error's text for a bad range, else undefined. */
export function engineRangeProblem(r: EngineRange): string | undefined {
  if (r.since === undefined && r.until === undefined) return "needs since or until";
  for (const k of ["since", "until"] as const) if (r[k] !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(r[k]!)) return `${k} must be a version such as "25.0", got ${JSON.stringify(r[k])}`;
  if (r.since && r.until && compareEngineVersions(r.since, r.until) >= 0) return `since ${r.since} is not before until ${r.until}`;
  if (typeof r.change !== "string" || r.change.trim().length < 8) return "needs change: what changed in Docker and where it is written (a moby release or pull request)";
  return undefined;
}

export function describeEngineRange(r: EngineRange): string {
  return [r.since && `≥ ${r.since}`, r.until && `< ${r.until}`].filter(Boolean).join(" and ");
}

/**
 * Whether a check tagged `r` applies on engines `versions` (every Docker host
 * the scenario runs on). Applies only when every one is inside the range; an
 * unreadable version is never guessed into it.
 */
export function engineRangeApplies(r: EngineRange, versions: string[]): { applies: true } | { applies: false; reason: string } {
  const unreadable = versions.filter((v) => !parseEngineVersion(v));
  if (versions.length === 0 || unreadable.length > 0) {
    return { applies: false, reason: `expectation for Docker ${describeEngineRange(r)}, but the engine version could not be read (${unreadable.join(", ") || "no engine"})` };
  }
  const outside = versions.filter((v) => (r.since !== undefined && compareEngineVersions(v, r.since) < 0) || (r.until !== undefined && compareEngineVersions(v, r.until) >= 0));
  if (outside.length === 0) return { applies: true };
  return { applies: false, reason: `expectation for Docker ${describeEngineRange(r)} (${r.change}); this engine is ${[...new Set(outside)].join(", ")}` };
}
