//! `handbuch serve`: build, serve on 127.0.0.1, watch the project, rebuild what a change
//! touches, and reload open pages. A failed rebuild keeps the last good site online and
//! shows the error in the terminal and as an overlay in the page.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use walkdir::WalkDir;

mod in_place;
mod wake;

use crate::diagnostics::Diagnostics;
use crate::http::{self, Response};
use crate::project::SCHOOLS_DIR;
use crate::site::{build, build_scratch, BuildOptions, BuildReport};

const STATUS_PATH: &str = "/__handbuch/status";
const RELOAD_PATH: &str = "/__handbuch/reload.js";
/// The shortest pause between two looks at the project's files.
const POLL_AT_LEAST: Duration = Duration::from_millis(50);
/// The same when a write wakes the watcher at once: the looks are only a safety net then.
const POLL_AT_LEAST_WOKEN: Duration = Duration::from_secs(1);
/// The pause is this many times as long as a look took: a big project is not watched at
/// the cost of a whole core (at most 1/20 of one goes to watching).
const POLL_FACTOR: u32 = 20;
/// How long a status request waits for news before it answers with the same status.
const LONG_POLL: Duration = Duration::from_secs(20);
/// How long the PDFs wait after the pages went live (and nothing changed since): open
/// pages reload in this time, and the PDF build, which keeps a core busy, would slow them.
const PDF_SETTLE: Duration = Duration::from_millis(500);
/// How long a request for a PDF handout waits for the PDFs being rendered.
const PDF_WAIT: Duration = Duration::from_secs(120);
/// What the project's files are watched for; everything else (public/, target/) is ignored.
const WATCHED: [&str; 4] = ["handbuch.toml", "content", "themes", "static"];

/// Shared between the server and the watcher.
#[derive(Debug, Default, Clone, Serialize)]
struct Status {
    /// Bumped on every good build of the pages: open pages reload when it changes.
    version: u64,
    /// The last `version` that may have changed more than pages (a theme's styles or
    /// scripts, the site's layout): a page older than it reloads fully. A newer page only
    /// swaps in its new body, which shows an edited school without a whole navigation.
    full_version: u64,
    /// Bumped on every change of this status: what a waiting status request waits for.
    seq: u64,
    /// The last build's problems, as plain text; `None` when it succeeded.
    error: Option<String>,
    /// The pages are live but the PDF handouts that go with them are not yet: their
    /// build is running or failed. PDF requests wait (or are refused), never served stale.
    pdf_pending: bool,
    /// School scope: where the last good build put each handbook (for the terminal only).
    #[serde(skip)]
    links: Vec<crate::publish::links::Link>,
}

/// The status and a signal for those who wait for it to change.
#[derive(Default)]
struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Status> {
        self.status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn current(&self) -> Status {
        self.lock().clone()
    }

    /// Change the status and wake everyone waiting for news.
    fn update(&self, f: impl FnOnce(&mut Status)) {
        let mut status = self.lock();
        f(&mut status);
        status.seq += 1;
        drop(status);
        self.changed.notify_all();
    }

    /// The status, locked, once `waiting` no longer holds for it or `timeout` has passed.
    fn wait_while(
        &self,
        timeout: Duration,
        waiting: impl FnMut(&mut Status) -> bool,
    ) -> MutexGuard<'_, Status> {
        let guard = self.lock();
        let (status, _) = self
            .changed
            .wait_timeout_while(guard, timeout, waiting)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        status
    }
}

/// Serve `options.root` on `port` (0: any free port) until the process ends.
pub fn serve(mut options: BuildOptions, port: u16) -> std::io::Result<()> {
    // The site, its staging folder and lock all live in one private temp folder, which
    // goes when the server does: on Ctrl+C or SIGTERM, or when `serve` returns an error.
    let work = tempfile::Builder::new()
        .prefix("handbuch-serve-")
        .tempdir()?;
    let out = work.path().join("public");
    remove_on_signal(work.path().to_path_buf())?;
    options.out = Some(out.clone());
    let shared = Arc::new(Shared::default());
    // Taken before the first build, so no change made after it can be missed.
    let (files, _) = snapshot(&options.root);
    // The pages first; the watcher renders the PDFs after them (`PDF_SETTLE`), while pages
    // are served.
    let started = Instant::now();
    let good = build_pages(&options, &[], Update::Swap, &shared);
    let pdfs = (good && options.pdf).then(Vec::new);
    if good {
        eprintln!("built the pages in {} ms", started.elapsed().as_millis());
    }
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    let address = listener.local_addr()?;
    eprintln!(
        "serving {} on http://{address}/ (Ctrl+C to stop)",
        options.root.display()
    );
    // School scope: the handbooks are at private paths, so say where they are.
    for link in &shared.current().links {
        eprintln!(
            "  {} ({}): http://{address}/{}",
            link.slug, link.locale, link.path
        );
    }
    let watcher_shared = shared.clone();
    let watcher_options = options.clone();
    thread::spawn(move || watch(&watcher_options, files, pdfs, &watcher_shared));
    http::serve(listener, move |url| respond(url, &out, &shared));
    drop(work);
    Ok(())
}

