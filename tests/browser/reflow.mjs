// Reflow, accessibility and the Content-Security-Policy on every page a build writes, driven by
// tests/browser.rs against `handbuch serve`. Usage: node reflow.mjs <base-url>...
// Every page reachable from each site's overview (overview, handbook pages in every locale,
// reached through the language switcher) is checked:
// * at 320 and 375 px wide, light and dark: the page does not scroll sideways
//   (document.documentElement.scrollWidth <= clientWidth, WCAG 1.4.10 Reflow);
// * at 320 and 1280 px: axe-core finds no serious or critical violation;
// * the CSP meta is there and in force (an inline script is refused), and the page itself
//   causes no CSP violation and no console error (also for the pages opened from disk).
// Prints one line per check and exits non-zero if any failed.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
// Sites to crawl over HTTP, and pages opened from disk (README: the site works from file://).
const bases = process.argv.slice(2).filter((a) => !a.startsWith("file://"));
const files = process.argv.slice(2).filter((a) => a.startsWith("file://"));

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

/** A context that records console errors and CSP violations of its pages. */
async function recordingContext(options) {
  const context = await browser.newContext(options);
  const errors = [];
  // Runs before the page's own scripts, outside its CSP (an init script is not inline script).
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  context.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  context.on("weberror", (e) => errors.push(String(e.error())));
  return { context, errors };
}

/** Every page of the site: links followed from the overview, staying inside the site. */
async function crawl(page, base) {
  const seen = new Set();
  const queue = [`${base}/`];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    await page.goto(url);
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    for (const link of links) {
      const clean = link.split("#")[0];
      const inside = clean.startsWith(`${base}/`) && !clean.includes("/assets/");
      if (inside && (clean.endsWith("/") || clean.endsWith(".html"))) {
        queue.push(clean.endsWith("/index.html") ? clean.slice(0, -"index.html".length) : clean);
      }
    }
  }
  return [...seen];
}

/** What makes a page wider than the screen: the widest elements reaching past its right edge. */
function tooWide() {
  const doc = document.documentElement;
  const culprits = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 0.5)
    .filter((e) => !e.closest(".table-wrap, pre, .visually-hidden"))
    .slice(0, 5)
    .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> right=${Math.round(e.getBoundingClientRect().right)}`);
  return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, culprits };
}

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.length} node(s) e.g. ${v.nodes[0].target}`);
}

try {
  const pages = [];
  for (const base of bases) {
    const { context } = await recordingContext({});
    const page = await context.newPage();
    const found = await crawl(page, base);
    await context.close();
    await check(`${base}: the overview and handbook pages in more than one locale are found`, async () => {
      assert.ok(found.some((u) => u === `${base}/`), found.join("\n"));
      const locales = new Set(found.map((u) => u.slice(base.length).split("/")[1]).filter(Boolean));
      assert.ok(locales.size >= 2, `locales ${[...locales]}`);
    });
    pages.push(...found);
  }
  pages.push(...files);
  console.log(`# ${pages.length} pages`);

  // One visit per page and colour scheme; the widths are set on the loaded page.
  const wide = [];
  const violations = { 320: [], 1280: [] };
  const cspProblems = [];
  let cspErrors = [];
  for (const scheme of ["light", "dark"]) {
    const { context, errors } = await recordingContext({ viewport: { width: 320, height: 800 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const url of pages) {
      await page.goto(url);
      for (const width of [320, 375]) {
        await page.setViewportSize({ width, height: 800 });
        const m = await page.evaluate(tooWide);
        if (m.scrollWidth > m.clientWidth) {
          wide.push(`${width} px ${scheme} ${url}: ${m.scrollWidth} > ${m.clientWidth}\n    ${m.culprits.join("\n    ")}`);
        }
      }
      if (scheme === "light") {
        const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
        if (!policy || !policy.includes("default-src 'self'")) cspProblems.push(`${url}: no CSP meta (${policy})`);
        const own = await page.evaluate(() => window.__csp.slice());
        if (own.length) cspProblems.push(`${url}: ${own.join(", ")}`);
        // Not from disk: axe fetches the stylesheets, which file:// refuses (and the same
        // pages are checked over HTTP).
        for (const width of url.startsWith("file://") ? [] : [320, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          for (const v of await axe(page)) violations[width].push(`${url}: ${v}`);
        }
      }
    }
    cspErrors = cspErrors.concat(errors);
    await context.close();
  }
  console.log(`# measured ${pages.length} pages at 320 and 375 px, light and dark`);

  await check("no horizontal scrolling at 320 and 375 px, light and dark", async () => {
    assert.deepEqual(wide, []);
  });
  for (const width of [320, 1280]) {
    await check(`no serious accessibility violations (axe-core) at ${width} px`, async () => {
      assert.deepEqual(violations[width], []);
    });
  }

  await check("the Content-Security-Policy is in force and no page violates it", async () => {
    assert.deepEqual(cspProblems, []);
    assert.deepEqual(cspErrors, [], "console errors");
    const { context } = await recordingContext({});
    const page = await context.newPage();
    // An inline script is refused: the policy is really applied, not just written.
    await page.goto(pages[0]);
    const ran = await page.evaluate(() => {
      window.__ran = false;
      const s = document.createElement("script");
      s.textContent = "window.__ran = true";
      document.body.append(s);
      return new Promise((resolve) => setTimeout(() => resolve(window.__ran), 200));
    });
    assert.equal(ran, false, "an inline script ran");
    assert.ok((await page.evaluate(() => window.__csp.length)) > 0, "the refusal was reported as a violation");
    await context.close();
  });
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} browser check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
