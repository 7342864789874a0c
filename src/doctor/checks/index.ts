import type { DoctorCheck } from "../types.js";
import { daemonSettingsCheck } from "./daemon-settings.js";
import { conntrackStaleCheck } from "./conntrack-stale.js";
import { dnsCheck } from "./dns.js";
import { hostFirewallCheck } from "./host-firewall.js";
import { vxlanOffloadCheck } from "./vxlan-offload.js";
import { dockerChainsCheck } from "./docker-chains.js";
import { publishedPortsCheck } from "./published-ports.js";
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
import { ipv6Check } from "./ipv6.js";

/** Every check, in report order. Each is independent: the runner starts them all at once. */
export const ALL_CHECKS: readonly DoctorCheck[] = [
  engineCheck,
  daemonSettingsCheck,
  kernelCheck,
  sysctlsCheck,
  ipv6Check,
  firewallBackendCheck,
  forwardPolicyCheck,
  hostFirewallCheck,
  dockerChainsCheck,
  natRulesCheck,
  publishedPortsCheck,
  networksCheck,
  mtuCheck,
  leftoversCheck,
  dnsCheck,
  portsCheck,
  conntrackStaleCheck,
  overlayCheck,
  vxlanOffloadCheck,
  macvlanCheck,
];
