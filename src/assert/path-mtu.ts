import { describeDfPing, type DfPingResult } from "../probes/df-ping.js";
import type { VerdictFinding } from "./reach.js";

/** What a path-MTU check gathered: three don't-fragment pings, and a search when the largest was lost. */
export interface PathMtuFacts {
  /** "a → b at 10.0.1.3". */
  subject: string;
  /** The sender's interface toward the target and its MTU, as its kernel reports them. */
  iface: string;
  ifaceMtu: number;
  /** The path MTU the check expects (default: the sender interface's MTU). */
  expectMtu: number;
  /** A small DF packet: is there a path at all? */
  small: DfPingResult;
  /** Exactly expectMtu bytes: must cross. */
  fits: DfPingResult;
  /** expectMtu + 1 bytes: must not. */
  over: DfPingResult;
  /** The largest DF packet that crossed, bytes, when `fits` did not (a search between small and fits). */
  largestCrossing?: number;
  /** Appended to a failure: what the mode needs (an overlay: underlay MTU ≥ overlay MTU + 50). */
  hint?: string;
}

const finding = (verdict: VerdictFinding["verdict"], reason: string): VerdictFinding => ({ status: verdict === "pass" ? "pass" : "fail", verdict, reason });

/**
 * The largest don't-fragment packet that crosses the path equals the expected
 * MTU: one of exactly that size is answered and one a byte larger is not.
 * Large packets lost while small ones cross is a black hole, named as an MTU
 * failure with the largest size that still crossed. Pure.
 */
export function judgePathMtu(f: PathMtuFacts): VerdictFinding {
  const notRun = [f.small, f.fits, f.over].find((p) => !p.ran);
  if (notRun) return finding("error", `error: the don't-fragment ping did not run (${f.subject}): ${notRun.error}`);
  if (f.small.received === 0) {
    return finding("inconclusive", `inconclusive: even a small packet does not cross (${describeDfPing(f.small)}): ${f.subject} has no path at all, so nothing is known about its MTU`);
  }
  const hint = f.hint ? ` — ${f.hint}` : "";
  if (f.fits.received === 0) {
    if (f.fits.localMtu !== undefined && f.fits.fragNeeded === undefined && f.fits.localMtu < f.expectMtu) {
      return finding("fail", `MTU: ${f.subject}: the sender's route MTU is ${f.fits.localMtu} (${f.iface} ${f.ifaceMtu}), not the expected ${f.expectMtu}: ${describeDfPing(f.fits)}`);
    }
    const largest = f.largestCrossing !== undefined ? `; the largest DF packet that crosses is ${f.largestCrossing} bytes` : "";
    const silent = f.fits.fragNeeded ? `a hop refuses them (Frag needed, mtu ${f.fits.fragNeeded.mtu})` : "they vanish silently";
    return finding(
      "fail",
      `MTU black hole: ${f.subject}: packets of ${f.expectMtu} bytes (${f.iface} MTU ${f.ifaceMtu}) do not cross while small ones do — ${silent}: ${describeDfPing(f.fits)}${largest}; the path MTU is below ${f.expectMtu}${hint}`,
    );
  }
  if (f.over.received > 0) {
    return finding("fail", `MTU: ${f.subject}: a ${f.over.packetSize}-byte don't-fragment packet crossed, so the path MTU is above the expected ${f.expectMtu} (${f.iface} MTU ${f.ifaceMtu}): ${describeDfPing(f.over)}`);
  }
  return finding("pass", `the largest don't-fragment packet that crosses ${f.subject} is ${f.fits.packetSize} bytes, the expected MTU (${f.iface} MTU ${f.ifaceMtu}): ${describeDfPing(f.fits)}; one byte more: ${describeDfPing(f.over)}`);
}
