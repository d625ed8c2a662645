// The sharded search of a large provider site in Chromium, driven by tests/browser.rs.
// Usage: node search-large.mjs <public-dir> <handbook-path> <budget-bytes>
// Serves <public-dir> on 127.0.0.1, types each query letter by letter into the search box
// of a fresh page, checks the hits and counts the bytes the query loaded (every response
// after the page itself). Prints one line per check and exits non-zero on a failure.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";
import assert from "node:assert/strict";

const [publicDir, handbook, budgetText] = process.argv.slice(2);
const budget = Number(budgetText);
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(publicDir, path));
    res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { console.log(`not ok - ${name}\n  ${String(e.message).split("\n").join("\n  ")}`); failures.push(name); }
}

// Types `query` on a fresh page; waits for a hit named `expect` (or for any hit); returns
// the hits' texts and the bytes loaded after the page.
async function search(query, expect) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/${handbook}`);
  let bytes = 0;
  const counted = [];
  page.on("response", (r) => counted.push(r.body().then((b) => { bytes += b.length; }, () => {})));
  await page.locator("#search-input").pressSequentially(query);
  const hits = page.locator(".search-results li");
  if (expect) await page.locator(".search-results a", { hasText: expect }).first().waitFor({ timeout: 10000 });
  else await hits.first().waitFor({ timeout: 10000 });
  await page.waitForLoadState("networkidle");
  await Promise.all(counted);
  const texts = await hits.allTextContents();
  await context.close();
  assert.deepEqual(errors, [], "no errors in the page");
  assert.ok(bytes <= budget, `\`${query}\` loaded ${bytes} bytes, more than ${budget}`);
  console.log(`# \`${query}\`: ${texts.length} hits, ${bytes} bytes`);
  return texts;
}

try {
  await check("the last school of the list is found by a compound part", async () => {
    const hits = await search("verwaltung", "Schule für Schulverwaltung Schwäbisch Hall");
    assert.match(hits[0], /zz-verwaltung\.onmicrosoft\.com · V9999993/);
  });
  await check("an umlaut typed as ae/oe/ue or without dots finds it", async () => {
    await search("muelheim", "Goethe-Gymnasium Mülheim");
    await search("mulheim goethe", "Goethe-Gymnasium Mülheim");
    await search("schwaebisch", "Schule für Schulverwaltung Schwäbisch Hall");
  });
  await check("ss finds ß and ß finds ss", async () => {
    await search("hauptstrasse", "Grundschule an der Hauptstraße Gießen");
    await search("gießen", "Grundschule an der Hauptstraße Gießen");
  });
  await check("a school is found by its contract number", async () => {
    await search("V9999991", "Goethe-Gymnasium Mülheim");
  });
  await check("one letter shows a page of hits", async () => {
    const hits = await search("g");
    assert.equal(hits.length, 12);
  });
  await check("a word no school has shows no results", async () => {
    const hits = await search("xyzzyq");
    assert.equal(hits.length, 1);
    assert.equal(hits[0], "Keine Treffer.");
  });
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
