/**
 * File order for `npm test`: with files side by side, the wall time is at least
 * the longest file, and a long file that starts last adds its whole length at
 * the end. Vitest orders by the durations it cached on an earlier run, and on a
 * fresh machine (no cache: CI) by file size, which says nothing here (the
 * conformance run is a short file). So the files measured to take longest
 * start first, in this order; the rest keep Vitest's own order after them.
 * Seconds from the clean-clone CI log, files one at a time; refresh when a file
 * grows or shrinks a lot.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

const LONGEST_FIRST = [
  "test/e2e/conformance-all.test.ts", // --all --repeat 3 beside a second --all: was 411 s + 295 s in two files
  "test/integration/doctor-field.test.ts", // ~114 s, a dind target per test
  "test/e2e/package.test.ts", // npm pack + install + real runs
  "test/integration/doctor.test.ts", // ~62 s
  "test/e2e/perf-bench.test.ts", // ~46 s
  "test/integration/dind-overlay.test.ts", // ~40 s
  "test/e2e/dind-interrupt.test.ts", // ~38 s
  "test/integration/wrong-expectations.test.ts", // ~37 s
  "test/integration/explain-faults.test.ts", // ~32 s
  "test/e2e/run-options.test.ts",
  "test/integration/modes.test.ts", // ~27 s
  "test/integration/nat.test.ts",
  "test/integration/macvlan.test.ts",
  "test/integration/doctor-ssh.test.ts", // ~19 s
  "test/integration/doctor-live-run.test.ts", // ~17 s
  "test/integration/perf.test.ts", // ~16 s
  "test/integration/bringup-rollback.test.ts", // ~14 s
  "test/e2e/sigint.test.ts", // ~13 s
];

function rank(spec: TestSpecification): number {
  const i = LONGEST_FIRST.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
  return i === -1 ? LONGEST_FIRST.length : i;
}

export class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    // Stable: equal ranks keep the base order (projects and group order included).
    return base.map((spec, i) => ({ spec, i, r: rank(spec) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.spec);
  }
}