/// On Ctrl+C or SIGTERM remove `work` and end with the shell's code for an interrupt.
fn remove_on_signal(work: PathBuf) -> std::io::Result<()> {
    ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&work);
        std::process::exit(130);
    })
    .map_err(std::io::Error::other)
}

/// Which PDF handouts still have to be rendered: `None` none, `Some` of no slug all of them
/// (as in `BuildOptions::schools`), else those schools'. The pages build that made them
/// due linked them already.
type PdfsToDo = Option<Vec<String>>;

/// How a pages build puts its files live.
#[derive(Clone, Copy)]
enum Update {
    /// `build`'s way: the whole site from a staging folder, swapped in at once.
    Swap,
    /// Only the files that changed, each renamed into the live site ([`in_place`]), the
    /// handbooks first: for edited school files, where the rest of the site stays as it
    /// is. `since`: how long after the change it was seen (for the terminal).
    InPlace { since: Duration },
}

/// Build the pages of everything (`schools` empty) or of those schools, without waiting
/// for their PDFs (rendered by [`build_pdfs`] next), and record the outcome; true if good.
fn build_pages(
    options: &BuildOptions,
    schools: &[String],
    update: Update,
    shared: &Shared,
) -> bool {
    let mut options = options.clone();
    options.schools = schools.to_vec();
    options.pdf_later = options.pdf;
    // Held from before the swap: a PDF asked for as soon as the new pages are live waits.
    let was_pending = shared.lock().pdf_pending;
    if options.pdf {
        shared.update(|status| status.pdf_pending = true);
    }
    let good = match update {
        Update::Swap => run_build(&options, shared, true, build, |status| {
            status.version += 1;
            status.full_version = status.version;
        }),
        Update::InPlace { since } => handbooks_first(&options, since, shared),
    };
    if !good && options.pdf {
        // The last good pages are still live, and so are the PDFs that go with them.
        shared.update(|status| status.pdf_pending = was_pending);
    }
    good
}

/// Render the PDF handouts of `schools` (all when empty), pages unchanged; true if done.
fn build_pdfs(options: &BuildOptions, schools: &[String], shared: &Shared) -> bool {
    let mut options = options.clone();
    options.schools = schools.to_vec();
    options.pdf_later = false;
    // Its warnings are those the pages build printed already.
    run_build(&options, shared, false, build, |status| {
        status.pdf_pending = false
    })
}

/// Edited school files: their handbooks go live first, at once (open pages show the
/// edit), then the site-wide files (overview, search) in a whole in-place build. If that
/// fails, the handbooks go back to how they were: the last good site stays, with the error.
fn handbooks_first(options: &BuildOptions, since: Duration, shared: &Shared) -> bool {
    let started = Instant::now();
    let live = options.out_dir();
    let mut first = options.clone();
    first.handbooks_only = true;
    // A failure here is reported by the whole build next, which fails the same way.
    let early = build_scratch(&first).ok().and_then(|(_, scratch)| {
        let keep = live.with_file_name("undo");
        in_place::apply_undoable(&scratch, &live, &keep).ok()
    });
    if early.is_some() {
        shared.update(|status| status.version += 1);
        eprintln!(
            "rebuilt {} in {} ms, {} ms after the change (the overview and search follow)",
            what(&options.schools),
            started.elapsed().as_millis(),
            since.as_millis()
        );
    }
    let mut scratch = None;
    let make = |options: &BuildOptions| {
        let result = build_in_place(options, &mut scratch);
        match (early, &result) {
            (Some(undo), Ok(_)) => undo.forget(),
            (Some(undo), Err(_)) => {
                undo.revert();
                shared.update(|status| status.version += 1);
            }
            (None, _) => {}
        }
        result
    };
    let good = run_build(options, shared, true, make, |status| status.version += 1);
    // After the pages went live: what is left in it are the files that did not change.
    if let Some(scratch) = scratch {
        let _ = std::fs::remove_dir_all(scratch);
    }
    good
}

