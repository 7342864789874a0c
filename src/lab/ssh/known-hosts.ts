import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { EnvironmentError } from "../../util/errors.js";

/**
 * netcheck's own known_hosts for the hosts a user names (`--hosts`, `clean
 * --hosts`, `doctor --host`): a host's key is accepted the first time
 * (accept-new) and checked every time after, without touching the user's
 * ~/.ssh/known_hosts. `NETCHECK_KNOWN_HOSTS` points elsewhere (tests).
 */
export function knownHostsFile(): string {
  return process.env.NETCHECK_KNOWN_HOSTS ?? "/var/lib/netcheck/ssh/known_hosts";
}

/** ssh -o options for a user's host: its key accepted once, then checked against netcheck's known_hosts. */
export function checkedHostKeyOptions(): Record<string, string> {
  const file = knownHostsFile();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return { StrictHostKeyChecking: "accept-new", UserKnownHostsFile: file, LogLevel: "ERROR" };
}

/** ssh's own words when a host's key is not the one recorded (or none can be recorded). Pure. */
export function hostKeyRefused(stderr: string): boolean {
  return /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key for .* has changed/i.test(stderr);
}

/** The error for a host whose key changed: never connected past it, never "fixed" silently. */
export function hostKeyError(uri: string, host: string, port: number | undefined, stderr: string, file = knownHostsFile()): EnvironmentError {
  const entry = port && port !== 22 ? `[${host}]:${port}` : host;
  const said = stderr.split("\n").map((l) => l.trim()).filter((l) => l && !/^@+$|^@/.test(l)).slice(-2).join(" | ");
  return new EnvironmentError("NETCHECK_SSH_HOST_KEY", `${uri}: its ssh host key is not the one netcheck recorded in ${file} (${said || "Host key verification failed"}); nothing was run on it.`, {
    hint: `If ${host} was reinstalled or its key rotated on purpose, forget the old key with \`ssh-keygen -f ${file} -R '${entry}'\` and retry (the new key is then recorded on first use); otherwise find out who answers at that address first.`,
  });
}
