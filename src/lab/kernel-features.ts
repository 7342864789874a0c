import { commandLine, type ExecResult, type Host } from "../host/host.js";
import { cleanupSignal } from "../util/abort.js";
import { newRunId } from "../util/ids.js";
import { NAME_PREFIX } from "../util/labels.js";
import { readHostFile } from "../host/read-host-file.js";
import { parseKernelConfig } from "./kernel-config.js";

/** Where a verdict comes from: the command run or file read, and what it said (doctor's FeatureEvidence). */
export interface FeatureEvidence {
  source: string;
  value: string;
}

export const KERNEL_FEATURES = ["bridge", "veth", "macvlan", "ipvlan", "8021q", "vxlan", "dummy", "nf_nat", "br_netfilter", "overlayfs", "ip_vs", "esp"] as const;
export type KernelFeature = (typeof KERNEL_FEATURES)[number];

export function isKernelFeature(name: string): name is KernelFeature {
  return (KERNEL_FEATURES as readonly string[]).includes(name);
}

export interface KernelFeatureResult {
  feature: KernelFeature;
  available: boolean;
  /** One line: "ipvlan: unavailable, CONFIG_IPVLAN not set; `ip link add … type ipvlan` → Error: Unknown device type." */
  reason: string;
  /** "probe": we created the thing in a throwaway namespace; "config": kernel config only; "unknown": neither worked. */
  method: "probe" | "config" | "unknown";
  evidence: FeatureEvidence[];
}

const CONFIG_KEY: Record<KernelFeature, string> = {
  bridge: "CONFIG_BRIDGE",
  veth: "CONFIG_VETH",
  macvlan: "CONFIG_MACVLAN",
  ipvlan: "CONFIG_IPVLAN",
  "8021q": "CONFIG_VLAN_8021Q",
  vxlan: "CONFIG_VXLAN",
  dummy: "CONFIG_DUMMY",
  nf_nat: "CONFIG_NF_NAT",
  br_netfilter: "CONFIG_BRIDGE_NETFILTER",
  overlayfs: "CONFIG_OVERLAY_FS",
  ip_vs: "CONFIG_IP_VS",
  esp: "CONFIG_INET_ESP",
};

/** How to try each link type inside the namespace; `nc0` is a veth created there as the parent, never a host interface. */
const LINK_ARGS: Partial<Record<KernelFeature, string[]>> = {
  bridge: ["t-br", "type", "bridge"],
  macvlan: ["t-mv", "link", "nc0", "type", "macvlan", "mode", "bridge"],
  ipvlan: ["t-iv", "link", "nc0", "type", "ipvlan", "mode", "l2"],
  "8021q": ["t-vl", "link", "nc0", "type", "vlan", "id", "10"],
  // No remote and never set up: the device sends nothing.
  vxlan: ["t-vx", "type", "vxlan", "id", "42", "dstport", "4789", "dev", "nc0"],
  dummy: ["t-dm", "type", "dummy"],
};

/** Namespaces this process is probing in right now: the leftovers check must not report them. */
export const liveProbeNamespaces = new Set<string>();

const cache = new WeakMap<Host, Map<KernelFeature, Promise<KernelFeatureResult>>>();

/** Is `feature` usable on `host`? Cached per host; safe to call from scenario `requires:` checks. */
export function probeKernelFeature(host: Host, feature: KernelFeature, options: { signal?: AbortSignal } = {}): Promise<KernelFeatureResult> {
  return probeKernelFeatures(host, [feature], options).then((r) => r[0]!);
}

/** Several features at once, sharing one throwaway namespace. */
export async function probeKernelFeatures(host: Host, features: readonly KernelFeature[], options: { signal?: AbortSignal } = {}): Promise<KernelFeatureResult[]> {
  let perHost = cache.get(host);
  if (!perHost) cache.set(host, (perHost = new Map()));
  const missing = features.filter((f) => !perHost.has(f));
  if (missing.length > 0) {
    const batch = runProbes(host, missing, options.signal);
    for (const f of missing) {
      const p = batch.then((m) => m.get(f)!);
      perHost.set(f, p);
      // A failed probe (aborted) must not poison the cache.
      p.catch(() => perHost.delete(f));
    }
  }
  return Promise.all(features.map((f) => perHost.get(f)!));
}

async function runProbes(host: Host, features: KernelFeature[], signal?: AbortSignal): Promise<Map<KernelFeature, KernelFeatureResult>> {
  const { config, source } = await readKernelConfig(host, signal);
  const runtime = await runtimeProbes(host, features, signal);
  const out = new Map<KernelFeature, KernelFeatureResult>();
  for (const f of features) {
    const key = CONFIG_KEY[f];
    const value = config?.get(key);
    const configText = config === undefined ? "kernel config not readable" : value === undefined || value === "n" ? `${key} not set` : `${key}=${value}`;
    const evidence: FeatureEvidence[] = [{ source, value: config === undefined ? "unreadable" : `${key}=${value ?? "(absent)"}` }];
    const rt = runtime.get(f);
    if (rt) evidence.push(rt.evidence);
    const configSays = value === "y" || value === "m" ? true : config !== undefined ? false : undefined;
    const available = rt ? rt.ok : configSays ?? false;
    const method = rt ? "probe" : configSays !== undefined ? "config" : "unknown";
    const verdict = method === "unknown" ? "unknown" : available ? "available" : "unavailable";
    out.set(f, { feature: f, available, method, evidence, reason: `${f}: ${verdict}, ${configText}${rt ? `; ${rt.summary}` : ""}` });
  }
  return out;
}

