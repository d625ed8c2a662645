//! Finds what must never be printed in a handbook: product keys and passwords.
//! Reports point at the place with the secret blanked out, so no log repeats it.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::toml_file::Document;

mod decode;
mod fields;
pub(crate) mod gate;
mod keys;

use keys::Chains;

pub(crate) use fields::is_secret_name;

/// Feed the decoded characters of `text` to a fresh matcher.
fn chains(text: &str) -> Chains {
    let mut chains = Chains::default();
    for item in decode::Items::new(text) {
        chains.push_item(item);
    }
    chains
}

/// Byte ranges of everything shaped like a product key (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`),
/// also when written with escapes, entities, other dashes or line breaks around a dash.
pub fn product_keys(text: &str) -> Vec<Range<usize>> {
    chains(text).keys()
}

/// Whether `text` holds a product key: the one-pass gate, which finds a key exactly where
/// [`product_keys`] does (a property test in `gate`) at a fraction of the cost.
pub(crate) fn has_product_key(text: &str) -> bool {
    gate::has_product_key(text, gate::Format::Json)
}

/// [`product_keys`], matched only where the gate has found one: nearly every file has none.
fn product_keys_if_any(text: &str) -> Vec<Range<usize>> {
    if has_product_key(text) {
        product_keys(text)
    } else {
        Vec::new()
    }
}

/// Byte ranges of values assigned to a secret-named key (`password = "…"`, `Passwort: …`).
pub(crate) fn password_values(text: &str) -> Vec<Range<usize>> {
    fields::values_in_lines(text)
}

/// `text` with every secret blanked out byte for byte: product keys and parts of them
/// (two groups or more), and the values of secret-named fields (`toml`: at any depth of
/// the document). Lengths stay, so spans into the text still point at the same place.
pub(crate) fn redact(text: &str, toml: bool) -> Cow<'_, str> {
    let mut spans = chains(text).key_parts();
    spans.extend(fields::values_in_lines(text));
    if toml {
        let found = fields::toml_secrets(text);
        spans.extend(found.keys);
        spans.extend(found.values);
    }
    if spans.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(blank(text, spans.iter()).to_string())
    }
}

/// A file name that is a product key would become part of the URL: one error, with the
/// name blanked out in the path it names.
pub(crate) fn check_file_name(shown_as: &Path) -> Option<Diagnostic> {
    let shown = shown_as.to_string_lossy();
    let keys = product_keys(&shown);
    if keys.is_empty() {
        return None;
    }
    let blanked = blank(&shown, keys.iter());
    Some(
        Diagnostic::error(
            &*blanked,
            "the file name looks like a product key, which must never be written into a handbook",
        )
        .with_code("secret.product-key-in-name")
        .with_note("a file name becomes part of a URL or an anchor: rename the file"),
    )
}

/// [`check`] for a TOML file already parsed, plus every decoded string value and key at
/// any depth: escapes (`\u002D`) and secret-named fields inside tables and arrays are
/// found too.
pub(crate) fn check_document(
    text: &Arc<str>,
    document: &Document<'_>,
    shown_as: &Path,
) -> Diagnostics {
    let found = fields::secrets_in(&document.root);
    let mut keys = product_keys_if_any(text);
    let more_keys: Vec<_> = found
        .keys
        .into_iter()
        .filter(|k| !overlaps(k, &keys))
        .collect();
    keys.extend(more_keys);
    let mut values = password_values(text);
    let more_values: Vec<_> = found
        .values
        .into_iter()
        .filter(|v| !overlaps(v, &values) && !overlaps(v, &keys))
        .collect();
    values.extend(more_values);
    report(text, shown_as, &keys, &values)
}

fn overlaps(span: &Range<usize>, others: &[Range<usize>]) -> bool {
    others
        .iter()
        .any(|o| o.start < span.end && span.start < o.end)
}

/// One error per secret in `text`, each showing the line with the secret replaced by `*`.
pub fn check(text: &Arc<str>, shown_as: &Path) -> Diagnostics {
    report(
        text,
        shown_as,
        &product_keys_if_any(text),
        &password_values(text),
    )
}

fn report(
    text: &Arc<str>,
    shown_as: &Path,
    keys: &[Range<usize>],
    passwords: &[Range<usize>],
) -> Diagnostics {
    if keys.is_empty() && passwords.is_empty() {
        return Diagnostics::default();
    }
    let redacted = blank(text, keys.iter().chain(passwords));
    let key_errors = keys.iter().map(|span| {
        Diagnostic::error(shown_as, "a product key must never be written into a handbook")
            .with_code("secret.product-key")
            .at(&redacted, span.clone())
            .with_label("looks like a product key (five groups of five characters)")
            .with_note("product keys are secrets: copy them in the VLSC when you need them, and remove this one")
    });
    let password_errors = passwords.iter().map(|span| {
        Diagnostic::error(shown_as, "a password must never be written into a handbook")
            .with_code("secret.password")
            .at(&redacted, span.clone())
            .with_label("value of a password-like field")
            .with_note("remove the value; the handbook tells people where to find the password, not what it is")
    });
    key_errors.chain(password_errors).collect()
}

/// Every byte of every span becomes `*`. The text keeps its length, so each span (found
/// in the original) still marks its secret in the redacted text, even when a secret has
/// non-ASCII characters or two secrets overlap (a key given as a password's value).
fn blank<'a>(text: &str, spans: impl Iterator<Item = &'a Range<usize>>) -> Arc<str> {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        if let Some(secret) = bytes.get_mut(span.clone()) {
            secret.fill(b'*');
        }
    }
    // Spans cover whole characters, so this stays valid UTF-8; lossy only to stay total.
    Arc::from(String::from_utf8_lossy(&bytes).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_product_key_in_text() {
        let text = "Key: ABCDE-12345-FGHIJ-67890-KLMNO ok";
        assert_eq!(product_keys(text), vec![5..34]);
    }

    #[test]
    fn ignores_near_misses() {
        assert!(product_keys("ABCD-12345-FGHIJ-67890-KLMNO").is_empty());
        assert!(product_keys("XABCDE-12345-FGHIJ-67890-KLMNO").is_empty());
        assert!(product_keys("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX").is_empty());
    }

    #[test]
    fn finds_password_values_not_mentions() {
        let text = "name = \"x\"\npassword = \"hunter2\"\nDas Passwort steht im Tresor.\n";
        let found = password_values(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], "\"hunter2\"");
    }

    #[test]
    fn non_ascii_secrets_keep_later_secrets_in_place() {
        // Found by the property tests: stars per character shifted every later secret,
        // which then panicked or was printed in part.
        let text: Arc<str> = Arc::from("password = \"äöü\"\npassword = \"hunter2\"\n");
        let errors = check(&text, Path::new("s.toml"));
        assert_eq!(errors.len(), 2);
        for e in errors {
            let shown = e.render(false);
            assert!(!shown.contains("hunter") && !shown.contains('ä'), "{shown}");
        }
    }

    #[test]
    fn report_never_echoes_the_secret() {
        let text: Arc<str> = Arc::from(
            "[tenant]\nadmin_password = \"hunter2\"\nkey = \"ABCDE-12345-FGHIJ-67890-KLMNO\"\n",
        );
        let errors = check(&text, Path::new("s.toml"));
        assert_eq!(errors.len(), 2);
        for e in errors {
            let shown = e.render(false);
            assert!(
                !shown.contains("hunter2") && !shown.contains("67890"),
                "{shown}"
            );
            assert!(shown.contains("s.toml:"), "{shown}");
        }
    }
}