/// Build the pages of `options.schools` and the site-wide files into a scratch folder
/// (its path goes to `scratch`), then put the files that changed live one by one. If that
/// fails half way, a whole build puts the site right again.
fn build_in_place(
    options: &BuildOptions,
    scratch: &mut Option<PathBuf>,
) -> Result<BuildReport, Diagnostics> {
    let (report, dir) = build_scratch(options)?;
    let applied = in_place::apply(&dir, &options.out_dir());
    *scratch = Some(dir);
    match applied {
        Ok(_) => Ok(report),
        Err(e) => {
            eprintln!("cannot update the served site in place ({e}), so it is built again");
            build(options)
        }
    }
}

/// Run one build (`make`) and record its outcome; `on_success` says what a good one changes.
fn run_build(
    options: &BuildOptions,
    shared: &Shared,
    print_warnings: bool,
    make: impl FnOnce(&BuildOptions) -> Result<BuildReport, Diagnostics>,
    on_success: impl FnOnce(&mut Status),
) -> bool {
    let color = std::io::stderr().is_terminal();
    let started = Instant::now();
    let result = make(options);
    let took = started.elapsed().as_millis();
    match result {
        Ok(report) => {
            for d in report.warnings.0.iter().filter(|_| print_warnings) {
                eprintln!("{}", d.render(color));
            }
            if report.pdfs > 0 {
                eprintln!("rendered {} PDF handout(s) in {took} ms", report.pdfs);
            }
            shared.update(|status| {
                on_success(status);
                status.error = None;
                status.links = report.links;
            });
            true
        }
        Err(problems) => {
            for d in &problems.0 {
                eprintln!("{}", d.render(color));
            }
            eprintln!("{} (still serving the last good build)", problems.summary());
            // Each diagnostic already renders without secrets; the page overlay and the
            // status endpoint blank the whole text once more, as the last word.
            let text = format!("{problems}{}", problems.summary());
            let text = crate::secrets::redact(&text, false).into_owned();
            shared.update(|status| status.error = Some(text));
            false
        }
    }
}

type Snapshot = BTreeMap<PathBuf, (SystemTime, u64)>;

/// Every watched file's time and size, and the folders they are in.
fn snapshot(root: &Path) -> (Snapshot, Vec<PathBuf>) {
    let mut files = Snapshot::new();
    let mut folders = vec![root.to_path_buf()];
    let entries = WATCHED.iter().flat_map(|top| {
        WalkDir::new(root.join(top))
            .into_iter()
            .filter_map(Result::ok)
    });
    for entry in entries {
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if entry.file_type().is_file() {
            let Ok(meta) = entry.metadata() else { continue };
            let Ok(modified) = meta.modified() else {
                continue;
            };
            files.insert(entry.into_path(), (modified, meta.len()));
        }
    }
    (files, folders)
}

