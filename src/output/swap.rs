//! Putting the finished site in place with no moment at which the output is missing, and
//! recovering at the next start from a run that was interrupted while doing so.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::guard::{is_ours, MARKER};
use super::sibling;

/// Replace `target` with `staging`. `Ok(Some((path, e)))`: the new site is in place, but
/// the previous one, now at `path`, could not be removed; the next build retries.
pub(super) fn replace(staging: &Path, target: &Path) -> io::Result<Option<(PathBuf, io::Error)>> {
    if !exists(target) {
        fs::rename(staging, target)?;
        return Ok(None);
    }
    let old = match exchange(staging, target) {
        Ok(()) => staging.to_path_buf(),
        Err(e) if exchange_unsupported(&e) => two_renames(staging, target)?,
        Err(e) => return Err(e),
    };
    Ok(remove_ours(&old).err().map(|e| (old, e)))
}

/// Swap the two folders in one step, so `target` always exists (Linux: `renameat2`).
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, target: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staging: &Path, _target: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Old kernels (ENOSYS) and some file systems (EINVAL) cannot exchange.
fn exchange_unsupported(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
    )
}

/// Where no exchange exists: move the old output aside, then the new one in. A crash
/// between the two leaves `.<target>.old`, which `recover` puts back.
fn two_renames(staging: &Path, target: &Path) -> io::Result<PathBuf> {
    let old = sibling(target, "old");
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staging, target) {
        // Put the previous output back before reporting.
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    Ok(old)
}

/// Undo what an interrupted run left next to `target` (call it holding the lock): put the
/// previous output back if `target` is missing, and remove handbuch's leftovers.
pub(super) fn recover(target: &Path) -> io::Result<()> {
    let old = sibling(target, "old");
    if !exists(target) && is_ours(&old) {
        fs::rename(&old, target)?;
    }
    for leftover in [old, sibling(target, "staging")] {
        if is_ours(&leftover) || is_empty_dir(&leftover) {
            remove_ours(&leftover)?;
        }
    }
    Ok(())
}

/// Remove a folder handbuch made, its marker last: if removal stops half way, what is
/// left is still recognised as handbuch's and removed by the next run. What lies two
/// levels down (a locale's handbook folders, 40,000 of them) is removed on every core.
pub(super) fn remove_ours(dir: &Path) -> io::Result<()> {
    let mut below = Vec::new();
    let mut top = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let is_dir = entry.file_type()?.is_dir();
        if is_dir {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                below.push((inner.path(), inner.file_type()?.is_dir()));
            }
        }
        top.push((entry.path(), is_dir));
    }
    below
        .par_iter()
        .try_for_each(|(path, is_dir)| remove_entry(path, *is_dir))?;
    for (path, is_dir) in &top {
        remove_entry(path, *is_dir)?;
    }
    fs::remove_dir_all(dir)
}

fn remove_entry(path: &Path, is_dir: bool) -> io::Result<()> {
    if is_dir {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::guard::mark;

    fn site(dir: &Path, text: &str) {
        fs::create_dir_all(dir).expect("mkdir");
        mark(dir).expect("mark");
        fs::write(dir.join("index.html"), text).expect("write");
    }

    #[test]
    fn two_renames_replace_the_target_where_no_exchange_exists() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (staging, target) = (
            dir.path().join(".public.staging"),
            dir.path().join("public"),
        );
        site(&target, "old");
        site(&staging, "new");
        let old = two_renames(&staging, &target).expect("swap");
        assert_eq!(
            fs::read_to_string(target.join("index.html")).expect("read"),
            "new"
        );
        assert_eq!(old, dir.path().join(".public.old"));
        remove_ours(&old).expect("remove");
        assert!(!staging.exists() && !old.exists());
    }

    #[test]
    fn recover_keeps_a_foreign_leftover() {
        let dir = tempfile::tempdir().expect("temp dir");
        let foreign = dir.path().join(".public.old");
        fs::create_dir(&foreign).expect("mkdir");
        fs::write(foreign.join("mine.txt"), "keep").expect("write");
        recover(&dir.path().join("public")).expect("recover");
        assert!(!dir.path().join("public").exists());
        assert_eq!(
            fs::read_to_string(foreign.join("mine.txt")).expect("read"),
            "keep"
        );
    }
}
