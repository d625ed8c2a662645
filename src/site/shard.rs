//! Building a large site on several machines: `build --shard K/N` renders the handbooks of
//! the schools in shard K into a folder with a manifest of their fingerprints, and
//! `build --merge DIR…` puts the shards together with the site-wide files. A handbook is
//! taken from a shard only under the fingerprint the merging build computes for it itself,
//! so a shard made from other inputs is refused, never published.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{all_present, link_listed, FileList, Staging};
use crate::school::School;

/// The manifest in a shard's folder.
pub(super) const MANIFEST: &str = "shard.json";
const FORMAT: u32 = 1;
/// A manifest lists ~450 bytes per handbook (a 40,000-school shard with PDFs: ~18 MB per
/// locale). A larger one is refused unread: ~600,000 handbooks per shard.
const MANIFEST_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Shard `index` of `count` (1 ≤ index ≤ count), as `--shard K/N` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Read `K/N`; the message says what is wrong (clap shows it as a usage error).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let number = |part: &str| part.trim().parse::<u64>().ok();
        let (index, count) = text
            .split_once('/')
            .and_then(|(k, n)| Some((number(k)?, number(n)?)))
            .ok_or_else(|| format!("`{text}` is not K/N, e.g. 2/4"))?;
        if index == 0 || count == 0 || index > count {
            return Err(format!("`{text}`: K must be 1 to N"));
        }
        Ok(Shard { index, count })
    }

    /// Whether the school `slug` belongs to this shard: by a hash of the slug alone, so a
    /// school stays in its shard when others are added or removed.
    pub(super) fn holds(&self, slug: &str) -> bool {
        let digest = Sha256::digest(slug.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a shard's folder holds.
#[derive(Serialize, Deserialize)]
struct Manifest {
    handbuch_shard: u32,
    shard: String,
    handbooks: Vec<Entry>,
}

/// One handbook of a shard: which, made from what, and its files in the folder.
#[derive(Serialize, Deserialize, Clone)]
pub(super) struct Entry {
    pub(super) slug: String,
    pub(super) locale: String,
    pub(super) fingerprint: String,
    pub(super) files: FileList,
}

/// Write the shard's manifest into its staging folder.
pub(super) fn write_manifest(
    staging: &Staging,
    shard: Shard,
    mut handbooks: Vec<Entry>,
) -> Result<(), Diagnostic> {
    handbooks.sort_by(|a, b| (&a.slug, &a.locale).cmp(&(&b.slug, &b.locale)));
    let manifest = Manifest {
        handbuch_shard: FORMAT,
        shard: shard.to_string(),
        handbooks,
    };
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string());
    bytes
        .and_then(|b| {
            staging
                .write(Path::new(MANIFEST), &b)
                .map_err(|e| e.to_string())
        })
        .map_err(|e| {
            Diagnostic::error(MANIFEST, format!("cannot write the shard's manifest: {e}"))
                .with_code("output.write")
        })
}

/// The shards a merge takes its handbooks from.
pub(super) struct Shards {
    dirs: Vec<PathBuf>,
    /// By slug and locale: each shard (by index into `dirs`) that has the handbook.
    handbooks: BTreeMap<(String, String), Vec<(usize, Entry)>>,
}

impl Shards {
    /// Read every shard's manifest; a folder without one is not a shard.
    pub(super) fn load(dirs: &[PathBuf]) -> Result<Shards, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut handbooks: BTreeMap<(String, String), Vec<(usize, Entry)>> = BTreeMap::new();
        for (i, dir) in dirs.iter().enumerate() {
            let path = dir.join(MANIFEST);
            match read_manifest(&path) {
                Ok(m) if m.handbuch_shard == FORMAT => {
                    for entry in m.handbooks {
                        let at = (entry.slug.clone(), entry.locale.clone());
                        handbooks.entry(at).or_default().push((i, entry));
                    }
                }
                Ok(_) => problems.push(not_a_shard(&path, "made by another version of handbuch")),
                Err(e) => problems.push(not_a_shard(&path, &e)),
            }
        }
        problems.finish(Shards {
            dirs: dirs.to_vec(),
            handbooks,
        })
    }

    /// Link the handbook of `school` in `locale` with fingerprint `key` from its shard into
    /// `staging`. Missing from every shard, or there only with another fingerprint (a shard
    /// built from other inputs), is an error: never a silent render, never stale output.
    pub(super) fn fetch(
        &self,
        school: &School,
        locale: &str,
        key: &str,
        staging: &Staging,
    ) -> Result<FileList, Diagnostic> {
        let which = format!("the handbook of `{}` ({locale})", school.slug);
        let found = self
            .handbooks
            .get(&(school.slug.clone(), locale.to_string()))
            .map_or(&[][..], Vec::as_slice);
        let Some((i, entry)) = found.iter().find(|(_, e)| e.fingerprint == key) else {
            return Err(match found.first() {
                None => Diagnostic::error(
                    &school.file,
                    format!("{which} is in none of the shards {}", self.list()),
                )
                .with_code("merge.missing")
                .with_note("build every shard K/N for K = 1 … N and merge them all"),
                Some((i, _)) => Diagnostic::error(
                    &school.file,
                    format!(
                        "{which} in shard {} was built from other inputs",
                        self.dirs[*i].display()
                    ),
                )
                .with_code("merge.stale")
                .with_note(
                    "build the shards and merge with the same project files, handbuch binary, \
                     --today, --no-pdf and --scope",
                ),
            });
        };
        let dir = &self.dirs[*i];
        if !all_present(dir, &entry.files) {
            return Err(Diagnostic::error(
                &school.file,
                format!(
                    "{which}: files listed in {} are missing or damaged",
                    dir.join(MANIFEST).display()
                ),
            )
            .with_code("merge.damaged"));
        }
        link_listed(dir, &entry.files, staging).map_err(|e| {
            Diagnostic::error(dir, format!("cannot take {which} from the shard: {e}"))
                .with_code("output.io")
        })?;
        Ok(entry.files.clone())
    }

    fn list(&self) -> String {
        let dirs: Vec<String> = self.dirs.iter().map(|d| d.display().to_string()).collect();
        dirs.join(", ")
    }
}