/// Poll the project's files; on a change rebuild the pages of the changed schools, or
/// all pages; once nothing changes any more, render the PDFs those builds left to do.
fn watch(options: &BuildOptions, mut last: Snapshot, mut pdfs: PdfsToDo, shared: &Shared) {
    let wake = wake::Wake::new();
    let at_least = match wake.is_live() {
        true => POLL_AT_LEAST_WOKEN,
        false => POLL_AT_LEAST,
    };
    wake.watch(&snapshot(&options.root).1);
    let mut pause = at_least;
    loop {
        // PDFs to do start soon: they only wait to see that no more changes come first.
        let pdfs_due = pdfs.is_some() && status_is_good(shared);
        wake.wait(if pdfs_due { PDF_SETTLE } else { pause });
        let looked = Instant::now();
        let (now, folders) = snapshot(&options.root);
        wake.watch(&folders);
        pause = (looked.elapsed() * POLL_FACTOR).max(at_least);
        if now == last {
            // A failed build's PDFs wait for the fix: retrying could only fail again.
            if let Some(schools) = pdfs.as_ref().filter(|_| status_is_good(shared)) {
                if build_pdfs(options, schools, shared) {
                    pdfs = None;
                }
            }
            continue;
        }
        let changed: Vec<&PathBuf> = now
            .iter()
            .filter(|(p, v)| last.get(*p) != Some(v))
            .map(|(p, _)| p)
            .collect();
        let removed = last.keys().any(|p| !now.contains_key(p));
        let since = age_of_newest(&now, &changed);
        let schools = match changed_schools(&options.root, &changed) {
            Some(slugs) if !removed && status_is_good(shared) => slugs,
            _ => Vec::new(),
        };
        // Edited school files of a provider site (school scope reports every handbook's
        // link) change only their pages and the site-wide files: those go live in place.
        let school_scope = !shared.lock().links.is_empty();
        let update = if schools.is_empty() || school_scope {
            Update::Swap
        } else {
            Update::InPlace { since }
        };
        let started = Instant::now();
        if build_pages(options, &schools, update, shared) {
            if options.pdf {
                pdfs = Some(merge(pdfs, schools.clone()));
            }
            eprintln!(
                "rebuilt {} in {} ms, {} ms after the change",
                what(&schools),
                started.elapsed().as_millis(),
                since.as_millis()
            );
        }
        last = now;
    }
}

/// "the pages of 2 schools" or "all pages", for the terminal.
fn what(schools: &[String]) -> String {
    match schools.len() {
        0 => "all pages".to_string(),
        1 => format!("the pages of {}", schools[0]),
        n => format!("the pages of {n} schools"),
    }
}

/// How long ago the newest of the `changed` files was written: when serve saw the change,
/// measured from the change itself.
fn age_of_newest(files: &Snapshot, changed: &[&PathBuf]) -> Duration {
    changed
        .iter()
        .filter_map(|path| files.get(*path))
        .map(|(modified, _)| *modified)
        .max()
        .and_then(|newest| SystemTime::now().duration_since(newest).ok())
        .unwrap_or_default()
}

/// The PDFs to do after `due` are added to `todo` (no slug: all of them).
fn merge(todo: PdfsToDo, due: Vec<String>) -> Vec<String> {
    match todo {
        None => due,
        Some(all) if all.is_empty() => all,
        Some(_) if due.is_empty() => due,
        Some(mut some) => {
            some.extend(
                due.into_iter()
                    .filter(|slug| !some.contains(slug))
                    .collect::<Vec<_>>(),
            );
            some
        }
    }
}

fn status_is_good(shared: &Shared) -> bool {
    let status = shared.lock();
    status.error.is_none() && status.version > 0
}

/// The slugs of the changed files if they are all school files, else `None`.
fn changed_schools(root: &Path, changed: &[&PathBuf]) -> Option<Vec<String>> {
    let schools_dir = root.join(SCHOOLS_DIR);
    changed
        .iter()
        .map(|path| {
            path.starts_with(&schools_dir)
                .then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .flatten()
        })
        .collect()
}

fn respond(url: &str, out: &Path, shared: &Shared) -> Response {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = path.split('#').next().unwrap_or("/");
    if path == STATUS_PATH {
        let status = match after(query) {
            // A page that saw `seq` waits here for news instead of asking again and again.
            Some(seen) => shared.wait_while(LONG_POLL, |s| s.seq == seen).clone(),
            None => shared.current(),
        };
        let json = serde_json::to_vec(&status).unwrap_or_default();
        return Response::new(200, "application/json", json);
    }
    if path == RELOAD_PATH {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes().to_vec(),
        );
    }
    let not_found = || Response::new(404, "text/plain; charset=utf-8", b"not found".to_vec());
    let Some(file) = resolve(out, path) else {
        return not_found();
    };
    let is = |ext: &str| file.extension().is_some_and(|e| e == ext);
    // Read before the page: a page is never newer than the version it carries, so a build
    // that goes live in between makes it reload once more rather than never.
    let version = shared.current().version;
    if is("pdf") {
        return pdf(shared, &file).unwrap_or_else(not_found);
    }
    match std::fs::read(&file) {
        Ok(bytes) if is("html") => Response::new(
            200,
            "text/html; charset=utf-8",
            inject_reload(bytes, version),
        ),
        Ok(bytes) => Response::new(200, content_type(&file), bytes),
        Err(_) => not_found(),
    }
}

