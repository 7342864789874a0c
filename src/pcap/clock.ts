/**
 * Calendar arithmetic on whole seconds, without Date: Date stops at ±8.64e15 ms and throws
 * ("Invalid time value") or yields NaN beyond, while a pcapng if_tsoffset or if_tsresol can put a
 * packet anywhere in 2^64 seconds (issue 17, item 3). Times tcpdump cannot convert are printed
 * as tcpdump prints them.
 */
export const UNCONVERTIBLE_TIME = "[Error converting time]";

/** Seconds we print as a time: tcpdump 4.99 gives up on negative and on very large ones; we stop where numbers stop being exact. */
export function isPrintableSecond(sec: number): boolean {
  return Number.isSafeInteger(sec) && sec >= 0;
}

/** Year, month (1-12) and day of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

/** "YYYY-MM-DD" in UTC, or the tcpdump text when the second is out of range. */
export function utcDate(sec: number): string {
  if (!isPrintableSecond(sec)) return UNCONVERTIBLE_TIME;
  const { year, month, day } = civilFromDays(Math.floor(sec / 86_400));
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
