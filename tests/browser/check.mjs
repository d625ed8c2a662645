// Browser checks of the help site, driven by tests/browser.rs against `handbuch serve`.
// Usage: node check.mjs <base-url> <screenshot.png>
// Prints one line per check and exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, screenshot] = process.argv.slice(2);
const school = "gymnasium-am-stadtpark";
const handbook = `${base}/de/${school}/`;

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

try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors = [];
  const external = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });

  await check("a ticked box survives a reload, progress is shown", async () => {
    await page.goto(handbook);
    const box = page.locator("#check-bestellbestaetigung-1");
    await box.check();
    await page.reload();
    assert.equal(await page.locator("#check-bestellbestaetigung-1").isChecked(), true);
    assert.equal(await page.locator("#all-bestellbestaetigung-1").isChecked(), true, "collected checklist in sync");
    const progress = await page.locator(".checklist-progress").first().textContent();
    assert.match(progress, /^1 von \d+ erledigt$/);
  });

  await check("reset clears the checklist", async () => {
    await page.locator(".checklist-reset").first().click();
    await page.reload();
    assert.equal(await page.locator("#check-bestellbestaetigung-1").isChecked(), false);
    assert.match(await page.locator(".checklist-progress").first().textContent(), /^0 von \d+ erledigt$/);
  });

  await check("the checkbox is reachable and operable by keyboard", async () => {
    await page.locator("#check-zugangsdaten-1").focus();
    await page.keyboard.press("Space");
    assert.equal(await page.locator("#check-zugangsdaten-1").isChecked(), true);
    await page.locator(".checklist-reset").first().click();
  });

  await check("search finds a school by its contract number", async () => {
    await page.goto(`${base}/`);
    await page.locator("#search-input").fill("V3345012");
    const first = page.locator(".search-results a").first();
    await first.waitFor({ timeout: 5000 });
    assert.equal(await first.textContent(), "Realschule am Rheinufer");
    await first.click();
    await page.waitForURL(/\/de\/realschule-am-rheinufer\/$/);
  });

  await check("search on a handbook page finds a step", async () => {
    await page.goto(handbook);
    await page.locator("#search-input").fill("globalen administrator der schule anmelden");
    const hit = page.locator(".search-results a", { hasText: "Globalen Administrator der Schule" }).first();
    await hit.waitFor({ timeout: 5000 });
    assert.equal(await hit.getAttribute("href"), "#organisationskonto");
  });

  await check("the overview filters and sorts schools", async () => {
    await page.goto(`${base}/`);
    await page.locator("#school-filter").fill("rheinufer");
    assert.equal(await page.locator("table.schools tbody tr:not([hidden])").count(), 1);
    await page.locator("#school-filter").fill("");
    await page.locator("th button.sort", { hasText: "Hinweise" }).click();
    await page.locator("th button.sort", { hasText: "Hinweise" }).click();
    const top = await page.locator("table.schools tbody tr").first().getAttribute("id");
    assert.equal(top, "school-realschule-am-rheinufer", "most dangers first when sorted descending");
  });

  await check("no serious accessibility violations (axe-core)", async () => {
    for (const url of [handbook, `${base}/`]) {
      await page.goto(url);
      // Evaluated, not added as a <script>: the pages' CSP refuses inline scripts.
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.length} node(s) e.g. ${v.nodes[0].target}`), [], url);
    }
  });

  await check("dark mode: no serious contrast violations", async () => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    const p = await dark.newPage();
    await p.goto(handbook);
    await p.evaluate(axeSource);
    const result = await p.evaluate(() => window.axe.run(document, { runOnly: ["color-contrast"] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), []);
    await dark.close();
  });

  await check("a screenshot of a handbook page is taken", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(handbook);
    await page.screenshot({ path: screenshot, fullPage: false });
  });

  await check("no console errors and no external requests", async () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(external, []);
  });
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
