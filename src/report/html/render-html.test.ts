import { describe, expect, it } from "vitest";
import { generateRun } from "../../../test/fixtures/results/generate-run.js";
import { realisticRun } from "../../../test/fixtures/results/load-fixture.js";
import { diffRuns } from "../diff.js";
import { renderHtml } from "./render-html.js";

describe("renderHtml", () => {
  const html = renderHtml(realisticRun());

  it("is self-contained: no external scripts, styles, fonts, images or fetches", () => {
    expect(html).not.toMatch(/<(script|img|iframe|link)[^>]+(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'`);
    // the only absolute URLs in attributes are SVG namespaces (command text may mention URLs: that is content)
    const urls = [...html.matchAll(/\s[\w:-]+="(\w+:\/\/[^"]*)"/g)].map((m) => m[1]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
  });

  it("escapes hostile command output", () => {
    expect(html).not.toContain("<script>alert(");
    expect(html).toContain("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;");
    expect(html).not.toContain("\u001b");
    expect((html.match(/<script>/g) ?? []).length).toBe(1);
  });

  it("has the matrix with every mode and category, cells linking to checks with reasons on hover", () => {
    for (const m of ["bridge", "host", "none", "macvlan", "ipvlan"]) expect(html).toContain(`<td><b>${m}</b></td>`);
    const nat = /<td class="cell fail" data-status="fail"><a href="#(c\d+-\d+)" title="([^"]*)">1 ✗ 1 ✓<\/a>/.exec(html);
    expect(nat?.[2]).toContain("hairpin-via-host-port: connection timed out");
    expect(html).toContain(`id="${nat?.[1]}"`);
  });

  it("puts failures first and shows topology, NAT tuples, pcap links, charts and environment", () => {
    const order = [...html.matchAll(/<section class="scenario (\w+)"/g)].map((m) => m[1]);
    expect(order.slice(0, 2)).toEqual(["fail", "fail"]);
    expect(order.at(-1)).toBe("skip");
    expect(html).toContain(`<svg class="topology"`);
    expect(html).toContain("02:42:ac:1e:00:02");
    expect(html).toContain("external host");
    expect(html).toMatch(/<b>after<\/b> · server eth0 · 6 packets · <a href="pcaps\/published-port-dnat-server.pcap">pcap<\/a>/);
    expect(html).toContain(`<span class="changed">172.30.0.2</span>`);
    expect(html).toContain("38.5 Gbit/s · 98% of host");
    expect(html).toMatch(/aria-label="tcp connect distribution"/);
    expect(html).toContain("Docker 20.10.24 (API 1.41)");
    expect(html).toContain("netcheck run --mode bridge,host,none,macvlan,ipvlan --repeat 3 --html");
  });

  it("shows the changes when given a diff", () => {
    const b = realisticRun();
    b.scenarios[5]!.checks[0]!.status = "fail";
    const withDiff = renderHtml(b, { diff: diffRuns(realisticRun(), b) });
    expect(withDiff).toContain("Changes since run k3f9a");
    expect(withDiff).toMatch(/New failures \(1\)<\/h3><ul class="fail"><li><code>none\/loopback-only\/only-lo<\/code> pass → fail/);
  });

  it("a 10-scenario run renders without heavy work (a loose bound: catches quadratic blow-ups, not a slow machine) and stays under 2 MB", () => {
    const run = generateRun(10);
    const t0 = performance.now();
    const big = renderHtml(run);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(Buffer.byteLength(big)).toBeLessThan(2 * 1024 * 1024);
    expect((big.match(/<article class="check/g) ?? []).length).toBe(run.totals.checks);
  });
});
