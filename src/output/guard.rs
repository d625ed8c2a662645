//! handbuch only ever replaces what it made: every output carries a marker file, and a
//! build refuses an output folder that holds, or is held by, anything else.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as handbuch's output.
pub(crate) const MARKER: &str = ".handbuch-output";
const MARKER_TEXT: &str = "This folder was made by handbuch. Every build replaces all of it:\n\
                           keep no files of your own here.\n";
/// The project folders holding sources; an output inside one would replace them.
const SOURCE_DIRS: [&str; 3] = ["content", "static", "themes"];
const ADVICE: &str = "a build replaces the whole output folder: give --out a folder of its own, \
                      missing or empty (e.g. public/)";

/// Mark `dir` as handbuch's output.
pub(super) fn mark(dir: &Path) -> io::Result<()> {
    fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// Whether `dir` is a folder handbuch made.
pub(super) fn is_ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Whether handbuch's folder `dir` (beside the output, for `what`, e.g. "keeps its cache
/// there") is there: `Ok(false)` when absent, an error when a folder or file of that name
/// is not handbuch's (so it is never used, let alone emptied).
pub(super) fn own_folder(dir: &Path, what: &str) -> io::Result<bool> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() && is_ours(dir) => Ok(true),
        Ok(_) => Err(io::Error::other(format!(
            "{} is in the way: handbuch {what}, and this one was not made by handbuch (move \
             it away; handbuch never empties a folder it did not make)",
            dir.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Check that a build of the project at `root` may replace `out`; return `out` resolved.
/// Every refusal is a usage error naming `out` as the user wrote it.
pub(super) fn check(root: &Path, out: &Path) -> Result<PathBuf, Diagnostic> {
    let cannot = |e: io::Error| {
        Diagnostic::usage(out, format!("cannot resolve the output folder: {e}"))
            .with_code("output.unreadable")
    };
    let target = resolve(out).map_err(cannot)?;
    let root = resolve(root).map_err(cannot)?;
    let refuse = |why: String| {
        Diagnostic::usage(
            out,
            format!("refusing to build into {}: {why}", out.display()),
        )
        .with_code("output.refused")
        .with_note(ADVICE)
    };
    if target == root {
        return Err(refuse("it is the project folder".into()));
    }
    if root.starts_with(&target) {
        return Err(refuse(format!(
            "it contains the project folder {}",
            root.display()
        )));
    }
    for dir in SOURCE_DIRS {
        let sources = resolve(&root.join(dir)).map_err(cannot)?;
        if target.starts_with(&sources) {
            return Err(refuse(format!("it is inside the project's {dir}/ folder")));
        }
    }
    check_contents(&target, out)?;
    Ok(target)
}

/// Refuse an existing `target` that is not a folder, or a non-empty folder without the marker.
pub(super) fn check_contents(target: &Path, out: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::usage(
            out,
            format!("refusing to build into {}: {why}", out.display()),
        )
        .with_code("output.refused")
        .with_note(ADVICE))
    };
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return refuse("it exists and is not a folder");
    }
    let empty = fs::read_dir(target)
        .map_err(|e| {
            Diagnostic::usage(out, format!("cannot read the output folder: {e}"))
                .with_code("output.unreadable")
        })?
        .next()
        .is_none();
    if empty || is_ours(target) {
        return Ok(());
    }
    refuse(&format!(
        "it is a folder with files that handbuch did not make (it has no {MARKER} file)"
    ))
}

/// `path` made absolute, with `.`, `..` and symlinks resolved as far as it exists; the
/// part that does not exist yet is appended as written (it can hold no symlink).
pub(super) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in std::path::absolute(path)?.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            // `resolved` is free of symlinks here, so its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if fs::symlink_metadata(&resolved).is_ok() {
                    // A dangling symlink stays as it is; check_contents refuses it.
                    if let Ok(real) = fs::canonicalize(&resolved) {
                        resolved = real;
                    }
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_parent_dirs_of_missing_folders_lexically() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = fs::canonicalize(dir.path()).expect("canonical");
        assert_eq!(
            resolve(&dir.path().join("a/b/../../c/./d")).expect("resolve"),
            real.join("c/d")
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolve_follows_symlinks() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = fs::canonicalize(dir.path()).expect("canonical");
        fs::create_dir(real.join("content")).expect("mkdir");
        std::os::unix::fs::symlink(real.join("content"), real.join("link")).expect("symlink");
        assert_eq!(
            resolve(&real.join("link/out")).expect("resolve"),
            real.join("content/out")
        );
    }
}
