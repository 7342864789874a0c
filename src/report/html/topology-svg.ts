import { escapeMarkup as e } from "../escape.js";
import type { TopologyNetwork, TopologyNode, TopologySnapshot } from "../model.js";

/**
 * The lab as inline SVG: node boxes (grouped in a dashed frame per host) above,
 * one horizontal bus per network below, a drop line from each interface to its
 * network's bus; the external host / underlay sits at the right end of its bus.
 * Monospace text so widths can be computed without measuring.
 */
const CH = 7.2; // px per character at 12px monospace
const NODE_W = 230;
const GAP = 26;
const IF_H = 30;
const BUS_GAP = 44;
/** A background-coloured outline keeps labels readable where drop lines cross them. */
const HALO = `paint-order="stroke" stroke="#fbfcfd" stroke-width="4" stroke-linejoin="round"`;

export function topologySvg(t: TopologySnapshot): string {
  const ext = t.externalHost;
  const nodes = [...t.nodes].sort((a, b) => a.host.localeCompare(b.host));
  const hosts = [...new Set(nodes.map((n) => n.host))];
  const nodeH = (n: TopologyNode) => 42 + Math.max(1, n.interfaces.length) * IF_H;
  const boxTop = 36;
  const maxNodeH = Math.max(60, ...nodes.map(nodeH));
  // x positions, with an extra gap between hosts for the frames
  const xs: number[] = [];
  let x = 24;
  nodes.forEach((n, i) => {
    if (i > 0 && nodes[i - 1]?.host !== n.host) x += 20;
    xs.push(x);
    x += NODE_W + GAP;
  });
  const extW = ext ? 250 : 0;
  const extX = Math.max(x, 24);
  const nets: TopologyNetwork[] = [...t.networks];
  const busY0 = boxTop + maxNodeH + 56;
  const busY = (i: number) => busY0 + i * BUS_GAP;
  const extBus = ext ? nets.length : -1;
  const busCount = nets.length + (ext && !nets.some((n) => n.parent === ext.link) ? 1 : 0);
  const width = Math.max(extX + extW + 20, 640);
  const height = busY0 + Math.max(0, busCount - 1) * BUS_GAP + 20;
  const out: string[] = [];

  // host frames
  for (const h of hosts) {
    const idx = nodes.map((n, i) => (n.host === h ? i : -1)).filter((i) => i >= 0);
    const fx = (xs[idx[0] ?? 0] ?? 24) - 12;
    const fw = (xs[idx[idx.length - 1] ?? 0] ?? 24) + NODE_W + 12 - fx;
    const info = t.hosts.find((x) => x.name === h);
    const label = `host ${h}${info ? ` (${info.kind}${info.address ? ` ${info.address}` : ""})` : ""}`;
    out.push(`<rect x="${fx}" y="8" width="${fw}" height="${boxTop + maxNodeH + 14 - 8}" rx="8" fill="none" stroke="#8c959f" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${fx + 10}" y="26" class="muted">${e(clip(label, Math.floor(fw / CH) - 2))}</text>`);
  }

  // network buses
  const netIndex = new Map(nets.map((n, i) => [n.name, i]));
  nets.forEach((n, i) => {
    const y = busY(i);
    out.push(`<line x1="12" y1="${y}" x2="${width - 12}" y2="${y}" stroke="${busColor(n.driver)}" stroke-width="4" stroke-linecap="round"/>`);
    const desc = [n.name, n.driver, n.subnet, n.gateway ? `gw ${n.gateway}` : "", n.parent ? `parent ${n.parent}` : "", n.internal ? "internal" : ""].filter(Boolean).join("  ·  ");
    out.push(`<text x="16" y="${y - 8}" font-weight="600" ${HALO}>${e(clip(desc, Math.floor((width - 40) / CH)))}</text>`);
  });

  // nodes and their drops
  nodes.forEach((n, i) => {
    const nx = xs[i] ?? 0;
    const h = nodeH(n);
    out.push(`<rect x="${nx}" y="${boxTop}" width="${NODE_W}" height="${h}" rx="6" fill="#fff" stroke="#0969da" stroke-width="1.5"/>`);
    out.push(`<text x="${nx + 10}" y="${boxTop + 18}" font-weight="700">${e(clip(n.name, 28))}</text>`);
    out.push(`<text x="${nx + 10}" y="${boxTop + 33}" class="muted">${e(clip(`${n.networkMode}${n.container ? ` · ${n.container}` : ""}`, 28))}</text>`);
    n.interfaces.forEach((f, k) => {
      const y = boxTop + 42 + k * IF_H;
      out.push(`<text x="${nx + 10}" y="${y + 12}"><tspan font-weight="600">${e(f.name)}</tspan>${e(clip(` ${f.ipv4 ?? f.ipv6 ?? ""}`, 27 - f.name.length))}</text>`);
      const second = [f.mac, f.kind, f.ipv4 ? f.ipv6 : undefined].filter(Boolean).join(" · ");
      if (second) out.push(`<text x="${nx + 10}" y="${y + 25}" class="muted">${e(clip(second, 28))}</text>`);
      const bus = f.network === undefined ? undefined : netIndex.get(f.network);
      if (bus === undefined) return;
      const dx = nx + NODE_W - 16 - k * 12;
      out.push(`<line x1="${dx}" y1="${boxTop + h}" x2="${dx}" y2="${busY(bus)}" stroke="${busColor(nets[bus]?.driver ?? "")}" stroke-width="2"/><circle cx="${dx}" cy="${busY(bus)}" r="4.5" fill="${busColor(nets[bus]?.driver ?? "")}"><title>${e(`${n.name} ${f.name} ${f.ipv4 ?? ""} on ${f.network}`)}</title></circle>`);
    });
    if (n.interfaces.length === 0) out.push(`<text x="${nx + 10}" y="${boxTop + 56}" class="muted">no interfaces</text>`);
  });

  if (ext) {
    // The external host hangs off the network whose parent is its link (macvlan underlay), or its own veth bus.
    const shared = nets.findIndex((n) => n.parent === ext.link);
    const bus = shared >= 0 ? shared : extBus;
    const y = busY(bus);
    if (shared < 0) {
      out.push(`<line x1="12" y1="${y}" x2="${width - 12}" y2="${y}" stroke="#8250df" stroke-width="4" stroke-dasharray="8 5"/>`);
      out.push(`<text x="16" y="${y - 8}" font-weight="600" ${HALO}>${e(clip(`underlay ${ext.link} · ${ext.subnet} · host side ${ext.hostSideAddress}`, Math.floor((width - 40) / CH)))}</text>`);
    }
    const bx = extX;
    const by = boxTop;
    out.push(`<rect x="${bx}" y="${by}" width="${extW - 20}" height="66" rx="6" fill="#fbefff" stroke="#8250df" stroke-width="1.5"/>`);
    out.push(`<text x="${bx + 10}" y="${by + 18}" font-weight="700">external host</text>`);
    out.push(`<text x="${bx + 10}" y="${by + 35}">${e(ext.address)}</text>`);
    out.push(`<text x="${bx + 10}" y="${by + 52}" class="muted">${e(clip(`netns ${ext.namespace}`, 30))}</text>`);
    const dx = bx + (extW - 20) / 2;
    out.push(`<line x1="${dx}" y1="${by + 66}" x2="${dx}" y2="${y}" stroke="#8250df" stroke-width="2"/><circle cx="${dx}" cy="${y}" r="4.5" fill="#8250df"/>`);
  }
  if (nodes.length === 0 && !ext) out.push(`<text x="24" y="60" class="muted">no nodes recorded</text>`);

  return `<svg class="topology" role="img" aria-label="topology" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="12">${out.join("")}</svg>`;
}

function busColor(driver: string): string {
  return { bridge: "#1f883d", macvlan: "#bf3989", ipvlan: "#bc4c00", overlay: "#0550ae", host: "#57606a", none: "#8c959f" }[driver] ?? "#57606a";
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}
