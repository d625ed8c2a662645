//! Values of fields whose name says they are secret (`password = …`, `PIN: …`), found
//! line by line in any text and, for TOML, at any depth of the parsed document.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::decode::Decoded;
use crate::toml_file::Document;

/// Parts of a key name that make its value a secret, matched case-insensitively with
/// `-`, `.` and spaces read as `_`.
const SECRET_PARTS: [&str; 20] = [
    "password",
    "passwort",
    "passwd",
    "kennwort",
    "passphrase",
    "secret",
    "geheim",
    "product_key",
    "productkey",
    "produktschl",
    "lizenzschl",
    "license_key",
    "licence_key",
    "api_key",
    "apikey",
    "private_key",
    "credential",
    "zugangsdaten",
    "pincode",
    "access_key",
];
/// Whole words (between `_`) that make a value secret: too short to match inside words.
const SECRET_WORDS: [&str; 8] = ["pin", "pins", "token", "pwd", "pw", "tan", "puk", "otp"];

/// Whether a key with this name holds a secret; escapes in the name are decoded first.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let fold = |c: char| match c.to_ascii_lowercase() {
        '-' | '.' | ' ' => '_',
        c => c,
    };
    // Nearly every key folds to a short ASCII name: kept on the stack, without a String
    // per key (2.6 % of a 40,000-school build).
    let mut folded = [0u8; 64];
    let mut len = 0;
    for (c, _) in Decoded::new(name) {
        let c = fold(c);
        match folded.get_mut(len) {
            Some(slot) if c.is_ascii() => {
                // ASCII: the cast keeps the character.
                *slot = c as u8;
                len += 1;
            }
            _ => {
                let name: String = Decoded::new(name).map(|(c, _)| fold(c)).collect();
                return names_a_secret(&name);
            }
        }
    }
    std::str::from_utf8(&folded[..len]).is_ok_and(names_a_secret)
}

/// Whether a folded key name (lowercase, `_` for `-`, `.` and space) names a secret.
/// Remembered per thread: 40,000 school files use the same twenty names, and each
/// judgement runs ~25 substring searches.
fn names_a_secret(name: &str) -> bool {
    thread_local! {
        static JUDGED: RefCell<Judged> = RefCell::new(Judged::default());
    }
    JUDGED.with(|judged| judged.borrow_mut().judge(name))
}

/// Key names already judged, bounded in count and length.
#[derive(Default)]
struct Judged {
    names: HashMap<String, bool>,
}

impl Judged {
    /// Enough for every name of the school schema; a file of made-up names stops adding.
    const REMEMBERED: usize = 256;
    /// A key of 1 MB is judged, not kept: 256 of them would hold 256 MB per thread.
    const LONGEST_REMEMBERED: usize = 64;

    fn judge(&mut self, name: &str) -> bool {
        if let Some(&secret) = self.names.get(name) {
            return secret;
        }
        let secret = judge_name(name);
        if self.names.len() < Self::REMEMBERED && name.len() <= Self::LONGEST_REMEMBERED {
            self.names.insert(name.to_string(), secret);
        }
        secret
    }
}

fn judge_name(name: &str) -> bool {
    SECRET_PARTS.iter().any(|part| name.contains(part))
        || name
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| SECRET_WORDS.contains(&word))
}

/// Byte ranges of values assigned to a secret-named key, in any text: `password = "…"`,
/// `x = { pin = 1234 }`, `- **Passwort:** …`. A value runs to the end of its line, or
/// on to where a multi-line string, array or table opened on that line closes.
pub(super) fn values_in_lines(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(start) = secret_value_start(line) {
            let from = line_start + start;
            // `password= ` has its value start after the trailing space, past the trimmed end.
            let end = value_end(text, from, line_start + line.trim_end().len()).max(from);
            if text[from..end]
                .trim()
                .trim_matches(['"', '\'', '*'])
                .is_empty()
            {
                line_start += line.len();
                continue;
            }
            found.push(from..end);
        }
        line_start += line.len();
    }
    found
}

