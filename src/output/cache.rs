//! The handbook cache beside the output (`public/` → `.public.cache/`): one entry per
//! fingerprint, `<key>/manifest` (each file's path in the site and its size) and the files
//! themselves as `<key>/0`, `<key>/1`, … in the manifest's order. Flat on purpose: a
//! folder per path part would cost the file system four more inodes per handbook, which
//! at 40,000 handbooks was most of a clean build's system time. An entry counts once its
//! manifest is complete, written after its files; its key is the hash of its inputs,
//! so a stale entry is never looked up. Entry files are immutable: they are hard-linked
//! into the staging folder, and nothing writes through a link (`Staging::write` unlinks).
//! Only a build holding the output's lock opens the cache, so one build touches it at a time;
//! `check` only looks whether an entry is complete ([`Cache::beside`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::{create_new, guard, sibling, Output, Staging};
use crate::walk::is_plain;

const MANIFEST: &str = "manifest";
/// A handbook has a handful of files (page, PDF, calendar): its manifest is a few hundred
/// bytes. A larger one is not handbuch's, and is not read into memory whole: the entry
/// counts as incomplete and the handbook is rendered again.
const MANIFEST_MAX_BYTES: u64 = 64 * 1024;

pub(crate) struct Cache {
    dir: PathBuf,
    /// The keys this build looked up or stored: what `prune` keeps.
    used: Mutex<BTreeSet<String>>,
}

impl Cache {
    /// The cache of `output`; taking the claimed output proves the lock is held. A folder
    /// of that name that handbuch did not make is refused, never used: pruning would empty it.
    pub(crate) fn open(output: &Output) -> io::Result<Cache> {
        let dir = sibling(output.target(), "cache");
        if !guard::own_folder(&dir, "keeps its cache there")? {
            fs::create_dir_all(&dir)?;
            guard::mark(&dir)?;
        }
        Ok(Cache {
            dir,
            used: Mutex::default(),
        })
    }

    /// The cache beside the output `out`, to read only (`check`): `None` when there is none
    /// that handbuch made. No lock is taken and nothing is written; an entry a build removes
    /// meanwhile only counts as missing.
    pub(crate) fn beside(out: &Path) -> Option<Cache> {
        let dir = sibling(&guard::resolve(out).ok()?, "cache");
        guard::own_folder(&dir, "keeps its cache there")
            .ok()?
            .then(|| Cache {
                dir,
                used: Mutex::default(),
            })
    }

    /// Whether entry `key` is complete: a build with these very inputs made the handbook,
    /// and it passed every check, the final gate included.
    pub(crate) fn holds(&self, key: &str) -> bool {
        complete_files(&self.dir.join(key)).is_some()
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Link the files of entry `key` into `staging`; what it linked, or `None` when there is
    /// no complete entry (absent, or damaged since it was written: such an entry is removed).
    pub(crate) fn fetch(&self, key: &str, staging: &Staging) -> io::Result<Option<FileList>> {
        let entry = self.dir.join(key);
        let Some(files) = complete_files(&entry) else {
            if entry.exists() {
                remove_any(&entry)?;
            }
            return Ok(None);
        };
        link_entry(&entry, &files, staging)?;
        self.mark_used(key);
        Ok(Some(files))
    }

    /// Add `files` as entry `key`, then link them into `staging`. The manifest is written
    /// last: until it is complete (a cut-off manifest is no valid JSON) the entry does not
    /// count, so an interrupted store leaves nothing a build would use.
    pub(crate) fn store(
        &self,
        key: &str,
        files: &[(PathBuf, Vec<u8>)],
        staging: &Staging,
    ) -> io::Result<FileList> {
        let entry = self.dir.join(key);
        // Fresh files only: an entry's files may be linked into a live output.
        if let Err(e) = fs::create_dir(&entry) {
            if e.kind() != io::ErrorKind::AlreadyExists {
                return Err(e);
            }
            remove_any(&entry)?;
            fs::create_dir(&entry)?;
        }
        let mut manifest = Vec::with_capacity(files.len());
        for (index, (relative, bytes)) in files.iter().enumerate() {
            let Some(name) = relative.to_str().filter(|_| is_plain(relative)) else {
                return Err(io::Error::other(format!(
                    "cannot cache {}: not a plain relative path",
                    relative.display()
                )));
            };
            write_new(&entry.join(index.to_string()), bytes)?;
            manifest.push((name.to_string(), bytes.len() as u64));
        }
        let manifest_list = manifest;
        let manifest = serde_json::to_vec(&manifest_list).map_err(io::Error::other)?;
        write_new(&entry.join(MANIFEST), &manifest)?;
        link_entry(&entry, &manifest_list, staging)?;
        self.mark_used(key);
        Ok(manifest_list)
    }

    /// Remove every entry this build did not use (and leftovers of interrupted ones), so
    /// the cache holds one site's worth of handbooks. Call it after a build of the whole site.
    pub(crate) fn prune(&self) -> io::Result<()> {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let keep = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n == guard::MARKER || used.contains(n));
            if !keep {
                remove_any(&entry.path())?;
            }
        }
        Ok(())
    }

    fn mark_used(&self, key: &str) {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_string());
    }
}

