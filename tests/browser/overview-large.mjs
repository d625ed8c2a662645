// The overview of a large generated project in Chromium, opened from disk (file://, where
// `fetch` does not work), driven by tests/browser.rs.
// Usage: node overview-large.mjs <file:// URL of index.html> <schools> <slug of the last school>
//        <a word of its name> <slug of the school with the earliest next activation>
// Checks: the bytes the page loads before any interaction (≤ 1 MB, and no data chunk yet);
// filtering by a name finds a school from the last chunk; sorting by next activation puts
// the earliest first; the totals on the page are the sums over every school in the chunks
// and the number of matches is every school. Prints one line per check, exits non-zero if
// any failed.
import { chromium } from "playwright-core";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import assert from "node:assert/strict";

const [index, schoolsArg, lastSlug, lastWord, earliestSlug] = process.argv.slice(2);
const schools = Number(schoolsArg);
const FIRST_LOAD_LIMIT = 1_000_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { console.log(`not ok - ${name}\n  ${String(e.message).split("\n").join("\n  ")}`); failures.push(name); }
}

/** The bytes of a file the page loaded (from disk, so its size on disk). */
function bytes(url) {
  return url.startsWith("file:") ? statSync(fileURLToPath(url)).size : 0;
}

/** Every school of the chunks the page names, read as the page reads them. */
function chunkRows(prefix, chunks) {
  const rows = [];
  const context = vm.createContext({ handbuchOverview: (k, data) => rows.push(...data.rows) });
  for (let k = 1; k <= chunks; k++) {
    vm.runInContext(readFileSync(fileURLToPath(new URL(`${prefix}${k}.js`, index)), "utf8"), context);
  }
  return rows;
}

try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const loaded = [];
  page.on("request", (r) => loaded.push(r.url()));
  await page.goto(index, { waitUntil: "load" });
  const firstLoad = loaded.slice();
  const table = page.locator("table.schools");
  const chunks = Number(await table.getAttribute("data-chunks"));
  const prefix = await table.getAttribute("data-prefix");

  await check("the first load stays under 1 MB and loads no data chunk", async () => {
    const total = firstLoad.reduce((sum, url) => sum + bytes(url), 0);
    console.log(`# first load: ${firstLoad.length} files, ${total} bytes at ${schools} schools`);
    assert.ok(total <= FIRST_LOAD_LIMIT, `${total} bytes`);
    assert.deepEqual(firstLoad.filter((u) => u.includes("/overview/data-")), []);
    assert.equal(await page.locator("table.schools tbody tr").count(), 200);
  });

  await check("filtering by a name finds a school from the last chunk", async () => {
    await page.locator("#school-filter").fill(lastWord);
    await page.locator(`#school-${lastSlug}`).waitFor({ timeout: 15000 });
    assert.equal(await page.locator("table.schools tbody tr").count(), 1);
    assert.ok(loaded.some((u) => u.endsWith(`/overview/data-${chunks}.js`)), "the last chunk was loaded");
    assert.equal(await page.locator(".overview-status").textContent(), "Passende Schulen: 1");
    const link = await page.locator(`#school-${lastSlug} td a`).first().getAttribute("href");
    assert.equal(link, `de/${lastSlug}/`);
  });

  await check("sorting by next activation puts the earliest first, over all schools", async () => {
    await page.locator("#school-filter").fill("");
    await page.locator("th button.sort", { hasText: "Nächste Aktivierung" }).click();
    const first = await page.locator("table.schools tbody tr").first().getAttribute("id");
    assert.equal(first, `school-${earliestSlug}`);
    assert.equal(await page.locator("table.schools tbody tr").count(), 200, "a page of rows at a time");
    await page.locator("button.more-rows").click();
    assert.equal(await page.locator("table.schools tbody tr").count(), 400);
  });

  await check("the totals are the sums over every school, and every school matches", async () => {
    const rows = chunkRows(prefix, chunks);
    assert.equal(rows.length, schools);
    const totals = page.locator("p.totals");
    const sum = (i) => rows.reduce((n, r) => n + r[6][i], 0);
    assert.equal(Number(await totals.getAttribute("data-schools")), schools);
    assert.equal(Number(await totals.getAttribute("data-dangers")), sum(0));
    assert.equal(Number(await totals.getAttribute("data-warnings")), sum(1));
    assert.equal(Number(await totals.getAttribute("data-notes")), sum(2));
    assert.equal(await page.locator(".overview-status").textContent(), `Passende Schulen: ${schools}`);
  });

  await check("no console errors and no request outside the site's folder", async () => {
    assert.deepEqual(errors, []);
    const root = new URL(".", index).href;
    assert.deepEqual(loaded.filter((u) => !u.startsWith(root)), []);
  });
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
