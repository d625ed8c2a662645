//! The theme: templates, assets and UI strings. The default theme is compiled into the
//! binary; a project's `themes/<name>/` overrides it file by file.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::limits::{self, FileKind};
use crate::walk::{self, Skipped};

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)))),*]
    };
}

/// Every file of the default theme, by path below `themes/default/`.
const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/handbook.html",
    "templates/overview.html",
    "templates/landing.html",
    "templates/blocks/alert.html",
    "templates/blocks/chapter_heading.html",
    "templates/blocks/figure.html",
    "templates/blocks/step_heading.html",
    "templates/blocks/task.html",
    "templates/blocks/xref.html",
    "static/handbuch.css",
    "static/handbuch.js",
    "static/overview.js",
    "static/search.js",
    "print/handbook.typ",
    "i18n/de.ftl",
    "i18n/en.ftl",
);

#[derive(Debug, Clone)]
pub struct Theme {
    name: String,
    files: BTreeMap<String, Cow<'static, [u8]>>,
}

/// The embedded `default` theme always exists; any other needs its folder.
pub(crate) fn exists(root: &Path, name: &str) -> bool {
    name == "default" || root.join("themes").join(name).is_dir()
}

pub(crate) fn not_found(name: &str) -> String {
    format!("theme `{name}` not found (expected a folder themes/{name}/)")
}

impl Theme {
    /// The embedded default theme, overlaid with `root/themes/<name>/` where it exists.
    /// Its files are found as chapters and school files are (`walk::list`): links that stay
    /// inside the project are followed, one that leads out is an error, as is a folder
    /// that cannot be read; what is not a regular file goes to `skipped` for the one
    /// warning. Hidden files (`.DS_Store`) are left out.
    pub fn load(root: &Path, name: &str, skipped: &mut Vec<Skipped>) -> Result<Theme, Diagnostics> {
        let mut files: BTreeMap<String, Cow<'static, [u8]>> = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (path.to_string(), Cow::Borrowed(*bytes)))
            .collect();
        let dir = root.join("themes").join(name);
        if !exists(root, name) {
            // Config::load reports this with the line of `theme = …`; stay total anyway.
            return Err(Diagnostic::error("handbuch.toml", not_found(name))
                .with_code("config.unknown-theme")
                .into());
        }
        let listing = walk::list(root, &dir, None, usize::MAX);
        if listing.errors.has_errors() {
            return Err(listing.errors);
        }
        skipped.extend(listing.skipped);
        for path in listing.files {
            let Ok(relative) = path.strip_prefix(&dir) else {
                continue;
            };
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let shown = Path::new("themes").join(name).join(relative);
            // `theme.unreadable`, `theme.too-large` (`i18n.…` for UI strings).
            let bytes = limits::read_bounded(&path, &shown, FileKind::Theme)?;
            files.insert(key, Cow::Owned(bytes));
        }
        Ok(Theme {
            name: name.to_string(),
            files,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A text file (UI strings, templates) without a leading byte-order mark.
    pub fn text(&self, path: &str) -> Option<&str> {
        let text = std::str::from_utf8(self.files.get(path)?).ok()?;
        Some(text.strip_prefix('\u{FEFF}').unwrap_or(text))
    }

    /// Files below `prefix/`, with the prefix removed from their paths.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        self.files.iter().filter_map(move |(path, bytes)| {
            path.strip_prefix(prefix)?
                .strip_prefix('/')
                .map(|rest| (rest, bytes.as_ref()))
        })
    }
}
