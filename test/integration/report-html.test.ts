/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core,
 * opened from file://. Checks it renders, the matrix and filter work, nothing
 * errors and NOTHING is fetched. Needs /usr/bin/chromium (apt-get install -y
 * chromium); without it this test fails rather than skips.
 */
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeRunReport } from "../../src/report/writer.js";
import { generateRun } from "../fixtures/results/generate-run.js";
import { realisticRun } from "../fixtures/results/load-fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser;
const base = join(mkdtempSync(join(tmpdir(), "netcheck-report-html-")), "reports");

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the HTML report test needs Debian's chromium. Run: apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a report and records every request, console error and page error. */
async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, requests, errors };
}

describe("HTML report in chromium", () => {
  it("renders the realistic run: matrix, topology, evidence, matrix links, filter; no requests, no errors", async () => {
    const { dir } = await writeRunReport(realisticRun(), { baseDir: base });
    const file = join(dir, "index.html");
    const { page, requests, errors } = await open(file);

    await expect(page.locator("table.matrix").isVisible()).resolves.toBe(true);
    expect(await page.locator("table.matrix tbody tr").count()).toBe(5);
    await expect(page.locator("svg.topology").first().isVisible()).resolves.toBe(true);
    const failing = page.locator("article.check.fail").first();
    await expect(failing.locator(".cmdline").first().isVisible()).resolves.toBe(true);
    expect(await failing.locator(".cmdline").first().textContent()).toContain("busybox nc -w 3 10.200.0.1 18080");
    expect(await failing.locator(".nat .side").count()).toBe(2);

    // a passing check starts collapsed; its matrix cell opens and scrolls to it
    const cell = page.locator("table.matrix tr", { hasText: "none" }).locator("td.cell.pass a").last();
    const target = (await cell.getAttribute("href"))!.slice(1);
    await expect(page.locator(`#${target} .evidence`).isVisible()).resolves.toBe(false);
    await cell.click();
    await expect(page.locator(`#${target} .evidence`).isVisible()).resolves.toBe(true);
    expect(await page.locator(`#${target}`).evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(300);

    // text filter narrows to one check; status toggle hides passes
    await page.fill("#filter-text", "hairpin");
    expect(await page.locator("article.check:visible").count()).toBe(1);
    await page.click("#filter-reset");
    await page.click('button[data-toggle="pass"]');
    const visible = await page.locator("article.check:visible").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible).not.toContain("pass");
    await page.fill("#filter-text", "no such check anywhere");
    await expect(page.locator("#no-match").isVisible()).resolves.toBe(true);
    await page.click("#filter-reset");

    await page.screenshot({ path: join(dir, "report.png"), fullPage: false });
    expect(statSync(join(dir, "report.png")).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it("a 10-scenario report is under 2 MB, fetches nothing and loads without heavy work", async () => {
    const { dir } = await writeRunReport(generateRun(10), { baseDir: base });
    const file = join(dir, "index.html");
    expect(statSync(file).size).toBeLessThan(2 * 1024 * 1024);
    const t0 = Date.now();
    const { page, requests, errors } = await open(file);
    const wall = Date.now() - t0;
    // A string, because the DOM types are not in this project's lib.
    const loadMs = Number(await page.evaluate(`performance.getEntriesByType("navigation")[0].loadEventEnd`));
    // Loose bounds: they catch a report that fetches or computes for seconds, not a slow machine.
    expect(loadMs).toBeLessThan(5000);
    expect(wall).toBeLessThan(10_000);
    expect(await page.locator("section.scenario").count()).toBe(10);
    await page.screenshot({ path: join(dir, "report.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});
