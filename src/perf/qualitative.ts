/** The per-mode table of the perf comparison: the run's mode table (src/report/mode-table.ts), perf checks included. */
export { modeTable as qualitativeTable } from "../report/mode-table.js";
