import { DeclarationError } from "../util/errors.js";
import { checkCidr, checkIpv4, checkOneOf, checkPort, checkRecord, checkStrings, knownKeys } from "./declaration-checks.js";
import type { NetworkOptions, NodeOptions } from "./topology.js";

/**
 * Every option a node or network can declare is either honoured at bring-up or
 * rejected here, when the scenario is defined (issue 11: `publish.hostIp` used
 * to be dropped silently, an out-of-range port accepted).
 */
export const NODE_OPTION_KEYS = ["network", "alsoOn", "ipv4", "publish", "serve", "command", "env", "capAdd", "capDrop", "sysctls", "extraHosts", "links", "expose", "dnsOptions", "dnsSearch", "host"] as const;
export const NETWORK_OPTION_KEYS = ["driver", "subnet", "gateway", "internal", "ipv6", "options", "parent", "host", "moreSubnets"] as const;
const PUBLISH_KEYS = ["host", "container", "protocol", "hostIp"] as const;
const SERVE_KEYS = ["kind", "port"] as const;
const DRIVERS = ["bridge", "macvlan", "ipvlan", "overlay"] as const;

/** Driver options Docker 20.10 reads, per driver; netcheck names the bridge itself (its cleanup finds it by that name). */
export const DRIVER_OPTIONS: Record<(typeof DRIVERS)[number], readonly string[]> = {
  bridge: [
    "com.docker.network.bridge.enable_icc",
    "com.docker.network.bridge.enable_ip_masquerade",
    "com.docker.network.bridge.host_binding_ipv4",
    "com.docker.network.driver.mtu",
    "com.docker.network.container_iface_prefix",
  ],
  macvlan: ["parent", "macvlan_mode", "com.docker.network.driver.mtu"],
  ipvlan: ["parent", "ipvlan_mode", "ipvlan_flag", "com.docker.network.driver.mtu"],
  overlay: ["com.docker.network.driver.overlay.vxlanid_list", "encrypted", "com.docker.network.driver.mtu"],
};

export const CAPABILITIES = [
  "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH",
  "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN",
  "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT",
  "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM", "ALL",
] as const;

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}))*$/;
// Namespaced sysctls only: Docker refuses the rest (and net.* needs the node's own network namespace).
const SYSCTL = /^(net\.[a-z0-9_.-]+|kernel\.(msgmax|msgmnb|msgmni|sem|shmall|shmmax|shmmni|shm_rmid_forced)|fs\.mqueue\.[a-z_]+)$/;

