//! Atomic output: a build writes into a staging folder next to the output and swaps it
//! in only when everything succeeded, so a failed build never touches the last good site.
//! Only one build writes an output at a time, and only into a folder handbuch made.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

mod cache;
mod guard;
mod lock;
mod swap;

pub(crate) use cache::{all_present, link_listed, Cache, FileList};
pub(crate) use guard::MARKER;

/// An output folder this run may replace: checked, locked against other builds, and
/// cleared of what an interrupted run left behind. The lock is held until it is dropped.
pub(crate) struct Output {
    /// The output folder with symlinks and `..` resolved, so every spelling of it shares one lock.
    target: PathBuf,
    _lock: lock::OutputLock,
}

impl Output {
    /// Claim `out` (as the user named it) for a build of the project at `root`: refuse it
    /// (a usage error) unless handbuch may replace it, wait for another build of it to end,
    /// then recover from an interrupted swap.
    pub(crate) fn claim(root: &Path, out: &Path) -> Result<Output, Diagnostics> {
        let target = guard::check(root, out)?;
        let io_error = |what: &str, e: io::Error| {
            Diagnostic::error(out, format!("{what}: {e}")).with_code("output.io")
        };
        let lock = lock::OutputLock::acquire(&target)
            .map_err(|e| io_error("cannot lock the output folder", e))?;
        swap::recover(&target)
            .map_err(|e| io_error("cannot recover from an interrupted build", e))?;
        // Checked again under the lock: another build or the recovery may have changed it.
        guard::check_contents(&target, out)?;
        Ok(Output {
            target,
            _lock: lock,
        })
    }

    /// The output folder, resolved: what sits beside it is beside the real folder.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// A fresh, empty staging folder next to the output.
    pub(crate) fn staging(&self) -> io::Result<Staging> {
        Staging::new(&self.target)
    }

