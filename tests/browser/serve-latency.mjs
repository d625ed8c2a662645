// How long an edited school file takes to show in the browser under `handbuch serve`.
// A measurement, not a test (no timing is asserted anywhere): see scripts/serve-latency.
//
// Usage: node serve-latency.mjs <handbuch binary> <project root> [runs] [-- serve flags…]
//
// Starts `serve` on the project, opens the first school's handbook in Chromium, then
// `runs` times: changes the school's `name` in its TOML file and waits until the page
// has reloaded by itself and shows the new name. Per run it prints
//   total    file written → page shows the new name (after its automatic reload)
//   rebuilt  file written → serve's "rebuilt" line (the change seen and the site rebuilt)
//   seen     file written → serve noticed the change   (from serve's log line)
//   build    the rebuild, as serve timed it            (from serve's log line)
//   signal   rebuild done → the browser asks for the page again (a reload, or the fetch
//            of the page whose body serve's script swaps in)
//   load     that request → the page shows the new name (its h1 holds it)
// and at the end the median and p90 of each.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const dashes = args.indexOf("--");
const [binary, root, runsArg] = dashes < 0 ? args : args.slice(0, dashes);
const serveFlags = dashes < 0 ? [] : args.slice(dashes + 1);
const runs = Number(runsArg || 10);
if (!binary || !root) {
  console.error("usage: node serve-latency.mjs <handbuch> <project root> [runs] [-- serve flags…]");
  process.exit(2);
}

const schoolsDir = join(root, "content/schools");
const slug = readdirSync(schoolsDir).filter((f) => f.endsWith(".toml")).sort()[0].replace(/\.toml$/, "");
const schoolFile = join(schoolsDir, `${slug}.toml`);
const original = readFileSync(schoolFile, "utf8");

// serve's stderr, line by line, each with the time it arrived.
const lines = [];
const waiters = [];
const server = spawn(binary, ["serve", "--port", "0", "--today", "2026-01-15", "--root", root, ...serveFlags], {
  stdio: ["ignore", "ignore", "pipe"],
  env: { ...process.env, NO_COLOR: "1" },
});
let pending = "";
server.stderr.on("data", (chunk) => {
  pending += chunk;
  let at;
  while ((at = pending.indexOf("\n")) >= 0) {
    const line = { text: pending.slice(0, at), time: performance.now() };
    pending = pending.slice(at + 1);
    lines.push(line);
    for (const w of waiters.splice(0)) w();
  }
});
/** The first line after index `from` that matches `re`. */
async function lineMatching(re, from = 0, timeoutMs = 120000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const hit = lines.slice(from).find((l) => re.test(l.text));
    if (hit) return hit;
    if (performance.now() > deadline) throw new Error(`serve never printed ${re}; got:\n${lines.map((l) => l.text).join("\n")}`);
    await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 1000); });
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const results = [];
try {
  const started = await lineMatching(/ on http:\/\//, 0, 900000);
  const base = "http://" + started.text.split(" on http://")[1].split("/")[0];
  const page = await browser.newPage();
  const url = `${base}/de/${slug}/`;
  await page.goto(url);
  console.log(`serve ${serveFlags.join(" ")}: ${root}, page ${url}`);
  console.log("run  total rebuilt seen  build  signal  load  (ms)");
  for (let run = 1; run <= runs; run++) {
    // Let the page settle (its status request in flight) and the machine calm down.
    await page.waitForTimeout(1500);
    // …and the PDFs of the last change rendered (a serve that renders them after the pages).
    for (;;) {
      const status = await (await fetch(`${base}/__handbuch/status`)).json();
      if (!status.pdf_pending) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const name = `Schule Messlauf ${run} ${Date.now()}`;
    const from = lines.length;
    let requested = null;
    const again = (r) => r.isNavigationRequest() || (r.resourceType() === "fetch" && r.url() === url);
    const onRequest = (r) => { if (again(r) && requested === null) requested = performance.now(); };
    page.on("request", onRequest);
    const written = performance.now();
    writeFileSync(schoolFile, original.replace(/^name = ".*"$/m, `name = "${name}"`));
    // Checked at every frame the page draws (and in each new document after a reload).
    await page.waitForFunction((n) => document.querySelector("h1")?.textContent.includes(n), name,
      { timeout: 60000, polling: "raf" });
    const shown = performance.now();
    page.off("request", onRequest);
    const rebuilt = await lineMatching(/^rebuilt /, from);
    // "rebuilt 1 handbook(s) in 123 ms, 45 ms after the change": serve's own split, when it prints one.
    const m = rebuilt.text.match(/in (\d+) ms, (\d+) ms after the change/);
    const build = m ? Number(m[1]) : NaN;
    const seen = m ? Number(m[2]) : NaN;
    const r = {
      total: shown - written,
      rebuilt: rebuilt.time - written,
      seen,
      build,
      signal: (requested ?? shown) - rebuilt.time,
      load: shown - (requested ?? shown),
    };
    results.push(r);
    const f = (x) => (Number.isNaN(x) ? "-" : Math.round(x)).toString().padStart(5);
    console.log(`${String(run).padStart(3)} ${f(r.total)}  ${f(r.rebuilt)} ${f(r.seen)} ${f(r.build)}  ${f(r.signal)} ${f(r.load)}`);
  }
} finally {
  writeFileSync(schoolFile, original);
  await browser.close();
  server.kill("SIGTERM");
}

function quantile(values, q) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
for (const key of ["total", "rebuilt", "seen", "build", "signal", "load"]) {
  const values = results.map((r) => r[key]);
  const show = (x) => (Number.isNaN(x) ? "-" : `${Math.round(x)} ms`);
  console.log(`${key.padEnd(6)} median ${show(quantile(values, 0.5))}, p90 ${show(quantile(values, 0.9))} (n=${results.length})`);
}