/// A shard's manifest, parsed as it is read (never whole in memory), up to its limit.
fn read_manifest(path: &Path) -> Result<Manifest, String> {
    read_json_at_most(path, MANIFEST_MAX_BYTES)
}

fn read_json_at_most<T: serde::de::DeserializeOwned>(path: &Path, max: u64) -> Result<T, String> {
    let file = crate::limits::open_regular(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let too_large = || match max / (1024 * 1024) {
        0 => format!("larger than {max} bytes"),
        mib => format!("larger than {mib} MiB"),
    };
    if size > max {
        return Err(too_large());
    }
    // Bounded again while reading: the file may grow after its size was taken.
    let reader = io::BufReader::new(file.take(max + 1));
    let mut de = serde_json::Deserializer::from_reader(reader);
    T::deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(|e| match e.classify() {
            serde_json::error::Category::Eof if size >= max => too_large(),
            _ => e.to_string(),
        })
}

fn not_a_shard(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(path, format!("not the manifest of a shard: {why}"))
        .with_code("merge.not-a-shard")
        .with_note("--merge takes folders written by `handbuch build --shard K/N --out DIR`")
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_manifest_is_read_up_to_its_limit_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(MANIFEST);
        let manifest = r#"{"handbuch_shard":1,"shard":"1/2","handbooks":[]}"#;
        fs::write(&path, manifest).expect("write");
        let read = read_json_at_most::<Manifest>(&path, 1024).expect("a small manifest");
        assert_eq!((read.handbuch_shard, read.shard.as_str()), (1, "1/2"));
        // Valid JSON, padded past the limit: refused before parsing.
        fs::write(&path, format!("{manifest}{}", " ".repeat(2048))).expect("write");
        assert_eq!(
            read_json_at_most::<Manifest>(&path, 1024 * 1024 + 1).map(|_| ()),
            Ok(())
        );
        let err = read_json_at_most::<Manifest>(&path, 1024).map(|_| ());
        assert_eq!(err, Err("larger than 1024 bytes".to_string()));
        fs::write(&path, format!("{manifest} x")).expect("write");
        assert!(
            read_json_at_most::<Manifest>(&path, 1024).is_err(),
            "trailing bytes"
        );
    }

    #[test]
    fn shards_are_read_as_k_of_n() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(
            Shard::parse("0/4"),
            Err("`0/4`: K must be 1 to N".to_string())
        );
        assert_eq!(
            Shard::parse("5/4"),
            Err("`5/4`: K must be 1 to N".to_string())
        );
        assert_eq!(
            Shard::parse("2"),
            Err("`2` is not K/N, e.g. 2/4".to_string())
        );
    }

    #[test]
    fn every_school_is_in_exactly_one_shard() {
        for slug in ["a", "gym-nord", "schule-42", "x-y-z"] {
            let holding = (1..=3)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: 3,
                    }
                    .holds(slug)
                })
                .count();
            assert_eq!(holding, 1, "{slug}");
        }
    }
}