    /// A fresh, empty folder next to the output (`public/` → `.public.scratch/`) for a
    /// build whose files the caller moves into the output itself (`serve`'s in-place
    /// update): never seeded from the output, never swapped in. A leftover of an earlier
    /// one goes; a folder of that name that handbuch did not make is refused, never emptied.
    pub(crate) fn scratch(&self) -> io::Result<Staging> {
        let dir = sibling(&self.target, "scratch");
        if guard::own_folder(&dir, "builds serve's updates there")? {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        guard::mark(&dir)?;
        Ok(Staging {
            dir,
            target: self.target.clone(),
        })
    }
}

pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// A new staging folder for `target` (e.g. `public/` → `.public.staging/`), marked as
    /// handbuch's from the start so that a leftover of it can be recognised and removed.
    fn new(target: &Path) -> io::Result<Staging> {
        let dir = sibling(target, "staging");
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::create_dir(&dir)?;
        guard::mark(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Start from the current output (for builds of selected schools only): its files are
    /// hard-linked, not copied, so a rebuild of one school costs no copy of the whole site.
    pub(crate) fn seed_from_target(&self) -> io::Result<()> {
        if self.target.is_dir() {
            link_tree(&self.target, &self.dir)?;
        }
        Ok(())
    }

    /// Write `bytes` to `relative` inside the staging folder, creating folders. An existing
    /// file is unlinked first: it may be a hard link into the live output, which a write
    /// through it would change before the build has succeeded.
    pub(crate) fn write(&self, relative: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(relative);
        // Most files go into a folder that exists and onto no file: one open. Only then
        // the slower way, since every mkdir or unlink attempt locks the parent folder,
        // which all worker threads share (`de/` for every school).
        if let Ok(mut file) = create_new(&path) {
            return io::Write::write_all(&mut file, bytes);
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        remove_if_present(&path)?;
        fs::write(path, bytes)
    }

    /// [`Staging::write`] of the bytes of `parts` one after the other, without joining
    /// them in memory first (the provider's calendar of 40,000 schools is ~25 MB).
    pub(crate) fn write_parts<'a>(
        &self,
        relative: &Path,
        parts: impl IntoIterator<Item = &'a [u8]>,
    ) -> io::Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        remove_if_present(&path)?;
        let mut file = io::BufWriter::new(fs::File::create(path)?);
        for part in parts {
            io::Write::write_all(&mut file, part)?;
        }
        io::Write::flush(&mut file)
    }

    /// Put `source` (an immutable cache file) at `relative` inside the staging folder as a
    /// hard link, copying where the file system cannot link. What was there is unlinked.
    pub(crate) fn link(&self, relative: &Path, source: &Path) -> io::Result<()> {
        let path = self.dir.join(relative);
        // One syscall when the folder exists and nothing is in the way (see `write`).
        let no_folder = match fs::hard_link(source, &path) {
            Ok(()) => return Ok(()),
            Err(e) => e.kind() == io::ErrorKind::NotFound,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // A folder just made (each handbook's first file in a clean build) holds nothing
        // that would be in the way.
        if !no_folder {
            remove_if_present(&path)?;
        }
        fs::hard_link(source, &path).or_else(|_| fs::copy(source, &path).map(drop))
    }

    /// Remove `relative` from the staging folder if it is there: a file an earlier build
    /// made that this one no longer makes (it may be seeded from the live output).
    pub(crate) fn remove(&self, relative: &Path) -> io::Result<()> {
        remove_if_present(&self.dir.join(relative))
    }

    /// Replace the target with the staging folder. `Ok(Some(e))`: the new site is in place
    /// but the previous one could not be removed (`e`, at the returned path).
    pub(crate) fn commit(self) -> io::Result<Option<(PathBuf, io::Error)>> {
        swap::replace(&self.dir, &self.target)
    }

    /// Throw the staging folder away, leaving the target as it was.
    pub(crate) fn discard(self) {
        let _ = swap::remove_ours(&self.dir);
    }
}

/// A hidden folder or file next to `target` (`public/` → `.public.<what>`).
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.{what}"))
}

/// Open a file that must not exist yet, for writing.
fn create_new(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Hard-link every file below `from` to the same place below `to`, copying where the file
/// system cannot link (another device, no link support).
fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    for_each_file(from, to, |source, dest| {
        remove_if_present(dest)?;
        fs::hard_link(source, dest).or_else(|_| fs::copy(source, dest).map(drop))
    })
}

/// Copy every file below `from` to the same place below `to`. An existing file is
/// unlinked first: in a staging folder it may be a hard link into the live output.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for_each_file(from, to, |source, dest| {
        remove_if_present(dest)?;
        fs::copy(source, dest).map(drop)
    })
}

/// Create the folders of `from` below `to` and call `f(source, dest)` for every file.
fn for_each_file(
    from: &Path,
    to: &Path,
    mut f: impl FnMut(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    for entry in WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        let dest = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            f(entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_handbuch_did_not_make_is_refused_and_kept() {
        let root = tempfile::tempdir().expect("temp dir");
        let theirs = root.path().join(".public.scratch");
        fs::create_dir_all(&theirs).expect("mkdir");
        fs::write(theirs.join("notes.txt"), "mine").expect("write");
        let output = Output::claim(root.path(), &root.path().join("public")).expect("claim");
        let error = output.scratch().err().expect("refused");
        assert!(
            error.to_string().contains(".public.scratch is in the way"),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(theirs.join("notes.txt")).ok().as_deref(),
            Some("mine")
        );
    }

    #[test]
    fn a_scratch_folder_left_by_handbuch_is_emptied() {
        let root = tempfile::tempdir().expect("temp dir");
        let output = Output::claim(root.path(), &root.path().join("public")).expect("claim");
        let first = output.scratch().expect("scratch");
        fs::write(first.dir().join("left.html"), "old").expect("write");
        let second = output.scratch().expect("scratch again");
        assert!(!second.dir().join("left.html").exists());
        assert!(guard::is_ours(second.dir()));
    }
}
