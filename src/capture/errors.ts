import { NetcheckError } from "../util/errors.js";

/** A capture that could not start, or whose file could not be recovered. */
export class CaptureError extends NetcheckError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("NETCHECK_CAPTURE_FAILED", message, options);
  }
}

/** Refused before anything ran: the interface is the host's real uplink (or `any`, which includes it). */
export class UnsafeCaptureError extends NetcheckError {
  constructor(iface: string, where: string) {
    super("NETCHECK_UNSAFE_CAPTURE", `Refusing to capture on "${iface}" at ${where}: it is (or includes) the host's real network interface.`, {
      hint: "Capture on a lab bridge, a container's eth0, a veth, or the underlay link (ctx.run.external.link).",
    });
  }
}
