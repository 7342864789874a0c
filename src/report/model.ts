/**
 * The versioned results model. Every renderer (terminal, JSON, JUnit, HTML) is a
 * pure function of a RunResult. Later features add optional fields; a breaking
 * change bumps RESULTS_SCHEMA_VERSION.
 */
export const RESULTS_SCHEMA_VERSION = 1;

export type CheckStatus = "pass" | "fail" | "skip" | "flaky";
export const CHECK_CATEGORIES = ["reachability", "isolation", "dns", "nat", "performance", "topology"] as const;
export type CheckCategory = (typeof CHECK_CATEGORIES)[number];

export interface CommandEvidence {
  kind: "command";
  where: string;
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  startedAt: string;
  timedOut?: boolean;
}

/** An addressed flow as seen by one capture point. */
export interface FlowTuple {
  protocol: "tcp" | "udp" | "icmp" | string;
  src: string;
  srcPort?: number;
  dst: string;
  dstPort?: number;
}

/** NAT evidence: the same conversation (matched by token) as two capture points saw it. */
export interface NatEvidence {
  kind: "nat";
  rewrite: "dnat" | "snat" | "none" | "proxy";
  token?: string;
  before: { capture: string; tuple: FlowTuple; packets: number };
  after: { capture: string; tuple: FlowTuple; packets: number };
  explanation: string;
}

/** A few decoded packets from a capture file, as printed lines. */
export interface PacketsEvidence {
  kind: "packets";
  capture: string;
  /** Path of the pcap relative to the run's report folder. */
  file: string;
  lines: string[];
  total: number;
}

export interface MeasurementEvidence {
  kind: "measurement";
  metric: string;
  unit: string;
  value: number;
  samples?: number[];
  /** Named figures: min, p50, p95, p99, max, loss, retransmits, jitterMs… */
  stats?: Record<string, number>;
  /** Which direction is an improvement; when unset, `netcheck report` guesses from unit and metric (bit rates: higher). */
  better?: "higher" | "lower";
}

export interface NoteEvidence {
  kind: "note";
  text: string;
}

export type Evidence = CommandEvidence | NatEvidence | PacketsEvidence | MeasurementEvidence | NoteEvidence;

export interface AttemptResult {
  status: Exclude<CheckStatus, "flaky">;
  reason?: string;
  durationMs: number;
}

export interface CheckResult {
  /** `<scenario id>/<check name>`, e.g. `bridge/default/no-dns-by-name`. */
  id: string;
  name: string;
  category: CheckCategory;
  /** What the check expects, in words: "a → b:80 must NOT connect". */
  expectation: string;
  status: CheckStatus;
  /** Why it failed or was skipped, with the measured values. */
  reason?: string;
  evidence: Evidence[];
  startedAt: string;
  durationMs: number;
  /** Retries and repeats, in order; present when more than one attempt ran. */
  attempts?: AttemptResult[];
  /** Pass rate across repeats (flaky detection). */
  passRate?: number;
  /** The Docker engine version(s) the verdict was checked against (every Docker host of the scenario). */
  engine?: string;
  /** Engine versions this expectation holds on, and the Docker change that set them (outside: skipped with the reason). */
  engineRange?: { since?: string; until?: string; change: string };
  /** Why a failed reach/isolation/DNS/NAT check failed: the explain engine's answer, gathered at the moment of failure. */
  cause?: CheckCause;
}

export interface CheckCause {
  kind: "delivered" | "cause" | "likely" | "inconclusive";
  summary: string;
  /** What to do about it (with every cause and likely cause). */
  fix?: string;
  evidence: string[];
}

export interface TopologyInterface {
  name: string;
  network?: string;
  ipv4?: string;
  ipv6?: string;
  mac?: string;
  kind?: string;
  parent?: string;
}

export interface TopologyNode {
  name: string;
  host: string;
  networkMode: string;
  container?: string;
  image?: string;
  interfaces: TopologyInterface[];
}

export interface TopologyNetwork {
  name: string;
  host: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  parent?: string;
  internal?: boolean;
  options?: Record<string, string>;
}

export interface TopologyHost {
  name: string;
  kind: "local" | "dind" | "vm" | "ssh" | "external";
  address?: string;
  /** The Docker engine version this host runs: what the scenario's verdicts were checked against. */
  engine?: string;
}

export interface TopologySnapshot {
  hosts: TopologyHost[];
  networks: TopologyNetwork[];
  nodes: TopologyNode[];
  externalHost?: { namespace: string; address: string; hostSideAddress: string; link: string; subnet: string };
}

