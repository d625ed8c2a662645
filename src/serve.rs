//! `handbuch serve`: build, serve on 127.0.0.1, watch the project, rebuild what a change
//! touches, and reload open pages. A failed rebuild keeps the last good site online and
//! shows the error in the terminal and as an overlay in the page.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use walkdir::WalkDir;

use crate::http::{self, Response};
use crate::project::SCHOOLS_DIR;
use crate::site::{build, BuildOptions};

const STATUS_PATH: &str = "/__handbuch/status";
const RELOAD_PATH: &str = "/__handbuch/reload.js";
const POLL_EVERY: Duration = Duration::from_millis(400);
/// What the project's files are watched for; everything else (public/, target/) is ignored.
const WATCHED: [&str; 4] = ["handbuch.toml", "content", "themes", "static"];

/// Shared between the server and the watcher: bumped on every good build.
#[derive(Debug, Default, Clone, Serialize)]
struct Status {
    version: u64,
    /// The last build's problems, as plain text; `None` when it succeeded.
    error: Option<String>,
    /// School scope: where the last good build put each handbook (for the terminal only).
    #[serde(skip)]
    links: Vec<crate::publish::links::Link>,
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
    let status = Arc::new(Mutex::new(Status::default()));
    // Taken before the first build, so no change made after it can be missed.
    let files = snapshot(&options.root);
    rebuild(&options, &[], &status);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    let address = listener.local_addr()?;
    eprintln!(
        "serving {} on http://{address}/ (Ctrl+C to stop)",
        options.root.display()
    );
    // School scope: the handbooks are at private paths, so say where they are.
    let links = status.lock().map(|s| s.links.clone()).unwrap_or_default();
    for link in &links {
        eprintln!(
            "  {} ({}): http://{address}/{}",
            link.slug, link.locale, link.path
        );
    }
    let watcher_status = status.clone();
    let watcher_options = options.clone();
    thread::spawn(move || watch(&watcher_options, files, &watcher_status));
    http::serve(listener, move |url| respond(url, &out, &status));
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

/// Build everything (`changed_schools` empty) or just those schools, and record the outcome.
fn rebuild(options: &BuildOptions, changed_schools: &[String], status: &Mutex<Status>) {
    let mut options = options.clone();
    options.schools = changed_schools.to_vec();
    let color = std::io::stderr().is_terminal();
    let result = build(&options);
    let mut status = status
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match result {
        Ok(report) => {
            for d in &report.warnings.0 {
                eprintln!("{}", d.render(color));
            }
            eprintln!("rebuilt {} handbook(s)", report.handbooks);
            status.version += 1;
            status.error = None;
            status.links = report.links;
        }
        Err(problems) => {
            for d in &problems.0 {
                eprintln!("{}", d.render(color));
            }
            eprintln!("{} (still serving the last good build)", problems.summary());
            // Each diagnostic already renders without secrets; the page overlay and the
            // status endpoint blank the whole text once more, as the last word.
            let text = format!("{problems}{}", problems.summary());
            status.error = Some(crate::secrets::redact(&text, false).into_owned());
        }
    }
}

type Snapshot = BTreeMap<PathBuf, (SystemTime, u64)>;

fn snapshot(root: &Path) -> Snapshot {
    WATCHED
        .iter()
        .flat_map(|top| {
            WalkDir::new(root.join(top))
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.into_path(), (meta.modified().ok()?, meta.len())))
        })
        .collect()
}

/// Poll the project's files; on a change rebuild the changed schools, or everything.
fn watch(options: &BuildOptions, mut last: Snapshot, status: &Mutex<Status>) {
    loop {
        thread::sleep(POLL_EVERY);
        let now = snapshot(&options.root);
        if now == last {
            continue;
        }
        let changed: Vec<&PathBuf> = now
            .iter()
            .filter(|(p, v)| last.get(*p) != Some(v))
            .map(|(p, _)| p)
            .collect();
        let removed = last.keys().any(|p| !now.contains_key(p));
        let schools = changed_schools(&options.root, &changed);
        match schools {
            Some(slugs) if !removed && status_is_good(status) => rebuild(options, &slugs, status),
            _ => rebuild(options, &[], status),
        }
        last = now;
    }
}

fn status_is_good(status: &Mutex<Status>) -> bool {
    status
        .lock()
        .map(|s| s.error.is_none() && s.version > 0)
        .unwrap_or(false)
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

fn respond(url: &str, out: &Path, status: &Mutex<Status>) -> Response {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == STATUS_PATH {
        let current = status.lock().map(|s| s.clone()).unwrap_or_default();
        let json = serde_json::to_vec(&current).unwrap_or_default();
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
    match std::fs::read(&file) {
        Ok(bytes) if file.extension().is_some_and(|e| e == "html") => {
            Response::new(200, "text/html; charset=utf-8", inject_reload(bytes))
        }
        Ok(bytes) => Response::new(200, content_type(&file), bytes),
        Err(_) => not_found(),
    }
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

fn inject_reload(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    let tag = format!("<script src=\"{RELOAD_PATH}\"></script>\n</body>");
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

/// Polls the status: reloads on a new build, shows an overlay while the last build failed.
const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var seen = null;
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
  function poll() {
    fetch("/__handbuch/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version;
      overlay(s.error);
    }).catch(function () {}).then(function () { setTimeout(poll, 500); });
  }
  poll();
})();
"#;
