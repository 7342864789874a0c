import { EnvironmentError, NetcheckError } from "../util/errors.js";

export class EngineUnreachableError extends EnvironmentError {
  constructor(endpoint: string, cause: unknown) {
    super("NETCHECK_ENGINE_UNREACHABLE", `Cannot reach a Docker engine at ${endpoint}.`, {
      hint: "Run `npx netcheck setup` (installs and starts dockerd on Debian/Ubuntu as root), or set DOCKER_HOST to a running engine.",
      cause,
    });
  }
}

export class ImageMissingError extends EnvironmentError {
  constructor(tag: string) {
    super("NETCHECK_IMAGE_MISSING", `The probe image ${tag} is not on the engine.`, {
      hint: "Run `npx netcheck setup`: it builds the image locally from host binaries (no registry needed).",
    });
  }
}

export class SubnetConflictError extends NetcheckError {
  constructor(network: string, subnet: string, cause: unknown) {
    super("NETCHECK_SUBNET_CONFLICT", `Cannot create network ${network}: subnet ${subnet} overlaps an existing network.`, {
      hint: "netcheck picks another subnet by itself; if you pinned this subnet in a scenario, choose a free one (`docker network ls`, `ip route`).",
      cause,
    });
  }
}

/** Any other refusal by the engine, with its HTTP status and message kept. */
export class EngineRequestError extends NetcheckError {
  constructor(
    what: string,
    readonly statusCode: number | undefined,
    cause: unknown,
  ) {
    const msg = engineMessage(cause);
    super("NETCHECK_ENGINE_REQUEST", `${what} failed${statusCode ? ` (HTTP ${statusCode})` : ""}: ${msg}`, { cause });
  }
}

export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; reason?: string; message?: string };
  return e?.json?.message ?? e?.message ?? e?.reason ?? String(err);
}

export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === "number" ? code : undefined;
}
