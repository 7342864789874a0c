import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: the nearest folder above this module with netcheck's package.json (works from src/ and dist/src/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "netcheck") return dir;
    dir = dirname(dir);
  }
  throw new Error("cannot find netcheck's package.json above " + fileURLToPath(import.meta.url));
}

let cached: string | undefined;
export function netcheckVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string }).version;
  return cached;
}

/** The probe image every lab node runs; `netcheck setup` builds it offline. */
export function probeImageTag(): string {
  return `netcheck/probe:${netcheckVersion()}`;
}

/** The docker-in-docker lab host image: an empty root whose /usr is the host's, bind-mounted read-only. `netcheck setup` builds it. */
export function dindHostImageTag(): string {
  return `netcheck/dind-host:${netcheckVersion()}`;
}
