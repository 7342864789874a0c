/** The report layer's public API: pure renderers of a RunResult, plus the folder writer and the results reader. */
export * from "./model.js";
export { renderJunit, SCENARIO_CASE_NAME } from "./junit.js";
export { renderHtml, type HtmlOptions } from "./html/render-html.js";
export { renderSummary, renderCheckLine, totalsLine, type SummaryOptions } from "./summary.js";
export { shouldColor } from "./term-style.js";
export { diffRuns, hasRegressions, type RunDiff, type StatusChange, type PerfRegression } from "./diff.js";
export { renderDiffText } from "./diff-text.js";
export { compareMeasurements, higherIsBetter } from "./measurement-compare.js";
export { writeRunReport, type WriteReportOptions, type WrittenReport } from "./writer.js";
export { parseRunResult, readRunResult, ResultsFileError } from "./load.js";
