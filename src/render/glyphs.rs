//! Whether the handout can print a character: the PDF is set in the fonts the print
//! World loads ([`crate::render::fonts::bundled`]), and PDF/UA-1 and
//! PDF/A-2a refuse a character none of them has. Such a character is an error of both
//! outputs alike, at the place it is written, like an image the PDF cannot embed
//! ([`crate::render::image_check`]): a handbook never exists without its handout.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use typst::text::is_default_ignorable;

use crate::diagnostics::Diagnostic;

/// What the bundled fonts cover, built once on first use.
struct Coverage {
    /// Every code point some font has a glyph for, sorted.
    chars: Vec<u32>,
    /// The font families, as the note names them.
    families: Vec<String>,
}

fn coverage() -> &'static Coverage {
    static COVERAGE: OnceLock<Coverage> = OnceLock::new();
    COVERAGE.get_or_init(|| {
        let fonts = crate::render::fonts::bundled();
        let mut chars: Vec<u32> = fonts
            .iter()
            .flat_map(|font| font.info().coverage.iter())
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let families: BTreeSet<String> = fonts.iter().map(|f| f.info().family.clone()).collect();
        Coverage {
            chars,
            families: families.into_iter().collect(),
        }
    })
}

/// Whether the handout shows `c` without a glyph of its own: whitespace, control
/// characters and default-ignorables (zero-width joiners, variation selectors, soft
/// hyphens) are laid out or dropped by Typst, never drawn as a missing glyph.
fn needs_no_glyph(c: char) -> bool {
    c.is_ascii() || c.is_whitespace() || c.is_control() || is_default_ignorable(c)
}

/// Whether some bundled font has a glyph for `c`, or it needs none.
pub(crate) fn printable(c: char) -> bool {
    needs_no_glyph(c) || coverage().chars.binary_search(&u32::from(c)).is_ok()
}

/// The first character of `text` the handout cannot print, with its byte offset.
/// ASCII text is never looked up, so a build without other letters never loads the fonts.
pub(crate) fn first_missing(text: &str) -> Option<(usize, char)> {
    let mut at = 0;
    loop {
        at += next_non_ascii(text.as_bytes().get(at..)?)?;
        let c = text.get(at..)?.chars().next()?;
        if !printable(c) {
            return Some((at, c));
        }
        at += c.len_utf8();
    }
}

/// Where the first byte of `bytes` past ASCII is. Most text is ASCII: whole blocks are
/// tested at once (word by word), and only a block with another byte is searched.
fn next_non_ascii(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut offset = 0;
    for block in bytes.chunks(BLOCK) {
        if !block.is_ascii() {
            return Some(offset + block.iter().position(|b| !b.is_ascii())?);
        }
        offset += block.len();
    }
    None
}

/// Every character of `text` the handout cannot print, once each, in order.
pub(crate) fn all_missing(text: &str) -> Vec<char> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some((at, c)) = first_missing(rest) {
        if !found.contains(&c) {
            found.push(c);
        }
        rest = &rest[at + c.len_utf8()..];
    }
    found
}

/// Where Markdown `text` writes `c`: the character itself, else a numeric character
/// reference to it (`&#3334;`, `&#xD06;`), as a byte range.
pub(crate) fn written_in(text: &str, c: char) -> Option<std::ops::Range<usize>> {
    if let Some(at) = text.find(c) {
        return Some(at..at + c.len_utf8());
    }
    text.match_indices("&#").find_map(|(at, _)| {
        let rest = &text[at + 2..];
        let (digits, radix, skip) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (rest, 10, 2),
        };
        let len = digits.find(';')?;
        let code = u32::from_str_radix(&digits[..len], radix).ok()?;
        (code == u32::from(c)).then_some(at..at + skip + len + 1)
    })
}

/// A Fluent file's characters the handout cannot print, each once, where it is first
/// written outside a comment: the handout prints the theme's strings.
pub(crate) fn fluent_problems(text: &str, shown: &Path) -> Vec<Diagnostic> {
    let source: Arc<str> = Arc::from(text);
    let mut found: Vec<char> = Vec::new();
    let mut problems = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let line_start = start;
        start += line.len();
        if line.trim_start().starts_with('#') {
            continue;
        }
        for c in all_missing(line) {
            if found.contains(&c) {
                continue;
            }
            found.push(c);
            let at = line.find(c).map_or(0, |at| line_start + at);
            problems.push(
                Diagnostic::error(shown, message(c))
                    .with_kind("no-glyph")
                    .at(&source, at..at + c.len_utf8())
                    .with_label("not in the handout's fonts")
                    .with_note(note()),
            );
        }
    }
    problems
}

/// The message for a character the handout cannot print.
pub(crate) fn message(c: char) -> String {
    format!(
        "the handout's fonts have no glyph for \"{c}\" (U+{:04X})",
        u32::from(c)
    )
}

/// What to do about it, naming the fonts the handout is set in.
pub(crate) fn note() -> String {
    format!(
        "the PDF handout is set in the fonts bundled with handbuch ({}), and PDF/UA-1 refuses \
         text it cannot show; write it differently (another character, or words); the \
         theme cannot add fonts",
        coverage().families.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_common_letters_are_printable() {
        let text = "äöüÄÖÜß € „Zitat“ – … é ñ αβγ Ωμέγα Привет ё № ©®™ ½ °";
        assert_eq!(first_missing(text), None);
    }

    #[test]
    fn malayalam_is_not_printable() {
        assert_eq!(first_missing("a ആ b"), Some((2, 'ആ')));
    }

    #[test]
    fn a_character_is_found_as_written_or_as_a_numeric_reference() {
        assert_eq!(written_in("a ആ", 'ആ'), Some(2..5));
        assert_eq!(written_in("&#35; &#XD06; x", 'ആ'), Some(6..13));
        assert_eq!(written_in("&#3334;", 'ആ'), Some(0..7));
        assert_eq!(written_in("&auml;", 'ആ'), None);
        assert_eq!(all_missing("ആ a ആ ಫ"), vec!['ആ', 'ಫ']);
    }

    #[test]
    fn a_missing_character_is_found_in_any_block() {
        // Before, inside and after the 64-byte blocks, behind printable non-ASCII.
        for ascii in [0, 1, 63, 64, 65, 200] {
            let text = format!("{}ä{}ആ x", "a".repeat(ascii), "b".repeat(ascii));
            let at = 2 * ascii + 'ä'.len_utf8();
            assert_eq!(first_missing(&text), Some((at, 'ആ')), "{ascii}");
            assert_eq!(first_missing(&text[..at]), None);
        }
    }

    #[test]
    fn joiners_selectors_and_spaces_need_no_glyph() {
        let text = "a\u{200D}b\u{FE0F}c\u{00AD}d\u{00A0}e\u{2009}f\u{200B}g\t\n";
        assert_eq!(first_missing(text), None);
    }
}
