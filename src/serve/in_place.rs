//! `serve`'s in-place update of the live site after a build of some schools into a
//! scratch folder (`site::build_scratch`): only the files whose bytes changed go live, each
//! by one rename, so a page is always either the old or the new one, never half written.
//! Nothing else is touched: no copy of the whole site first, no old site to remove after.
//!
//! What the build no longer makes is removed like a build of some schools removes it from
//! its copy of the previous site: in every folder the scratch build wrote into, a file it
//! did not write goes (a calendar file of a school without anniversary, an overview page
//! or search shard fewer than before). Kept are the output's marker and PDF handouts: the
//! pages build renders no PDFs, and serve's PDF build replaces them after it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::output::MARKER;

/// What an update changed in the live site.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Applied {
    /// Files new or with other bytes than before.
    pub(super) written: usize,
    /// Files the build no longer makes.
    pub(super) removed: usize,
}

/// Move the files of `scratch` whose bytes differ from `live`'s into `live`, and remove
/// from `live` what the build no longer makes. An error may leave some files updated and
/// others not: the caller then builds the whole site again.
pub(super) fn apply(scratch: &Path, live: &Path) -> io::Result<Applied> {
    let (folders, files) = contents(scratch)?;
    let mut applied = Applied::default();
    for relative in &files {
        let (new, old) = (scratch.join(relative), live.join(relative));
        if same_bytes(&new, &old)? {
            continue;
        }
        if let Some(parent) = old.parent() {
            fs::create_dir_all(parent)?;
        }
        // Atomic: a reader opens either the old file or the new one.
        fs::rename(&new, &old)?;
        applied.written += 1;
    }
    for folder in &folders {
        applied.removed += remove_unmade(live, folder, &files)?;
    }
    Ok(applied)
}

/// The folders and files below `dir`, relative to it (the folders with `dir` itself).
fn contents(dir: &Path) -> io::Result<(Vec<PathBuf>, HashSet<PathBuf>)> {
    let mut folders = Vec::new();
    let mut files = HashSet::new();
    for entry in WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if entry.file_type().is_dir() {
            folders.push(relative.to_path_buf());
        } else {
            files.insert(relative.to_path_buf());
        }
    }
    Ok((folders, files))
}

/// Whether `old` exists with exactly the bytes of `new` (sizes first: most changed files
/// differ in size, and a file of another size need not be read).
fn same_bytes(new: &Path, old: &Path) -> io::Result<bool> {
    let old_meta = match fs::symlink_metadata(old) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if !old_meta.is_file() || old_meta.len() != fs::metadata(new)?.len() {
        return Ok(false);
    }
    Ok(fs::read(new)? == fs::read(old)?)
}

/// Remove the files directly in `live/folder` that the build did not make (`made`), except
/// the marker and PDF handouts; subfolders stay (other schools' handbooks are in them).
fn remove_unmade(live: &Path, folder: &Path, made: &HashSet<PathBuf>) -> io::Result<usize> {
    let entries = match fs::read_dir(live.join(folder)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            continue;
        }
        let name = entry.file_name();
        let relative = folder.join(&name);
        let kept = name == MARKER || Path::new(&name).extension().is_some_and(|e| e == "pdf");
        if kept || made.contains(&relative) {
            continue;
        }
        fs::remove_file(entry.path())?;
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, relative: &str, text: &str) {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn read(dir: &Path, relative: &str) -> Option<String> {
        fs::read_to_string(dir.join(relative)).ok()
    }

    #[test]
    fn only_changed_files_go_live_and_unmade_ones_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (scratch, live) = (dir.path().join("scratch"), dir.path().join("live"));
        for (path, text) in [
            (MARKER, "marker"),
            ("index.html", "overview old"),
            ("robots.txt", "same"),
            ("activations.ics", "gone now"),
            ("de/a/index.html", "a old"),
            ("de/a/a.ics", "a calendar"),
            ("de/a/a.pdf", "a handout"),
            ("de/b/index.html", "b"),
            ("overview/2.html", "page 2"),
            ("overview/3.html", "page 3"),
        ] {
            write(&live, path, text);
        }
        for (path, text) in [
            ("index.html", "overview new"),
            ("robots.txt", "same"),
            ("de/a/index.html", "a new"),
            ("de/c/index.html", "c"),
            ("overview/2.html", "page 2"),
        ] {
            write(&scratch, path, text);
        }
        let applied = apply(&scratch, &live).expect("apply");
        assert_eq!(
            applied,
            Applied {
                written: 3,
                removed: 3
            }
        );
        assert_eq!(read(&live, "index.html").as_deref(), Some("overview new"));
        assert_eq!(read(&live, "de/a/index.html").as_deref(), Some("a new"));
        assert_eq!(read(&live, "de/c/index.html").as_deref(), Some("c"));
        assert_eq!(read(&live, "robots.txt").as_deref(), Some("same"));
        // What the build no longer makes: the calendars and the third overview page.
        assert_eq!(read(&live, "activations.ics"), None);
        assert_eq!(read(&live, "de/a/a.ics"), None);
        assert_eq!(read(&live, "overview/3.html"), None);
        // The marker, the PDF (rendered later) and other schools' handbooks stay.
        assert_eq!(read(&live, MARKER).as_deref(), Some("marker"));
        assert_eq!(read(&live, "de/a/a.pdf").as_deref(), Some("a handout"));
        assert_eq!(read(&live, "de/b/index.html").as_deref(), Some("b"));
    }
}