export function validateNodeOptions(name: string, o: NodeOptions): void {
  const at = `lab.node("${name}")`;
  checkRecord(`${at} options`, o);
  knownKeys(at, o, NODE_OPTION_KEYS, "node");
  if (o.ipv4 !== undefined) checkIpv4(`${at}.ipv4`, o.ipv4);
  if (typeof o.network === "string") checkOneOf(`${at}.network`, o.network, ["bridge", "host", "none"]);
  (o.publish ?? []).forEach((p, i) => {
    const f = `${at}.publish[${i}]`;
    knownKeys(f, checkRecord(f, p), PUBLISH_KEYS, "publish");
    checkPort(`${f}.container`, p.container);
    checkPort(`${f}.host`, p.host, { auto: true });
    if (p.protocol !== undefined) checkOneOf(`${f}.protocol`, p.protocol, ["tcp", "udp"]);
    if (p.hostIp !== undefined) checkIpv4(`${f}.hostIp`, p.hostIp);
    const twin = (o.publish ?? []).findIndex((q) => q.container === p.container);
    if (twin !== i) throw new DeclarationError(`${f}.container`, `container port ${p.container} is published twice (also publish[${twin}])`, "Publish each container port once; checks find it by container port (c.published(node, port)).");
  });
  if (o.publish?.length && (o.network === "host" || o.network === "none" || (typeof o.network === "object" && o.network.kind === "node"))) {
    throw new DeclarationError(`${at}.publish`, `a node on network ${typeof o.network === "string" ? o.network : `container:${o.network.name}`} cannot publish ports`, "Docker ignores published ports outside its own networks: drop publish, or put the node on a bridge network.");
  }
  (o.serve ?? []).forEach((s, i) => {
    const f = `${at}.serve[${i}]`;
    knownKeys(f, checkRecord(f, s), SERVE_KEYS, "serve");
    checkOneOf(`${f}.kind`, s.kind, ["http", "tcp", "udp"]);
    checkPort(`${f}.port`, s.port);
    if (!o.command && s.kind !== "http") {
      throw new DeclarationError(`${f}.kind`, `a ${s.kind} service needs a command that listens on it`, `Add command (e.g. ["sh", "-c", "nc -ll -p ${s.port} -e cat"]) or serve { kind: "http", port }.`);
    }
    if (o.command && s.kind === "http") {
      throw new DeclarationError(`${f}.kind`, "an HTTP identity server is what a node runs by default; with `command` the node runs yours instead", 'Declare what your command listens on as { kind: "tcp" | "udp", port }, or drop `command`.');
    }
  });
  if (o.command !== undefined) {
    checkStrings(`${at}.command`, o.command, /^[\s\S]+$/, '["sh", "-c", "nc -ll -p 9000 -e cat"]');
    if (o.command.length === 0) throw new DeclarationError(`${at}.command`, "is empty", "Give the argv your node runs, e.g. [\"sh\", \"-c\", \"...\"], or drop it for the default HTTP server.");
  }
  if (o.env !== undefined) for (const [k, v] of Object.entries(checkRecord(`${at}.env`, o.env))) if (typeof v !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new DeclarationError(`${at}.env.${k}`, "must be NAME: \"string value\"", 'Write e.g. { LOG_LEVEL: "debug" }.');
  for (const key of ["capAdd", "capDrop"] as const) {
    const caps = o[key];
    if (caps === undefined) continue;
    checkStrings(`${at}.${key}`, caps, /./, '["NET_ADMIN"]');
    caps.forEach((c, i) => checkOneOf(`${at}.${key}[${i}]`, c.replace(/^CAP_/, "").toUpperCase(), CAPABILITIES));
  }
  if (o.sysctls !== undefined) {
    for (const [k, v] of Object.entries(checkRecord(`${at}.sysctls`, o.sysctls))) {
      if (!SYSCTL.test(k)) throw new DeclarationError(`${at}.sysctls["${k}"]`, "is not a namespaced sysctl Docker can set per container", 'Use a net.* key (e.g. "net.ipv4.ip_forward"), or kernel.msg*/sem/shm*, fs.mqueue.*.');
      if (typeof v !== "string" && typeof v !== "number") throw new DeclarationError(`${at}.sysctls["${k}"]`, `value ${JSON.stringify(v)} is not a string or number`, 'Write e.g. { "net.ipv4.ip_forward": "1" }.');
    }
    if (o.network === "host") throw new DeclarationError(`${at}.sysctls`, "a node in the host's network namespace cannot set net.* sysctls", "Docker refuses them with --network host: drop sysctls or use another network.");
  }
  if (o.extraHosts !== undefined) {
    for (const [host, address] of Object.entries(checkRecord(`${at}.extraHosts`, o.extraHosts))) {
      if (!HOSTNAME.test(host)) throw new DeclarationError(`${at}.extraHosts["${host}"]`, "is not a host name", 'Write e.g. { "host.docker.internal": "host-gateway" }.');
      if (address !== "host-gateway") checkIpv4(`${at}.extraHosts["${host}"]`, address);
    }
  }
  validateLinks(at, o);
  if (o.dnsOptions !== undefined) checkStrings(`${at}.dnsOptions`, o.dnsOptions, /^[a-z][a-z0-9-]*(:\d+)?$/, '["ndots:2", "timeout:1", "attempts:1"]');
  if (o.dnsSearch !== undefined) checkStrings(`${at}.dnsSearch`, o.dnsSearch, HOSTNAME, '["svc.netcheck.test"]');
  (o.alsoOn ?? []).forEach((x, i) => {
    if ("kind" in x) return;
    knownKeys(`${at}.alsoOn[${i}]`, x, ["network", "ipv4"], "alsoOn");
    if (x.ipv4 !== undefined) checkIpv4(`${at}.alsoOn[${i}].ipv4`, x.ipv4);
  });
}

function validateLinks(at: string, o: NodeOptions): void {
  (o.expose ?? []).forEach((p, i) => checkPort(`${at}.expose[${i}]`, p));
  if (o.links === undefined) return;
  if (!Array.isArray(o.links)) throw new DeclarationError(`${at}.links`, "must be a list of nodes or { node, alias }", 'Write e.g. links: [{ node: db, alias: "database" }].');
  if (o.links.length > 0 && o.network !== undefined && o.network !== "bridge") {
    throw new DeclarationError(`${at}.links`, "legacy links exist only on the default bridge", "Drop network (or set it to \"bridge\"), or use a user-defined network, whose embedded DNS resolves names without links.");
  }
  o.links.forEach((l, i) => {
    const f = `${at}.links[${i}]`;
    if ("kind" in l) return;
    knownKeys(f, checkRecord(f, l), ["node", "alias"], "link");
    if (!HOSTNAME.test(l.alias)) throw new DeclarationError(`${f}.alias`, `"${l.alias}" is not a host name`, 'Write e.g. { node: db, alias: "database" }.');
  });
}

export function validateNetworkOptions(name: string, o: NetworkOptions): void {
  const at = `lab.network("${name}")`;
  knownKeys(at, checkRecord(`${at} options`, o), NETWORK_OPTION_KEYS, "network");
  const driver = o.driver ?? "bridge";
  checkOneOf(`${at}.driver`, driver, DRIVERS);
  if (o.subnet !== undefined && o.subnet !== "auto") checkCidr(`${at}.subnet`, o.subnet);
  if (o.gateway !== undefined) checkIpv4(`${at}.gateway`, o.gateway);
  if (o.ipv6 !== undefined && o.ipv6 !== true && o.ipv6 !== false) throw new DeclarationError(`${at}.ipv6`, "must be true or false", "Write ipv6: true: the network gets a /64 of the lab's own IPv6 range (guarded; a literal v6 subnet is not taken).");
  if (o.ipv6 && driver !== "bridge") throw new DeclarationError(`${at}.ipv6`, `IPv6 is supported on bridge networks only so far, not ${driver}`, "Drop ipv6, or use a bridge network.");
  if (o.internal !== undefined && typeof o.internal !== "boolean") throw new DeclarationError(`${at}.internal`, "must be true or false", "Write internal: true for a network with no way out.");
  if (o.options !== undefined) {
    const opts = checkRecord(`${at}.options`, o.options);
    if ("com.docker.network.bridge.name" in opts) throw new DeclarationError(`${at}.options["com.docker.network.bridge.name"]`, "netcheck names each lab bridge itself (its cleanup and concurrent runs rely on the name)", "Drop this option.");
    knownKeys(`${at}.options`, opts, DRIVER_OPTIONS[driver as (typeof DRIVERS)[number]], `${driver} driver`);
    for (const [k, v] of Object.entries(opts)) if (typeof v !== "string") throw new DeclarationError(`${at}.options["${k}"]`, `value ${JSON.stringify(v)} is not a string`, "Driver options are strings, as with `docker network create -o key=value`.");
  }
  if (o.parent !== undefined && driver !== "macvlan" && driver !== "ipvlan") throw new DeclarationError(`${at}.parent`, `the ${driver} driver has no parent link`, 'Set driver: "macvlan" or "ipvlan", or drop parent.');
}

export const EXTERNAL_HOST_OPTION_KEYS = ["sameLan", "listen"] as const;

export function validateExternalHostOptions(o: { sameLan?: boolean; listen?: number[] }): void {
  const at = "lab.externalHost()";
  knownKeys(at, checkRecord(`${at} options`, o), EXTERNAL_HOST_OPTION_KEYS, "external host");
  if (o.sameLan !== undefined && typeof o.sameLan !== "boolean") throw new DeclarationError(`${at}.sameLan`, `must be true or false, not ${JSON.stringify(o.sameLan)}`, "Write { sameLan: true } for a host on the same LAN.");
  if (o.listen !== undefined && !Array.isArray(o.listen)) throw new DeclarationError(`${at}.listen`, "must be a list of TCP ports", "Write e.g. { listen: [8080] }.");
  (o.listen ?? []).forEach((p, i) => checkPort(`${at}.listen[${i}]`, p));
}
