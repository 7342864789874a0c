import type { DoctorCheck } from "../types.js";
import { dnsCheck } from "./dns.js";
import { engineCheck } from "./engine.js";
import { firewallBackendCheck } from "./firewall-backend.js";
import { forwardPolicyCheck } from "./forward-policy.js";
import { kernelCheck } from "./kernel.js";
import { leftoversCheck } from "./leftovers.js";
import { macvlanCheck } from "./macvlan.js";
import { mtuCheck } from "./mtu.js";
import { natRulesCheck } from "./nat-rules.js";
import { networksCheck } from "./networks.js";
import { overlayCheck } from "./overlay.js";
import { portsCheck } from "./ports.js";
import { sysctlsCheck } from "./sysctls.js";

/** Every check, in report order. Each is independent: the runner starts them all at once. */
export const ALL_CHECKS: readonly DoctorCheck[] = [
  engineCheck,
  kernelCheck,
  sysctlsCheck,
  firewallBackendCheck,
  forwardPolicyCheck,
  natRulesCheck,
  networksCheck,
  mtuCheck,
  leftoversCheck,
  dnsCheck,
  portsCheck,
  overlayCheck,
  macvlanCheck,
];
