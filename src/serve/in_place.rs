//! `serve`'s in-place update of the live site after a build of some schools into a
//! scratch folder (`site::build_scratch`): only the files whose bytes changed go live, each
//! by one rename, so a page is always either the old or the new one, never half written.
//! Nothing else is touched: no copy of the whole site first, no old site to remove after.
//!
//! What the build no longer makes is removed like a build of some schools removes it from
//! its copy of the previous site: in every folder the scratch build wrote a file into, a
//! file it did not write goes (a calendar file of a school without anniversary, an overview
//! page or search shard fewer than before). Kept are the output's marker and PDF handouts:
//! the pages build renders no PDFs, and serve's PDF build replaces them after it.
//!
//! An update can keep what it replaced ([`Undo`]), to be put back if the rest of the same
//! rebuild fails: serve puts an edited school's handbooks live before the site-wide files.

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
    update(scratch, live, None)
}

/// The same, keeping what it replaces or removes in `keep` (a new folder) so that it can
/// be put back with [`Undo::revert`]. If it fails, it puts back what it did.
pub(super) fn apply_undoable(scratch: &Path, live: &Path, keep: &Path) -> io::Result<Undo> {
    let _ = fs::remove_dir_all(keep);
    fs::create_dir_all(keep)?;
    let mut undo = Undo {
        live: live.to_path_buf(),
        keep: keep.to_path_buf(),
        changed: Vec::new(),
    };
    match update(scratch, live, Some(&mut undo)) {
        Ok(_) => Ok(undo),
        Err(e) => {
            undo.revert();
            Err(e)
        }
    }
}

/// What an update changed, and the files it replaced or removed, kept aside.
pub(super) struct Undo {
    live: PathBuf,
    keep: PathBuf,
    /// Each changed file, and whether there was one before (kept at the same path in `keep`).
    changed: Vec<(PathBuf, bool)>,
}

impl Undo {
    /// Put the live site back as it was before the update (as far as the file system lets).
    pub(super) fn revert(self) {
        for (relative, existed) in self.changed.iter().rev() {
            let path = self.live.join(relative);
            let _ = match existed {
                true => fs::rename(self.keep.join(relative), &path),
                false => fs::remove_file(&path),
            };
        }
        self.forget();
    }

    /// The update stays: what it kept aside goes.
    pub(super) fn forget(self) {
        let _ = fs::remove_dir_all(&self.keep);
    }

    /// Before `relative` in the live site is replaced or removed: keep it aside (a hard
    /// link when it stays in place until the rename, else moved).
    fn keep(&mut self, relative: &Path, moved: bool) -> io::Result<()> {
        let path = self.live.join(relative);
        let existed = fs::symlink_metadata(&path).is_ok();
        if existed {
            let kept = self.keep.join(relative);
            if let Some(parent) = kept.parent() {
                fs::create_dir_all(parent)?;
            }
            match moved {
                true => fs::rename(&path, &kept)?,
                false => fs::hard_link(&path, &kept)?,
            }
        }
        self.changed.push((relative.to_path_buf(), existed));
        Ok(())
    }
}

fn update(scratch: &Path, live: &Path, mut undo: Option<&mut Undo>) -> io::Result<Applied> {
    let files = contents(scratch)?;
    let mut applied = Applied::default();
    for relative in &files {
        let (new, old) = (scratch.join(relative), live.join(relative));
        if same_bytes(&new, &old)? {
            continue;
        }
        if let Some(parent) = old.parent() {
            fs::create_dir_all(parent)?;
        }
        if let Some(undo) = undo.as_deref_mut() {
            undo.keep(relative, false)?;
        }
        // Atomic: a reader opens either the old file or the new one.
        fs::rename(&new, &old)?;
        applied.written += 1;
    }
    let folders: HashSet<&Path> = files.iter().filter_map(|f| f.parent()).collect();
    for folder in folders {
        for relative in unmade(live, folder, &files)? {
            match undo.as_deref_mut() {
                Some(undo) => undo.keep(&relative, true)?,
                None => fs::remove_file(live.join(&relative))?,
            }
            applied.removed += 1;
        }
    }
    Ok(applied)
}

/// The files below `dir`, relative to it.
fn contents(dir: &Path) -> io::Result<HashSet<PathBuf>> {
    let mut files = HashSet::new();
    for entry in WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if !entry.file_type().is_dir() {
            files.insert(relative.to_path_buf());
        }
    }
    Ok(files)
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

/// The files directly in `live/folder` that the build did not make (`made`), except the
/// marker and PDF handouts; subfolders stay (other schools' handbooks are in them).
fn unmade(live: &Path, folder: &Path, made: &HashSet<PathBuf>) -> io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(live.join(folder)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut unmade = Vec::new();
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
        unmade.push(relative);
    }
    Ok(unmade)
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

    #[test]
    fn a_folder_the_build_wrote_no_file_into_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (scratch, live) = (dir.path().join("scratch"), dir.path().join("live"));
        write(&live, "index.html", "overview");
        write(&live, "de/a/index.html", "a old");
        write(&scratch, "de/a/index.html", "a new");
        let applied = apply(&scratch, &live).expect("apply");
        assert_eq!(
            applied,
            Applied {
                written: 1,
                removed: 0
            }
        );
        assert_eq!(read(&live, "index.html").as_deref(), Some("overview"));
    }

    #[test]
    fn an_undone_update_puts_back_every_file_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (scratch, live) = (dir.path().join("scratch"), dir.path().join("live"));
        write(&live, "de/a/index.html", "a old");
        write(&live, "de/a/a.ics", "a calendar");
        write(&live, "de/b/index.html", "b");
        write(&scratch, "de/a/index.html", "a new");
        write(&scratch, "de/c/index.html", "c");
        let before: Vec<_> = [
            "de/a/index.html",
            "de/a/a.ics",
            "de/b/index.html",
            "de/c/index.html",
        ]
        .iter()
        .map(|p| read(&live, p))
        .collect();
        let undo = apply_undoable(&scratch, &live, &dir.path().join("keep")).expect("apply");
        assert_eq!(read(&live, "de/a/index.html").as_deref(), Some("a new"));
        assert_eq!(read(&live, "de/a/a.ics"), None);
        assert_eq!(read(&live, "de/c/index.html").as_deref(), Some("c"));
        undo.revert();
        let after: Vec<_> = [
            "de/a/index.html",
            "de/a/a.ics",
            "de/b/index.html",
            "de/c/index.html",
        ]
        .iter()
        .map(|p| read(&live, p))
        .collect();
        assert_eq!(after, before);
        assert!(!dir.path().join("keep").exists());
    }
}
