/**
 * Global setup shared by the unit and integration projects: the host tools the
 * tests themselves use (tcpdump and pcap-parser cross-checks, xmllint for the
 * JUnit schema, Debian's chromium for the HTML report) are installed the same
 * way `netcheck setup` installs its own, so `npm test` needs nothing done by
 * hand on a fresh machine. Never a downloaded browser.
 */
import { LocalHost } from "../src/host/local-host.js";
import { aptInstall, findMissing, TOOL_REQUIREMENTS, type Requirement } from "../src/setup/packages.js";

const TEST_TOOLS: Requirement[] = [
  ...TOOL_REQUIREMENTS,
  { package: "libxml2-utils", binary: "xmllint" },
  { package: "chromium", binary: "chromium" },
  // The doctor's docker-in-docker targets carry these host binaries (field faults: stale conntrack entries,
  // VXLAN offloads, nft rulesets), and its ssh target's sshd links libwrap.
  { package: "conntrack", binary: "conntrack" },
  { package: "ethtool", binary: "ethtool" },
  { package: "nftables", binary: "nft" },
  { package: "libwrap0", binary: "libwrap.so.0" },
];

let once: Promise<void> | undefined;

export default function setup(): Promise<void> {
  once ??= ensureTestTools();
  return once;
}

async function ensureTestTools(): Promise<void> {
  const host = new LocalHost();
  const osRelease = (await host.readFile("/etc/os-release")) ?? "";
  const debianLike = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease);
  const missing = await findMissing(host, TEST_TOOLS, debianLike);
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  if (!root || !debianLike || process.env.NETCHECK_SETUP_NO_INSTALL === "1") {
    throw new Error(`The tests need these Debian packages: ${missing.join(" ")}.\nInstall them: sudo apt-get install -y ${missing.join(" ")}`);
  }
  process.stderr.write(`netcheck test setup: apt-get install -y ${missing.join(" ")}\n`);
  await aptInstall(host, missing, { log: (l) => process.stderr.write(`netcheck test setup: ${l}\n`), signal: AbortSignal.timeout(1_200_000) });
}