export interface Artifact {
  kind: "pcap" | "log" | "inspect" | "rules" | "screenshot" | "other";
  /** Path relative to the run's report folder. */
  path: string;
  description: string;
}

export interface PerfSummary {
  /** Per path (c2c, c2h, c2e…): measured figures. */
  paths: Record<string, { throughputBps?: number; latencyP50Ms?: number; latencyP95Ms?: number; connectMs?: number; ratioToHost?: number }>;
}

/** One figure across --repeat runs: the median and its spread (cv = stddev / mean). */
export interface RepeatFigure {
  median: number;
  min: number;
  max: number;
  n: number;
  cv: number;
}

/** One mode on one path (c2c, c2h, c2e) in the measured mode comparison. */
export interface PerfComparisonRow {
  mode: string;
  scenario: string;
  path: string;
  throughputBps?: RepeatFigure;
  udp?: { jitterMs?: RepeatFigure; lossPercent?: RepeatFigure };
  latencyP50Ms?: RepeatFigure;
  latencyP95Ms?: RepeatFigure;
  connectP50Ms?: RepeatFigure;
  /** This row's median over the baseline mode's on the same path. */
  ratioToBaseline?: { throughput?: number; latencyP50?: number; connectP50?: number };
  /** The check ids the figures come from. */
  checks: string[];
}

/** A cell of the qualitative table, backed by a check of this run when one decides it. */
export interface QualitativeCell {
  answer: string;
  checkId?: string;
  status?: CheckStatus;
  detail: string;
}

export interface QualitativeRow {
  mode: string;
  multiHost: QualitativeCell;
  outside: QualitativeCell;
  containerToContainer: QualitativeCell;
  isolation: QualitativeCell;
}

/** `netcheck run --perf` / `netcheck bench`: every measured mode against the baseline mode (host). */
export interface ModeComparison {
  baselineMode: string;
  paths: string[];
  rows: PerfComparisonRow[];
  qualitative: QualitativeRow[];
}

export interface ScenarioResult {
  id: string;
  mode: string;
  summary: string;
  file?: string;
  status: CheckStatus;
  /** Set when the whole scenario was skipped or failed to come up. */
  reason?: string;
  startedAt: string;
  durationMs: number;
  topology?: TopologySnapshot;
  checks: CheckResult[];
  artifacts: Artifact[];
  perf?: PerfSummary;
  /** How many times the scenario ran (--repeat). */
  repeats?: number;
  /** Where its time went (bring-up steps, checks, teardown) in its last repetition, from the start of its lab; spans may overlap. */
  phases?: { name: string; startMs: number; ms: number }[];
}

export interface HostFacts {
  hostname: string;
  kernel: string;
  os?: string;
  engine?: { version: string; apiVersion: string; os?: string; rootless?: boolean; storageDriver?: string; endpoint: string };
  iptablesBackend?: "nft" | "legacy" | "unknown";
  uplink?: { name: string; mtu: number; addresses: string[] };
  cpus?: number;
}

export interface RunTotals {
  scenarios: number;
  checks: number;
  pass: number;
  fail: number;
  skip: number;
  flaky: number;
}

export interface RunResult {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  tool: { name: "netcheck"; version: string };
  runId: string;
  command: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  host: HostFacts;
  options: Record<string, unknown>;
  scenarios: ScenarioResult[];
  totals: RunTotals;
  /** Failures that are not a check's: `--require` on a skipped mode, a lab that never came up. */
  errors: { scenario?: string; message: string }[];
  /** The exit code netcheck chose: 0 passed, 1 checks failed, 2 usage or environment error. */
  exitCode: 0 | 1 | 2;
  /** Set by the report folder writer: where this run's files are, relative to cwd. */
  reportDir?: string;
  /** Present when performance checks ran (--perf, `netcheck bench`). */
  comparison?: ModeComparison;
  /** The per-mode table (multi-host? outside? container ↔ container? isolation?), each answer backed by a check of this run. */
  modeTable?: QualitativeRow[];
}

export function computeTotals(scenarios: ScenarioResult[]): RunTotals {
  const t: RunTotals = { scenarios: scenarios.length, checks: 0, pass: 0, fail: 0, skip: 0, flaky: 0 };
  for (const s of scenarios) {
    for (const c of s.checks) {
      t.checks++;
      t[c.status]++;
    }
  }
  return t;
}

/** The worst status wins: fail > flaky > pass > skip (a scenario with no checks takes its own status). */
export function rollUpStatus(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("flaky")) return "flaky";
  if (statuses.includes("pass")) return "pass";
  return "skip";
}
