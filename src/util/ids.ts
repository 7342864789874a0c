import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A run id is 5 base-36 characters: short enough that `netcheck-<id><role>`
 * fits Linux's 15-character interface names, wide enough (60M values) that two
 * concurrent runs do not collide.
 */
export function newRunId(): string {
  const bytes = randomBytes(5);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % 36];
  return id;
}

export const RUN_ID_PATTERN = /^[0-9a-z]{5}$/;

/** A probe token that can be searched for in packet payloads. */
export function newToken(prefix = "nc"): string {
  return `${prefix}${randomBytes(6).toString("hex")}`;
}