/// A handbook's files: each one's path relative to the site root and its size.
pub(crate) type FileList = Vec<(String, u64)>;

/// The files of a complete entry: its manifest reads, and every file it lists is there
/// with its size (a cheap check that catches truncated or deleted files).
fn complete_files(entry: &Path) -> Option<FileList> {
    let mut manifest = Vec::new();
    fs::File::open(entry.join(MANIFEST))
        .ok()?
        .take(MANIFEST_MAX_BYTES + 1)
        .read_to_end(&mut manifest)
        .ok()?;
    if manifest.len() as u64 > MANIFEST_MAX_BYTES {
        return None;
    }
    let listed: FileList = serde_json::from_slice(&manifest).ok()?;
    let complete = listed.iter().enumerate().all(|(index, (name, size))| {
        is_plain(Path::new(name))
            && fs::symlink_metadata(entry.join(index.to_string()))
                .is_ok_and(|meta| meta.is_file() && meta.len() == *size)
    });
    complete.then_some(listed)
}

/// Link the files of a complete entry into `staging`, each at its listed path.
fn link_entry(entry: &Path, files: &FileList, staging: &Staging) -> io::Result<()> {
    files.iter().enumerate().try_for_each(|(index, (name, _))| {
        staging.link(Path::new(name), &entry.join(index.to_string()))
    })
}

/// Whether every listed file is below `dir`, a plain file of its listed size.
pub(crate) fn all_present(dir: &Path, files: &FileList) -> bool {
    files.iter().all(|(name, size)| {
        let relative = Path::new(name);
        is_plain(relative)
            && fs::symlink_metadata(dir.join(relative))
                .is_ok_and(|meta| meta.is_file() && meta.len() == *size)
    })
}

/// Link the listed files below `dir` into `staging`, each at its path.
pub(crate) fn link_listed(dir: &Path, files: &FileList, staging: &Staging) -> io::Result<()> {
    files
        .iter()
        .try_for_each(|(name, _)| staging.link(Path::new(name), &dir.join(name)))
}

/// Write a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    io::Write::write_all(&mut create_new(path)?, bytes)
}

fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_cannot_name_a_path_outside_the_entry() {
        assert!(is_plain(Path::new("de/gym/index.html")));
        assert!(!is_plain(Path::new("../x")));
        assert!(!is_plain(Path::new("/etc/passwd")));
        assert!(!is_plain(Path::new("")));
    }

    /// A cache entry `k` in a temp dir holding one file, `0`, of 3 bytes.
    fn entry_with_one_file() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let entry = dir.path().join("k");
        fs::create_dir_all(&entry).expect("mkdir");
        fs::write(entry.join("0"), "abc").expect("write");
        (dir, entry)
    }

    #[test]
    fn an_entry_with_a_truncated_file_is_not_complete() {
        let (_dir, entry) = entry_with_one_file();
        fs::write(entry.join(MANIFEST), r#"[["de/index.html",3]]"#).expect("write");
        assert_eq!(
            complete_files(&entry),
            Some(vec![("de/index.html".to_string(), 3)])
        );
        fs::write(entry.join("0"), "ab").expect("write");
        assert_eq!(complete_files(&entry), None);
    }

    #[test]
    fn an_oversized_manifest_is_not_read_whole() {
        let (_dir, entry) = entry_with_one_file();
        // Valid JSON naming a complete file, padded past the limit with whitespace.
        let padded = format!(
            "{}{}",
            r#"[["de/index.html",3]]"#,
            " ".repeat(MANIFEST_MAX_BYTES as usize)
        );
        fs::write(entry.join(MANIFEST), &padded).expect("write");
        assert_eq!(complete_files(&entry), None);
        fs::write(entry.join(MANIFEST), padded.trim_end()).expect("write");
        assert!(complete_files(&entry).is_some());
    }
}
