/** Counts read back from a JUnit file, to compare with the results JSON. */
export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Test cases whose system-out flags them FLAKY. */
  flaky: number;
  /** The root <testsuites> element's own tests/failures attributes. */
  rootTests: number;
  rootFailures: number;
}

export function junitCounts(xml: string): JunitCounts {
  const count = (re: RegExp) => (xml.match(re) ?? []).length;
  const rootAttr = (name: string) => Number(new RegExp(`<testsuites [^>]*\\b${name}="(\\d+)"`).exec(xml)?.[1] ?? NaN);
  return {
    tests: count(/<testcase\b/g),
    failures: count(/<failure\b/g),
    errors: count(/<error\b/g),
    skipped: count(/<skipped\b/g),
    flaky: count(/<system-out>FLAKY:/g),
    rootTests: rootAttr("tests"),
    rootFailures: rootAttr("failures"),
  };
}
