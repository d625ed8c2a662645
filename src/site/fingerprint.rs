//! What a handbook is made from, hashed. Two builds that give a handbook the same
//! fingerprint make the same bytes for it, so the cache may hand back the earlier ones.
//!
//! Deliberately coarse where precision would be fragile: the whole binary (so any rebuilt
//! handbuch invalidates everything, embedded theme and fonts included), every file of the
//! guide, themes and static folders (not only the ones a handbook happens to read), and
//! per handbook its school file, the school as loaded and the findings the rules gave it
//! (which is where other schools reach into a handbook: a shared tenant, …). The school
//! file counts by the digest of the text it was loaded from: what was rendered, even if
//! the file changes during the build, and without reading it a second time.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use super::Prepared;
use crate::config::{Scope, CONFIG_FILE};
use crate::project::{SCHOOLS_DIR, STATIC_DIR};
use crate::school::School;

/// Bumped when the cache's idea of a handbook's inputs changes.
const FORMAT: &str = "handbuch-handbook-cache-1";

/// The folders (besides the school files) a handbook may read from.
const SOURCE_DIRS: [&str; 3] = ["content", "themes", STATIC_DIR];

/// What every handbook of a build depends on, hashed once per build.
pub(super) struct Site {
    digest: [u8; 32],
}

/// Hash what all handbooks share: binary, config, guide, themes, static files, date,
/// scope and whether PDFs are made. An error means "do not cache", never a failed build.
pub(super) fn site(prepared: &Prepared) -> io::Result<Site> {
    let root = &prepared.project.root;
    let mut h = Sha256::new();
    field(&mut h, FORMAT.as_bytes());
    field(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    field(&mut h, &binary_digest()?);
    field(&mut h, &fs::read(root.join(CONFIG_FILE))?);
    for dir in SOURCE_DIRS {
        tree(&mut h, root, &root.join(dir))?;
    }
    field(&mut h, prepared.today.to_string().as_bytes());
    let scope = match prepared.layout.scope() {
        Scope::Provider => "provider",
        Scope::School => "school",
    };
    field(&mut h, scope.as_bytes());
    // `serve` builds pages that link a PDF before it renders the PDF: another output.
    let pdf: &[u8] = match (prepared.pdf.is_some(), prepared.link_pdf) {
        (true, _) => b"pdf",
        (false, true) => b"pdf-later",
        (false, false) => b"html",
    };
    field(&mut h, pdf);
    Ok(Site {
        digest: h.finalize().into(),
    })
}

/// The fingerprint of the handbook of `school` in `locale`, as hex: the cache key.
pub(super) fn handbook(
    site: &Site,
    prepared: &Prepared,
    school: &School,
    locale: &str,
) -> io::Result<String> {
    let mut h = Sha256::new();
    field(&mut h, &site.digest);
    field(&mut h, locale.as_bytes());
    field(&mut h, school.slug.as_bytes());
    field(&mut h, &school.source_digest);
    field(
        &mut h,
        &serde_json::to_vec(school).map_err(io::Error::other)?,
    );
    let findings = serde_json::to_vec(prepared.findings(school)).map_err(io::Error::other)?;
    field(&mut h, &findings);
    // Its own folder and the language switcher's links (the key names them in school scope).
    for each in &school.locales {
        let place = prepared.layout.handbook(&school.slug, each);
        field(&mut h, place.path.as_bytes());
        field(&mut h, place.url.unwrap_or_default().as_bytes());
    }
    Ok(hex(&h.finalize()))
}

/// Length first, so that no two different sequences of fields hash alike.
fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Every file below `dir` (but not the school files: each handbook hashes its own), by
/// path relative to `root`, in a fixed order. A missing folder hashes as empty.
fn tree(h: &mut Sha256, root: &Path, dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let schools = root.join(SCHOOLS_DIR);
    let walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.path() != schools);
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        field(h, relative.as_os_str().as_encoded_bytes());
        field(h, &fs::read(entry.path())?);
    }
    Ok(())
}

/// Hash the running binary now, so that [`site`] finds it done.
pub(super) fn warm_up() {
    // An error shows when `site` asks again.
    let _ = binary_digest();
}

/// The running binary's bytes, hashed once per process: a handbuch built from other
/// code may render differently, whatever its version says.
fn binary_digest() -> io::Result<[u8; 32]> {
    static DIGEST: OnceLock<Option<[u8; 32]>> = OnceLock::new();
    let digest = DIGEST.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        let mut file = fs::File::open(exe).ok()?;
        let mut h = Sha256::new();
        io::copy(&mut file, &mut h).ok()?;
        Some(h.finalize().into())
    });
    digest.ok_or_else(|| io::Error::other("cannot read the running program"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
