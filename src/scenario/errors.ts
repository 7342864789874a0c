import { NetcheckError } from "../util/errors.js";

/** A scenario file that cannot be compiled or evaluated. Exit code 2. */
export class ScenarioLoadError extends NetcheckError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("NETCHECK_SCENARIO_LOAD", message, options);
  }
}
