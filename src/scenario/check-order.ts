import type { CheckDecl } from "./define.js";

/**
 * A check that passes on proven silence ("must NOT connect", "must NOT
 * resolve") and changes nothing in the lab. They run after the positive
 * checks, all at once: each spends its time waiting, and waits overlap. Marked
 * by the builder (`isolated`, `doesNotResolve`, a negative `segmentReach`),
 * not by category: an "isolation" check that flips a switch port (vepa
 * hairpin) must not run beside the others.
 */
export function isNegativeCheck(d: CheckDecl): boolean {
  return (d as { negative?: boolean }).negative === true;
}

/** Mark a declared check as negative (the builder does, for `doesNotResolve`). */
export function negative(d: CheckDecl): CheckDecl {
  return Object.assign(d, { negative: true });
}
