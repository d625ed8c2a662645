//! Atomic output: a build writes into a staging folder next to the output and swaps it
//! in only when everything succeeded, so a failed build never touches the last good site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// A fresh, empty staging folder for `target` (e.g. `public/` → `.public.staging/`).
    pub fn new(target: &Path) -> io::Result<Staging> {
        let dir = sibling(target, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Start from a copy of the current output (for builds of selected schools only).
    pub fn seed_from_target(&self) -> io::Result<()> {
        if self.target.is_dir() {
            copy_tree(&self.target, &self.dir)?;
        }
        Ok(())
    }

    /// Write `bytes` to `relative` inside the staging folder, creating folders.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Replace the target with the staging folder.
    pub fn commit(self) -> io::Result<()> {
        let old = sibling(&self.target, "old");
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        if self.target.exists() {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            // Put the previous output back before reporting.
            if old.exists() {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Throw the staging folder away, leaving the target as it was.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.{what}"))
}

/// Copy every file below `from` to the same place below `to`.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        let dest = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}
