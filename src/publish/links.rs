//! `links.csv`: for the provider, every handbook's private link, to send each school its
//! own. Written beside the published folder, never inside it (`public/` →
//! `public.links.csv`), and only after the new site is in place: a temp file renamed
//! over the old one, so there is never a half file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One row: a school's handbook in one locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub slug: String,
    /// The school's name, as written in its file.
    pub school: String,
    pub locale: String,
    /// Absolute when `base_url` is set, else relative to the site root (`<folder>/de/`).
    pub url: String,
    /// Relative to the site root, always (`<folder>/de/`).
    pub path: String,
}

/// Where the links of the site in `out` (resolved) go: next to it, named after it.
pub(crate) fn file_beside(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!("{name}.links.csv"))
}

/// The CSV text: a header, then one row per link, quoted where a field needs it.
pub(crate) fn csv(links: &[Link]) -> io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| io::Error::other(e.to_string());
    writer
        .write_record(["slug", "school", "locale", "url"])
        .map_err(io)?;
    for link in links {
        writer
            .write_record([
                &link.slug,
                &no_formula(&link.school),
                &link.locale,
                &link.url,
            ])
            .map_err(io)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// A school name like `=HYPERLINK(…)` would run as a formula when the provider opens the
/// file in a spreadsheet (CSV injection): such a cell starts with `'`, which spreadsheets
/// read as "text follows" (OWASP's advice).
fn no_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A links file written in full to a temp file beside its place, waiting for the build
/// to succeed: [`Pending::finish`] renames it into place, dropping it removes it. The temp
/// file is readable by its owner only: the links are the schools' keys to their data.
pub(crate) struct Pending {
    temp: PathBuf,
    path: PathBuf,
    done: bool,
}

impl Pending {
    pub(crate) fn write(path: &Path, bytes: &[u8]) -> io::Result<Pending> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pending = Pending {
            temp: path.with_file_name(format!(".{name}.tmp")),
            path: path.to_path_buf(),
            done: false,
        };
        let mut file = private_file(&pending.temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        Ok(pending)
    }

    /// Put the file in place (one rename: readers see the old file or the new one).
    pub(crate) fn finish(mut self) -> io::Result<PathBuf> {
        fs::rename(&self.temp, &self.path)?;
        self.done = true;
        Ok(self.path.clone())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(unix)]
fn private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> io::Result<fs::File> {
    fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let links = [Link {
            slug: "a".into(),
            school: "Schule \"Am Park\", Nord".into(),
            locale: "de".into(),
            url: "https://h.example/f/de/".into(),
            path: "f/de/".into(),
        }];
        let text = String::from_utf8(csv(&links).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "slug,school,locale,url\na,\"Schule \"\"Am Park\"\", Nord\",de,https://h.example/f/de/\n"
        );
    }

    #[test]
    fn a_name_that_looks_like_a_formula_is_kept_as_text() {
        let link = |school: &str| Link {
            slug: "a".into(),
            school: school.into(),
            locale: "de".into(),
            url: "u".into(),
            path: "f/de/".into(),
        };
        let links = [
            link("=HYPERLINK(\"http://x\")"),
            link("@SUM(1)"),
            link("Schule-Nord"),
        ];
        let text = String::from_utf8(csv(&links).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "slug,school,locale,url\na,\"'=HYPERLINK(\"\"http://x\"\")\",de,u\na,'@SUM(1),de,u\na,Schule-Nord,de,u\n"
        );
    }

    #[test]
    fn the_file_is_named_after_the_output_beside_it() {
        assert_eq!(
            file_beside(Path::new("/nonexistent-x/site")),
            Path::new("/nonexistent-x/site.links.csv")
        );
    }
}
