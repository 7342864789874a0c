import { flagValue, parsePs, processesNamed } from "../parse/ps.js";
import { isLoopbackAddress, parseNameservers } from "../parse/resolv-conf.js";
import { LABEL_RUN } from "../../util/labels.js";
import type { DoctorCheck, Finding } from "../types.js";

/** Docker's embedded resolver on user-defined networks; reachable from inside the container by design. */
const EMBEDDED_DNS = "127.0.0.11";

/** A loopback stub resolver on the host that containers inherit but cannot reach. Reads files only: no DNS query is sent. */
export const dnsCheck: DoctorCheck = {
  id: "dns",
  area: "dns",
  title: "DNS configuration containers inherit",
  async run(ctx) {
    const area = "dns" as const;
    const out: Finding[] = [];
    const resolv = await ctx.facts.readFile("/etc/resolv.conf");
    const servers = parseNameservers(resolv ?? "");
    const daemonJson = await ctx.facts.readFile("/etc/docker/daemon.json");
    let jsonDns: string[] = [];
    try {
      jsonDns = daemonJson ? (((JSON.parse(daemonJson) as Record<string, unknown>).dns as string[] | undefined) ?? []) : [];
    } catch {
      jsonDns = [];
    }
    const dockerd = processesNamed(parsePs((await ctx.facts.stdout(["ps", "-eo", "pid,args"])) ?? ""), "dockerd")[0];
    const flagDns = dockerd ? flagValue(dockerd.args, "--dns") : undefined;
    const daemonDns = [...jsonDns, ...(flagDns ? [flagDns] : [])];
    const loopbackOnly = servers.length > 0 && servers.every(isLoopbackAddress);
    const stub = loopbackOnly && daemonDns.length === 0;
    out.push({
      id: "dns/host-stub",
      area,
      status: stub ? "warn" : resolv === undefined ? "skip" : "ok",
      title: stub
        ? `host /etc/resolv.conf points at a loopback stub (${servers.join(", ")}) that containers cannot reach: Docker drops it and falls back to 8.8.8.8/8.8.4.4`
        : daemonDns.length ? `engine sets DNS explicitly: ${daemonDns.join(", ")}` : `host nameservers: ${servers.join(", ") || "(none)"}`,
      evidence: [
        ctx.facts.fileEvidence("/etc/resolv.conf", resolv === undefined ? "unreadable" : servers.map((s) => `nameserver ${s}`).join("\n") || "(no nameserver lines)"),
        { source: `read /etc/docker/daemon.json, dockerd --dns [${ctx.host.name}]`, value: daemonDns.join(", ") || "(not set)" },
      ],
      fix: stub
        ? 'set `"dns": ["<your upstream resolver>"]` in /etc/docker/daemon.json and restart dockerd, or point /etc/resolv.conf at the real upstream list (systemd-resolved: `ln -sf /run/systemd/resolve/resolv.conf /etc/resolv.conf`)'
        : undefined,
    });
    const snap = await ctx.facts.engineSnapshot();
    if (!snap || !ctx.engine) return out;
    // A netcheck lab container's resolver is lab-local by design (the lab refuses any other): ours, not a fault.
    const lab = snap.containers.filter((c) => c.State === "running" && c.Labels?.[LABEL_RUN]);
    const running = snap.containers.filter((c) => c.State === "running" && c.HostConfig?.NetworkMode !== "host" && !c.Labels?.[LABEL_RUN]).slice(0, 20);
    const bad: string[] = [];
    const seen: string[] = [];
    await Promise.all(
      running.map(async (c) => {
        // A container listed a moment ago may be gone now (a lab tearing down): nothing to check.
        const info = await ctx.engine!.inspectContainer(c.Id).catch(() => undefined);
        if (!info) return;
        const text = info.ResolvConfPath ? await ctx.facts.readFile(info.ResolvConfPath) : undefined;
        if (text === undefined) return;
        const ns = parseNameservers(text);
        const name = info.Name.replace(/^\//, "");
        seen.push(`${name}: ${ns.join(", ") || "(none)"}`);
        if (ns.some((s) => isLoopbackAddress(s) && s !== EMBEDDED_DNS)) bad.push(`${name} (${ns.join(", ")})`);
      }),
    );
    out.push({
      id: "dns/container-resolv",
      area,
      status: bad.length ? "fail" : "ok",
      title: bad.length
        ? `containers whose resolv.conf names a loopback resolver they cannot reach: ${bad.join(", ")}`
        : `${seen.length} running container(s) checked: no unreachable loopback resolver${lab.length ? ` (${lab.length} netcheck lab container(s) not counted: their resolver is the lab's)` : ""}`,
      evidence: [{ source: "GET /containers/{id}/json → ResolvConfPath, read", value: seen.join("\n") || "(no running containers)" }],
      fix: bad.length ? "recreate those containers with `--dns <reachable resolver>` (or set `dns` in daemon.json); a bind-mounted /etc/resolv.conf from the host copies the stub in" : undefined,
    });
    return out;
  },
};
