// `handbuch serve` in Chromium after edits (driven by tests/browser.rs): an edited school
// file shows on the open page without a navigation (its body is swapped in), the page's
// scripts work on the new body, the next edit is still noticed, and a change that is not
// a school file's reloads the whole page.
// Usage: node serve-swap.mjs <base-url> <project root>
// Prints one line per check and exits non-zero if one failed.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

const [base, root] = process.argv.slice(2);
const schoolFile = join(root, "content/schools/manual.toml");
const chapter = join(root, "content/guide/de/02-ende.md");
const original = readFileSync(schoolFile, "utf8");
const url = `${base}/de/manual/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const failures = [];
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { console.log(`not ok - ${name}\n  ${String(e.message).split("\n").join("\n  ")}`); failures.push(name); }
}
const h1Holds = (text) => page.waitForFunction((t) => document.querySelector("h1")?.textContent.includes(t), text, { timeout: 30000 });

const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
try {
  await page.goto(url);
  const box = page.locator("input[type=checkbox][data-task]").first();
  const boxId = await box.getAttribute("id");

  await check("an edited school shows on the open page without a navigation", async () => {
    await box.check();
    await page.evaluate(() => { window.handbuchSameDocument = true; });
    // The page's status request waits for news by now.
    await page.waitForTimeout(500);
    writeFileSync(schoolFile, original.replace("Manuelle Schule", "Getauschte Schule"));
    await h1Holds("Getauschte Schule");
    assert.equal(await page.evaluate(() => window.handbuchSameDocument), true, "the page was reloaded");
    assert.match(await page.title(), /Getauschte Schule/);
  });

  await check("the page's scripts run on the swapped-in body", async () => {
    await page.waitForFunction((id) => document.getElementById(id)?.checked, boxId, { timeout: 10000 });
    await page.locator(`#${boxId}`).uncheck();
    await page.reload();
    assert.equal(await page.locator(`#${boxId}`).isChecked(), false, "the unticked box was not saved");
  });

  await check("after a swap the next edit is noticed: a broken school shows the overlay", async () => {
    await page.evaluate(() => { window.handbuchSameDocument = true; });
    writeFileSync(schoolFile, original.replace("Manuelle Schule", "Zweimal Getauscht"));
    await h1Holds("Zweimal Getauscht");
    assert.equal(await page.evaluate(() => window.handbuchSameDocument), true, "the page was reloaded");
    await page.waitForTimeout(300);
    writeFileSync(schoolFile, original + "\nname = [\n");
    const overlay = page.locator("#handbuch-build-error");
    await overlay.waitFor({ timeout: 30000 });
    assert.match(await overlay.textContent(), /manual\.toml/);
    assert.equal(await page.locator("#handbuch-build-error").count(), 1);
    assert.equal(await page.evaluate(() => window.handbuchSameDocument), true, "the page was reloaded");
    // After a failed build serve builds everything again: the page then reloads fully.
    writeFileSync(schoolFile, original);
    await h1Holds("Manuelle Schule");
    await overlay.waitFor({ state: "detached", timeout: 30000 });
  });

  await check("a changed chapter reloads the whole page", async () => {
    await page.waitForTimeout(300);
    await page.evaluate(() => { window.handbuchSameDocument = true; });
    writeFileSync(chapter, readFileSync(chapter, "utf8") + "\nNeu geladener Absatz.\n");
    await page.waitForFunction(() => document.body.textContent.includes("Neu geladener Absatz."), null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => window.handbuchSameDocument), undefined, "the page was only swapped");
  });

  await check("no script error on the page", async () => {
    assert.deepEqual(errors, []);
  });
} finally {
  writeFileSync(schoolFile, original);
  await browser.close();
}
if (failures.length > 0) {
  console.log(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