/**
 * Deadlines for a hung command, not a slow one: over ssh to a TCG VM on a loaded machine one command
 * took more than 2 s (measured: every feature of vm1 came out "kernel config not readable").
 */
const PROBE_TIMEOUT_MS = 30_000;

async function readKernelConfig(host: Host, signal?: AbortSignal): Promise<{ config?: Map<string, string>; source: string }> {
  const gz = await host.exec(["zcat", "/proc/config.gz"], { signal, timeoutMs: PROBE_TIMEOUT_MS });
  if (gz.exitCode === 0 && gz.stdout.includes("CONFIG_")) return { config: parseKernelConfig(gz.stdout), source: "zcat /proc/config.gz" };
  const uname = await host.exec(["uname", "-r"], { signal, timeoutMs: PROBE_TIMEOUT_MS });
  const path = `/boot/config-${uname.stdout.trim()}`;
  const text = uname.exitCode === 0 ? await host.readFile(path, { signal }) : undefined;
  return text ? { config: parseKernelConfig(text), source: `read ${path}` } : { source: "zcat /proc/config.gz, /boot/config-$(uname -r)" };
}

interface RuntimeProbe {
  ok: boolean;
  summary: string;
  evidence: FeatureEvidence;
}

function runtimeResult(res: ExecResult, shown: string[]): RuntimeProbe {
  const err = (res.stderr || res.stdout).trim().split("\n")[0] ?? "";
  const summary = `\`${commandLine(shown)}\` → ${res.exitCode === 0 ? "ok" : err || `exit ${res.exitCode}`}`;
  return { ok: res.exitCode === 0, summary, evidence: { source: `${commandLine(res.command)} [${res.where}]`, value: res.exitCode === 0 ? "ok" : `exit ${res.exitCode}: ${err}` } };
}

async function runtimeProbes(host: Host, features: KernelFeature[], signal?: AbortSignal): Promise<Map<KernelFeature, RuntimeProbe>> {
  const out = new Map<KernelFeature, RuntimeProbe>();
  const exec = (argv: string[]) => host.exec(argv, { signal, timeoutMs: PROBE_TIMEOUT_MS });
  if (features.includes("br_netfilter")) {
    const text = await readHostFile(host, "/proc/sys/net/bridge/bridge-nf-call-iptables", signal);
    out.set("br_netfilter", { ok: text !== undefined, summary: `/proc/sys/net/bridge/bridge-nf-call-iptables ${text !== undefined ? "present" : "absent (module not loaded)"}`, evidence: { source: `read /proc/sys/net/bridge/bridge-nf-call-iptables [${host.name}]`, value: text?.trim() ?? "absent" } });
  }
  if (features.includes("overlayfs")) {
    const text = (await readHostFile(host, "/proc/filesystems", signal)) ?? "";
    const ok = /\toverlay$/m.test(text);
    out.set("overlayfs", { ok, summary: `/proc/filesystems ${ok ? "lists" : "does not list"} overlay`, evidence: { source: `read /proc/filesystems [${host.name}]`, value: ok ? "nodev\toverlay" : "no overlay line" } });
  }
  if (features.includes("ip_vs")) {
    // Built in, or a loaded module: the table exists. A module not yet loaded is judged by the config alone.
    const text = await readHostFile(host, "/proc/net/ip_vs", signal);
    if (text !== undefined) out.set("ip_vs", { ok: true, summary: "/proc/net/ip_vs present", evidence: { source: `read /proc/net/ip_vs [${host.name}]`, value: "present" } });
  }
  const needNs = features.some((f) => f === "veth" || f === "nf_nat" || f === "esp" || LINK_ARGS[f]);
  if (!needNs) return out;
  const ns = `${NAME_PREFIX}doctor-${newRunId()}`;
  const add = await exec(["ip", "netns", "add", ns]);
  if (add.exitCode !== 0) return out; // no privilege for namespaces: config-only verdicts
  liveProbeNamespaces.add(ns);
  try {
    const veth = await exec(["ip", "-n", ns, "link", "add", "nc0", "type", "veth", "peer", "name", "nc1"]);
    if (features.includes("veth")) out.set("veth", runtimeResult(veth, ["ip", "link", "add", "nc0", "type", "veth", "peer", "name", "nc1"]));
    for (const f of features) {
      const args = LINK_ARGS[f];
      if (!args) continue;
      if (args.includes("nc0") && veth.exitCode !== 0) continue; // no parent to hang it on
      out.set(f, runtimeResult(await exec(["ip", "-n", ns, "link", "add", ...args]), ["ip", "link", "add", ...args]));
    }
    if (features.includes("esp")) {
      // The SA an encrypted overlay installs (AES-GCM ESP), in the throwaway namespace only.
      const sa = ["ip", "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x1000", "reqid", "1", "mode", "transport", "aead", "rfc4106(gcm(aes))", "0x0102030405060708090a0b0c0d0e0f1011121314", "128"];
      out.set("esp", runtimeResult(await exec(["ip", "-n", ns, ...sa.slice(1)]), sa));
    }
    if (features.includes("nf_nat")) {
      const rule = ["iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "nc0", "-j", "MASQUERADE"];
      out.set("nf_nat", runtimeResult(await exec(["ip", "netns", "exec", ns, ...rule]), rule));
    }
  } finally {
    await host.exec(["ip", "netns", "del", ns], { signal: cleanupSignal(10_000) }).catch(() => undefined);
    liveProbeNamespaces.delete(ns);
  }
  return out;
}
