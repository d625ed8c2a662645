//! Finds what must never be printed in a handbook: product keys and passwords.
//! Reports point at the place with the secret blanked out, so no log repeats it.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

const KEY_GROUPS: usize = 5;
const GROUP_LEN: usize = 5;
/// Key names whose value is a secret, matched case-insensitively as part of the key.
const SECRET_KEY_WORDS: [&str; 6] = [
    "password",
    "passwort",
    "kennwort",
    "secret",
    "product_key",
    "productkey",
];

/// Byte ranges of everything shaped like a product key (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`).
pub fn product_keys(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let key_len = KEY_GROUPS * GROUP_LEN + KEY_GROUPS - 1;
    let mut found = Vec::new();
    let mut i = 0;
    while i + key_len <= bytes.len() {
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let boundary_after = bytes
            .get(i + key_len)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if boundary_before && boundary_after && is_key(&bytes[i..i + key_len]) {
            found.push(i..i + key_len);
            i += key_len;
        } else {
            i += 1;
        }
    }
    found
}

fn is_key(candidate: &[u8]) -> bool {
    candidate.iter().enumerate().all(|(i, b)| {
        if i % (GROUP_LEN + 1) == GROUP_LEN {
            *b == b'-'
        } else {
            b.is_ascii_alphanumeric()
        }
    }) && candidate.iter().any(u8::is_ascii_digit)
}

/// Byte ranges of values assigned to a password-like key (`password = "…"`, `Passwort: …`).
pub fn password_values(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(range) = password_value_in_line(line) {
            found.push(line_start + range.start..line_start + range.end);
        }
        line_start += line.len();
    }
    found
}

fn password_value_in_line(line: &str) -> Option<Range<usize>> {
    let sep = line.find(['=', ':'])?;
    let key = line[..sep]
        .trim()
        .trim_matches(['"', '\'', '-', '*', ' '])
        .to_ascii_lowercase();
    let key_is_secret = !key.is_empty()
        && key.len() <= 40
        && !key.contains(' ')
        && SECRET_KEY_WORDS.iter().any(|w| key.contains(w));
    let value = line[sep + 1..].trim_end_matches(['\n', '\r']);
    let value_trimmed = value.trim().trim_matches(['"', '\'']);
    if !key_is_secret || value_trimmed.is_empty() {
        return None;
    }
    let start = sep + 1 + (value.len() - value.trim_start().len());
    Some(start..sep + 1 + value.trim_end().len())
}

/// One error per secret in `text`, each showing the line with the secret replaced by `*`.
pub fn check(text: &Arc<str>, shown_as: &Path) -> Vec<Diagnostic> {
    let keys = product_keys(text);
    let passwords = password_values(text);
    if keys.is_empty() && passwords.is_empty() {
        return Vec::new();
    }
    let redacted = redact(text, keys.iter().chain(&passwords));
    let key_errors = keys.iter().map(|span| {
        Diagnostic::error(shown_as, "a product key must never be written into a handbook")
            .at(&redacted, span.clone())
            .with_label("looks like a product key (five groups of five characters)")
            .with_note("product keys are secrets: copy them in the VLSC when you need them, and remove this one")
    });
    let password_errors = passwords.iter().map(|span| {
        Diagnostic::error(shown_as, "a password must never be written into a handbook")
            .at(&redacted, span.clone())
            .with_label("value of a password-like field")
            .with_note("remove the value; the handbook tells people where to find the password, not what it is")
    });
    key_errors.chain(password_errors).collect()
}

/// Every byte of every span becomes `*`. The text keeps its length, so each span (found
/// in the original) still marks its secret in the redacted text, even when a secret has
/// non-ASCII characters or two secrets overlap (a key given as a password's value).
fn redact<'a>(text: &str, spans: impl Iterator<Item = &'a Range<usize>>) -> Arc<str> {
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
