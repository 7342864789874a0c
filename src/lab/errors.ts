import { NetcheckError } from "../util/errors.js";

export class LabBringUpError extends NetcheckError {
  constructor(what: string, cause: unknown) {
    super("NETCHECK_LAB_BRINGUP", `Could not bring up ${what}.`, {
      hint: "Run `netcheck doctor` to check the host, or `--keep-on-failure` to inspect the lab.",
      cause,
    });
  }
}
