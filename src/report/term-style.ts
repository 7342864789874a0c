import type { CheckStatus } from "./model.js";

/** Tiny ANSI styling; with color off every function is the identity, so plain output stays greppable. */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export function makeStyle(color: boolean): Style {
  if (!color) return { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Color when the stream is a TTY and NO_COLOR is unset (https://no-color.org), or FORCE_COLOR is set. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export const STATUS_SYMBOL: Record<CheckStatus, string> = { pass: "✓", fail: "✗", skip: "-", flaky: "~" };

export function statusStyle(st: Style, status: CheckStatus): (s: string) => string {
  return { pass: st.green, fail: st.red, skip: st.dim, flaky: st.yellow }[status];
}

/** Visible width: ANSI codes take no columns. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/** Cuts plain text to `width` columns with an ellipsis. */
export function truncate(s: string, width: number | undefined): string {
  if (width === undefined || width < 10 || s.length <= width) return s;
  return `${s.slice(0, width - 1)}…`;
}