/// Where the first secret value on `line` starts (after its `=` or `:` and spaces).
fn secret_value_start(line: &str) -> Option<usize> {
    let key_start = first_key_start(line);
    for (sep, c) in line.char_indices().filter(|(_, c)| matches!(c, '=' | ':')) {
        let before = &line[..sep];
        // The key: what follows the start of the line, `{` or `,`, up to the separator.
        let from = before
            .rfind(['{', ',', '\t'])
            .map_or(key_start, |i| i + 1)
            .max(key_start)
            .min(sep);
        let key = before[from..]
            .trim()
            .trim_matches(['"', '\'', '`', '*', '_', ' ']);
        let plausible = !key.is_empty() && key.len() <= 60 && !key.contains(' ');
        if plausible && is_secret_name(key) {
            let after = sep + c.len_utf8();
            let value = &line[after..];
            return Some(after + (value.len() - value.trim_start().len()));
        }
    }
    None
}

/// Skip a Markdown list, quote or heading marker at the start of a line.
fn first_key_start(line: &str) -> usize {
    let trimmed = line.trim_start_matches([' ', '\t', '-', '+', '>', '#', '|']);
    let trimmed = trimmed.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    line.len() - trimmed.len()
}

/// The end of a value starting at `from` whose line ends at `line_end`: later for a
/// `"""`/`'''` string or a bracket that is still open at the end of the line.
fn value_end(text: &str, from: usize, line_end: usize) -> usize {
    let value = &text[from..];
    for quotes in ["\"\"\"", "'''"] {
        if let Some(body) = value.strip_prefix(quotes) {
            return body
                .find(quotes)
                .map_or(text.len(), |i| from + quotes.len() + i + quotes.len())
                .max(line_end);
        }
    }
    if !value.starts_with(['[', '{']) {
        return line_end;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (from + i + 1).max(line_end);
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// Byte ranges of the values of secret-named keys at any depth of a TOML document, and
/// of every string (value or key) that decodes to something with a product key in it.
/// Parsed with recovery, so a file with syntax errors is still searched.
pub(super) fn toml_secrets(source: &str) -> TomlSecrets {
    secrets_in(&Document::parse(source).root)
}

/// [`toml_secrets`] of a document parsed with recovery.
pub(super) fn secrets_in(document: &Spanned<DeTable<'_>>) -> TomlSecrets {
    let mut found = TomlSecrets::default();
    // An explicit stack: nesting depth is up to the file, the call stack is not.
    let mut stack = Vec::new();
    push_entries(document.get_ref(), false, &mut stack, &mut found);
    while let Some((value, secret)) = stack.pop() {
        if secret && !is_empty(value.get_ref()) {
            found.values.push(value.span());
        }
        match value.get_ref() {
            DeValue::String(s) if super::has_product_key(s) => found.keys.push(value.span()),
            DeValue::Array(items) => stack.extend(items.iter().map(|v| (v, secret))),
            DeValue::Table(table) => push_entries(table, secret, &mut stack, &mut found),
            _ => {}
        }
    }
    found.keys.sort_by_key(|r| r.start);
    found.values.sort_by_key(|r| r.start);
    found
}

/// Queue a table's values, each marked secret if it or a table around it has a secret name.
fn push_entries<'a, 'i>(
    table: &'a DeTable<'i>,
    secret: bool,
    stack: &mut Vec<(&'a Spanned<DeValue<'i>>, bool)>,
    found: &mut TomlSecrets,
) {
    for (key, value) in table.iter() {
        if super::has_product_key(key.get_ref()) {
            found.keys.push(key.span());
        }
        stack.push((value, secret || is_secret_name(key.get_ref())));
    }
}

fn is_empty(value: &DeValue) -> bool {
    match value {
        DeValue::String(s) => s.trim().is_empty(),
        DeValue::Array(a) => a.is_empty(),
        DeValue::Table(t) => t.is_empty(),
        _ => false,
    }
}

/// What [`toml_secrets`] found, as byte ranges of the source.
#[derive(Default, Debug)]
pub(super) struct TomlSecrets {
    /// Strings (values or keys) that decode to text holding a product key.
    pub keys: Vec<Range<usize>>,
    /// Values of secret-named keys.
    pub values: Vec<Range<usize>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_key_with_only_spaces_after_it_is_no_value() {
        assert!(values_in_lines("password= ").is_empty());
        assert!(values_in_lines("password=  \nname = 1").is_empty());
    }

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "Admin_Passwort",
            "\"pass\\u0077ord\"",
            "product-key",
            "productKey",
            "pin",
            "user.pin",
            "api-token",
            "client_secret",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "key_suffixes",
            "shipping",
            "mapping",
            "name",
            "vl_admins",
            "tokens_left",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn short_ascii_names_are_judged_as_the_decoder_reads_them() {
        let decoded = |name: &str| {
            let folded: String = Decoded::new(name)
                .map(|(c, _)| match c.to_ascii_lowercase() {
                    '-' | '.' | ' ' => '_',
                    c => c,
                })
                .collect();
            judge_name(&folded)
        };
        let long = format!("{}pin", "x.".repeat(31));
        for name in [
            "PIN",
            "User Pin",
            "user\tpin",
            "tan",
            "TaN.x",
            "a-otp-b",
            "Pass.Word",
            "pass word",
            "pw",
            "pwd2",
            "x",
            "",
            "pinata",
            "e.tan_x",
            &long,
            &long[1..],
            "%70in",
            "&#112;in",
        ] {
            // Twice: the second answer is the remembered one.
            assert_eq!(is_secret_name(name), decoded(name), "{name:?}");
            assert_eq!(is_secret_name(name), decoded(name), "{name:?}");
        }
        assert!(is_secret_name("User Pin") && is_secret_name(&long));
    }

    #[test]
    fn the_memo_of_judged_names_is_bounded_in_count_and_length() {
        let mut judged = Judged::default();
        let long = "p".repeat(Judged::LONGEST_REMEMBERED + 1);
        assert!(!judged.judge(&long) && judged.names.is_empty());
        for i in 0..1_000 {
            assert!(!judged.judge(&format!("key_{i}")));
        }
        assert_eq!(judged.names.len(), Judged::REMEMBERED);
        // Past the bound a name is still judged, just not kept.
        assert!(judged.judge("admin_password") && !judged.names.contains_key("admin_password"));
    }

    #[test]
    fn values_anywhere_on_a_line() {
        let text =
            "x = { a = 1, password = \"hunter2\" }\nname = \"x\"\n- **Passwort:** geheim123\n";
        let found: Vec<&str> = values_in_lines(text)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(found, vec!["\"hunter2\" }", "** geheim123"]);
    }

    #[test]
    fn multi_line_values_are_followed_to_their_end() {
        let text = "pin = [\n  1234,\n  5678,\n]\nname = \"x\"\n";
        let found = values_in_lines(text);
        assert_eq!(&text[found[0].clone()], "[\n  1234,\n  5678,\n]");
    }

    #[test]
    fn mentions_are_not_values() {
        assert!(values_in_lines("Das Passwort steht im Tresor.\n").is_empty());
        assert!(values_in_lines("unknown field `password`, expected `name`").is_empty());
        assert!(values_in_lines("Das Passwort: steht im Tresor").is_empty());
    }

    #[test]
    fn toml_values_at_any_depth() {
        let text =
            "[contract]\nx = { \"pass\\u0077ord\" = \"hunter2\" }\n[[licenses]]\npin = 1234\n";
        let found = toml_secrets(text);
        let values: Vec<&str> = found.values.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(values, vec!["\"hunter2\"", "1234"]);
        let text = "name = \"S 7QX2K\\u002DABCD3\\u002DEFGH4\\u002DJKLM5\\u002DNPQR6\"\n";
        assert_eq!(toml_secrets(text).keys.len(), 1);
    }
}