/// The `after=N` of a status request's query.
fn after(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("after="))
        .and_then(|n| n.parse().ok())
}

/// A PDF, once the PDFs that go with the live pages are there: while they are being
/// rendered the request waits, and if they do not come (their build failed or takes long)
/// it is refused. An old handout is never served as the current one. `None`: no such file.
fn pdf(shared: &Shared, file: &Path) -> Option<Response> {
    let status = shared.wait_while(PDF_WAIT, |s| s.pdf_pending && s.error.is_none());
    if status.pdf_pending {
        let why = if status.error.is_some() {
            "the last build failed (the error is shown on the page)"
        } else {
            "its build is still running"
        };
        let text = format!(
            "This PDF handout is out of date after the last change and {why}. \
             Try again in a moment.\n"
        );
        return Some(Response::new(
            503,
            "text/plain; charset=utf-8",
            text.into_bytes(),
        ));
    }
    // Read under the lock: new pages, and with them PDFs that no longer match, cannot go
    // live before `pdf_pending` is set, which takes this lock.
    let bytes = std::fs::read(file).ok()?;
    drop(status);
    Some(Response::new(200, content_type(file), bytes))
}

/// Map a URL path to a file below `out`; `..` and other escapes are refused.
fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let file = out.join(relative);
    if file.is_dir() {
        Some(file.join("index.html"))
    } else {
        Some(file)
    }
}

/// `%2e%2e` and friends decode before the `..` check; invalid UTF-8 is refused.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

/// The reload script, told which build the page comes from.
fn inject_reload(html: Vec<u8>, version: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    let tag = format!("<script src=\"{RELOAD_PATH}?v={version}\"></script>\n</body>");
    match text.rfind("</body>") {
        Some(at) => format!("{}{}{}", &text[..at], tag, &text[at + "</body>".len()..]).into_bytes(),
        None => html,
    }
}

/// The file's type from its extension; text types are UTF-8, as handbuch writes them.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
        || mime.subtype() == mime_guess::mime::JSON;
    if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Waits for news of the build (a status request that answers when something happened):
/// shows the new page when the pages changed, shows an overlay while the last build failed,
/// and marks the PDF links busy while their handouts are being rendered. Only a visible
/// page waits, so background tabs do not hold the browser's few connections to the server.
///
/// After an edited school file (`full_version` not newer than the page) the page is not
/// reloaded but fetched, and its body swapped in: no styles and scripts to fetch again
/// before it shows. The page's scripts run again on the new body (copies of them: those
/// parsed from the fetched text would not run), this one too, which then waits on; the
/// old one stops. Anything else, or a fetch that fails, reloads the whole page.
const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var v = me ? new URL(me.src).searchParams.get("v") : null;
  var page = v === null ? null : Number(v);
  var seq = null;
  var waiting = false;
  var replaced = false;
  function overlay(text) {
    var box = document.getElementById("handbuch-build-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "handbuch-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:99;margin:0;padding:1rem;background:#2b0000;color:#ffdede;border:2px solid #cf222e;border-radius:6px;font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
  function pdfLinks(pending) {
    document.querySelectorAll('a[href$=".pdf"]').forEach(function (a) {
      if (pending) { a.setAttribute("aria-busy", "true"); a.style.opacity = "0.6"; }
      else { a.removeAttribute("aria-busy"); a.style.opacity = ""; }
    });
  }
  function swap() {
    replaced = true;
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = document.adoptNode(doc.body);
        body.querySelectorAll("script[src]").forEach(function (old) {
          var script = document.createElement("script");
          script.src = old.getAttribute("src");
          script.async = false;
          old.replaceWith(script);
        });
        document.title = doc.title;
        document.body.replaceWith(body);
      })
      .catch(function () { location.reload(); });
  }
  function poll() {
    if (replaced || waiting || document.hidden) return;
    waiting = true;
    fetch("/__handbuch/status" + (seq === null ? "" : "?after=" + seq), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        waiting = false;
        if (page !== null && s.version !== page) {
          if (page >= s.full_version) swap(); else location.reload();
          return;
        }
        page = s.version;
        seq = s.seq;
        overlay(s.error);
        pdfLinks(s.pdf_pending);
        poll();
      })
      .catch(function () { waiting = false; setTimeout(poll, 1000); });
  }
  document.addEventListener("visibilitychange", poll);
  poll();
})();
"#;
