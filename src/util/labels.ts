/** Every container and network netcheck creates carries these labels; `netcheck clean` finds them by label. */
export const LABEL_RUN = "io.netcheck.run";
export const LABEL_SCENARIO = "io.netcheck.scenario";
export const LABEL_ROLE = "io.netcheck.role";
/** One scenario lab (one repeat of a scenario): its teardown removes by this label, never a kept sibling repeat's. */
export const LABEL_LAB = "io.netcheck.lab";
export const LABEL_PID = "io.netcheck.pid";
/** Prefix of every network namespace and host link netcheck creates. */
export const NAME_PREFIX = "netcheck-";
/** Docker object names: nc-<run>-<name>. */
export function dockerName(runId: string, name: string): string {
  return `nc-${runId}-${name}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}
/** Host link names are capped at 15 characters by the kernel: netcheck-<run id><role char>. */
export function linkName(runId: string, role: string): string {
  const name = `${NAME_PREFIX}${runId}${role}`;
  if (name.length > 15) throw new Error(`link name ${name} exceeds 15 characters`);
  return name;
}
export function netnsName(runId: string, role: string): string {
  return `${NAME_PREFIX}${role}-${runId}`;
}
