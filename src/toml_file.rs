//! Reading a TOML file into a serde struct, with errors pinned to file, line and column.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::de::DeTable;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::limits::{self, FileKind};

/// A file's text, shared by every diagnostic that points into it; a file larger than
/// its kind allows is refused before it is read whole.
pub(crate) fn read_source(
    path: &Path,
    shown_as: &Path,
    kind: FileKind,
) -> Result<Arc<str>, Diagnostic> {
    let bytes = limits::read_bounded(path, shown_as, kind)?;
    decode(bytes, shown_as).map(Arc::from)
}

/// UTF-8 text without a leading byte-order mark (editors on Windows write one, and
/// it would hide `+++` front matter or the first TOML key). Text that is not UTF-8
/// is an error at its first invalid byte.
pub(crate) fn decode(mut bytes: Vec<u8>, shown_as: &Path) -> Result<String, Diagnostic> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let byte = bytes.get(at).copied().unwrap_or_default();
        // The valid prefix decodes to the same bytes, so `at` is the same offset in it.
        let shown: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
        Diagnostic::error(
            shown_as,
            format!("the file is not UTF-8 text (byte 0x{byte:02X})"),
        )
        .with_kind("not-utf8")
        .at(&shown, at..at + char::REPLACEMENT_CHARACTER.len_utf8())
        .with_label("not UTF-8")
        .with_note("save the file with the encoding UTF-8")
    })
}

/// Parse `source` as `T`; syntax errors, missing fields, wrong types and unknown keys
/// all come back as one diagnostic at the offending place.
pub(crate) fn parse<T: DeserializeOwned>(
    source: &Arc<str>,
    shown_as: &Path,
) -> Result<T, Diagnostic> {
    parse_part(source, 0..source.len(), shown_as, "")
}

/// A whole data file (`handbuch.toml`, a school file) as `T`, after every check of its
/// text: no secret at any depth, no value past its length limit (`tight` for some keys),
/// then serde's and toml's own errors. One parse serves all three.
pub(crate) fn parse_checked<T: DeserializeOwned>(
    source: &Arc<str>,
    shown_as: &Path,
    tight: &[(&str, usize)],
) -> Result<T, Diagnostics> {
    let document = Document::parse(source);
    crate::secrets::check_document(source, &document, shown_as).finish(())?;
    if !document.broken {
        limits::check_table(source, 0, &document.root, shown_as, tight).finish(())?;
    }
    Ok(document.into_value(source, shown_as)?)
}

/// [`parse`] for the TOML at `part` of a larger file (a chapter's front matter); errors
/// point into the whole file and their message starts with `prefix`.
pub(crate) fn parse_part<T: DeserializeOwned>(
    source: &Arc<str>,
    part: Range<usize>,
    shown_as: &Path,
    prefix: &str,
) -> Result<T, Diagnostic> {
    let text = source.get(part.clone()).unwrap_or_default();
    toml::from_str(text).map_err(|e| error_at(&e, source, part, shown_as, prefix))
}

/// A whole file parsed once, for every check that reads its tree (secrets, limits) and
/// then for serde. Parsed with recovery: a file with syntax errors is still searched for
/// secrets, and `broken` sends it to [`parse`] for its first error.
pub(crate) struct Document<'a> {
    pub(crate) root: Spanned<DeTable<'a>>,
    pub(crate) broken: bool,
}

impl<'a> Document<'a> {
    pub(crate) fn parse(source: &'a str) -> Document<'a> {
        let (root, errors) = DeTable::parse_recoverable(source);
        Document {
            root,
            broken: !errors.is_empty(),
        }
    }

    /// The document as `T`, with the same diagnostics as [`parse`].
    pub(crate) fn into_value<T: DeserializeOwned>(
        self,
        source: &Arc<str>,
        shown_as: &Path,
    ) -> Result<T, Diagnostic> {
        if self.broken {
            return parse(source, shown_as);
        }
        T::deserialize(toml::de::Deserializer::from(self.root))
            .map_err(|e| error_at(&e, source, 0..source.len(), shown_as, ""))
    }
}

/// toml's or serde's error `e` for the TOML at `part` of `source`, at its place.
fn error_at(
    e: &toml::de::Error,
    source: &Arc<str>,
    part: Range<usize>,
    shown_as: &Path,
    prefix: &str,
) -> Diagnostic {
    let text = source.get(part.clone()).unwrap_or_default();
    let message = first_line(e.message());
    let mut d =
        Diagnostic::error(shown_as, format!("{prefix}{message}")).with_kind(kind_of(&message));
    let shift = |s: Range<usize>| s.start + part.start..s.end + part.start;
    if let Some(span) = e.span() {
        d = d.at(source, shift(span));
    } else if let Some(span) = limits::deep_key_at(text) {
        // toml's depth limit for dotted keys comes without a place.
        d = d
            .at(source, shift(span))
            .with_label("keys nested too deeply");
    }
    if let Some(hint) = hint_for(&message) {
        d = d.with_note(hint);
    }
    d
}

/// A TOML date without a time or offset (`2027-08-01`), as a calendar date.
pub(crate) fn as_date(value: &toml::value::Datetime) -> Option<chrono::NaiveDate> {
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    let d = value.date?;
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// The code's kind for toml's and serde's message, by its wording: a changed wording
/// merely makes the code the general `syntax`.
fn kind_of(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "unknown-key"
    } else if message.starts_with("missing field") {
        "missing-key"
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        "bad-value"
    } else if message.starts_with("duplicate key") {
        "duplicate-key"
    } else {
        "syntax"
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// A "did you mean" for unknown keys, from the list serde names in its message: serde
/// gives the expected fields only as text, and a changed wording merely loses the hint.
fn hint_for(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let best = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|candidate| (strsim::levenshtein(unknown, candidate), candidate))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()?;
    Some(format!("did you mean `{}`?", best.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_key() {
        let msg = "unknown field `anniversery`, expected one of `number`, `orders`, `anniversary`";
        assert_eq!(
            hint_for(msg).as_deref(),
            Some("did you mean `anniversary`?")
        );
    }

    #[test]
    fn no_suggestion_for_distant_key() {
        let msg = "unknown field `colour`, expected one of `number`, `orders`";
        assert_eq!(hint_for(msg), None);
    }
}
