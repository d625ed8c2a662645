//! The text as a reader would see it: escapes and entities decoded, every dash one `-`,
//! every space one ` `, invisible characters gone. Each character keeps the byte range
//! of the source it came from, so a find can be pointed at and blanked out.
//!
//! Decoding is deliberately generous (TOML, JSON and Markdown escapes, HTML entities and
//! URL escapes, in any file): decoding too much can only find more, and whatever decodes
//! to a product key is one to whoever reads it.

use std::ops::Range;

/// What one source character (or escape) stands for.
enum Meaning {
    Char(char),
    /// Zero-width: a reader sees nothing (soft hyphen, zero-width space …).
    Nothing,
}

/// Every decoded character of `text` with the byte range it was written as.
pub(super) struct Decoded<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Decoded<'a> {
    pub(super) fn new(text: &'a str) -> Decoded<'a> {
        Decoded { text, pos: 0 }
    }
}

impl Iterator for Decoded<'_> {
    type Item = (char, Range<usize>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let start = self.pos;
            // Fast path: plain ASCII, which is nearly all of every output.
            let byte = *self.text.as_bytes().get(start)?;
            if byte.is_ascii() && !matches!(byte, b'&' | b'\\' | b'%') {
                self.pos += 1;
                let c = if byte.is_ascii_whitespace() {
                    ' '
                } else {
                    char::from(byte)
                };
                return Some((c, start..start + 1));
            }
            let rest = self.text.get(start..)?;
            let c = rest.chars().next()?;
            let (meaning, len) = match c {
                '&' => entity(rest).unwrap_or((Meaning::Char('&'), 1)),
                '\\' => escape(rest).unwrap_or((Meaning::Char('\\'), 1)),
                '%' => percent(rest).unwrap_or((Meaning::Char('%'), 1)),
                c => (Meaning::Char(c), c.len_utf8()),
            };
            self.pos = start + len;
            if let Meaning::Char(c) = meaning {
                if let Some(c) = normalise(c) {
                    return Some((c, start..self.pos));
                }
            }
        }
    }
}

/// The decoded character at byte `pos` (invisible ones skipped) with the bytes it was
/// written as; `None` when nothing visible is left.
#[inline]
pub(super) fn decode_at(text: &str, pos: usize) -> Option<(char, Range<usize>)> {
    Decoded { text, pos }.next()
}

/// What [`Items`] yields: one decoded character, or a run of ASCII letters and digits
/// written as they are (most of any text), which a matcher takes in one step.
pub(super) enum Item {
    Char(char, Range<usize>),
    /// `len` letters and digits at `at` (one byte each); `digit`: at least one digit.
    Run {
        at: Range<usize>,
        len: usize,
        digit: bool,
    },
}

/// The decoded characters of a text like [`Decoded`], with plain letter-and-digit runs
/// as one [`Item::Run`] each: the same characters, fed faster.
pub(super) struct Items<'a> {
    decoded: Decoded<'a>,
}

impl<'a> Items<'a> {
    pub(super) fn new(text: &'a str) -> Items<'a> {
        Items {
            decoded: Decoded::new(text),
        }
    }
}

impl Iterator for Items<'_> {
    type Item = Item;

    #[inline]
    fn next(&mut self) -> Option<Item> {
        let bytes = self.decoded.text.as_bytes();
        let start = self.decoded.pos;
        let len = bytes
            .get(start..)?
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            let (c, at) = self.decoded.next()?;
            return Some(Item::Char(c, at));
        }
        let end = start + len;
        self.decoded.pos = end;
        let digit = bytes[start..end].iter().any(u8::is_ascii_digit);
        Some(Item::Run {
            at: start..end,
            len,
            digit,
        })
    }
}

/// One `-` for every dash, one ` ` for every space, ASCII for full-width forms, `None`
/// for what is invisible.
pub(super) fn normalise(c: char) -> Option<char> {
    match c {
        c if c.is_ascii() && !c.is_ascii_whitespace() => Some(c),
        '\u{2010}'..='\u{2015}' // hyphen, non-breaking hyphen, figure dash, en, em, bar
        | '\u{2212}' // minus sign
        | '\u{2043}' // hyphen bullet
        | '\u{2E3A}' | '\u{2E3B}' // two- and three-em dash
        | '\u{FE58}' | '\u{FE63}' // small em dash, small hyphen-minus
        | '\u{058A}' | '\u{1806}' | '\u{30A0}' => Some('-'),
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => None,
        // Full-width `！`…`～` (including `－` and full-width letters and digits).
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).and_then(normalise),
        c if c.is_whitespace() => Some(' '),
        c => Some(c),
    }
}

/// `&#45;`, `&#x2d;`, `&ndash;` …: the character and the length of the reference.
fn entity(rest: &str) -> Option<(Meaning, usize)> {
    let body = rest.get(1..)?;
    if let Some(number) = body.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (number, 10, 2),
        };
        let len = digits
            .bytes()
            .take(8)
            .take_while(|b| char::from(*b).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let code = u32::from_str_radix(&digits[..len], radix).ok()?;
        // Browsers accept a numeric reference without its `;`.
        let semicolon = usize::from(digits[len..].starts_with(';'));
        let meaning = char::from_u32(code).map_or(Meaning::Nothing, Meaning::Char);
        return Some((meaning, skip + len + semicolon));
    }
    let len = body
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if !body[len..].starts_with(';') {
        return None;
    }
    let meaning = match &body[..len] {
        "hyphen" | "dash" | "ndash" | "mdash" | "horbar" | "minus" | "hybull"
        | "HorizontalLine" => Meaning::Char('-'),
        "nbsp" | "ensp" | "emsp" | "emsp13" | "emsp14" | "numsp" | "puncsp" | "thinsp"
        | "hairsp" | "MediumSpace" | "NewLine" | "Tab" | "NonBreakingSpace" => Meaning::Char(' '),
        "shy" | "zwj" | "zwnj" | "ZeroWidthSpace" | "NoBreak" | "lrm" | "rlm"
        | "InvisibleTimes" | "InvisibleComma" | "ApplyFunction" | "it" | "ic" | "af" => {
            Meaning::Nothing
        }
        "amp" => Meaning::Char('&'),
        "lt" => Meaning::Char('<'),
        "gt" => Meaning::Char('>'),
        "quot" => Meaning::Char('"'),
        "apos" => Meaning::Char('\''),
        _ => return None,
    };
    Some((meaning, 1 + len + 1))
}

/// `\u002D`, `\U0000002D`, `\u{2d}`, `\x2d`, `\n`, `\-` (TOML, JSON, JS and Markdown).
fn escape(rest: &str) -> Option<(Meaning, usize)> {
    let next = rest.get(1..)?.chars().next()?;
    let hex = |from: usize, len: usize| -> Option<char> {
        let digits = rest.get(from..from + len)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        char::from_u32(u32::from_str_radix(digits, 16).ok()?)
    };
    match next {
        'u' if rest.get(2..3) == Some("{") => {
            let len = rest.get(3..)?.find('}')?;
            (len <= 6).then_some(())?;
            Some((Meaning::Char(hex(3, len)?), 3 + len + 1))
        }
        'u' => Some((Meaning::Char(hex(2, 4)?), 6)),
        'U' => Some((Meaning::Char(hex(2, 8)?), 10)),
        'x' => Some((Meaning::Char(hex(2, 2)?), 4)),
        'n' | 'r' | 't' | 'f' | 'b' => Some((Meaning::Char(' '), 2)),
        // A TOML line-ending backslash: the string goes on after the line break.
        c if c.is_whitespace() => Some((Meaning::Char(' '), 1 + c.len_utf8())),
        c if c.is_ascii_punctuation() => Some((Meaning::Char(c), 2)),
        _ => None,
    }
}

/// `%2D` in a URL (ASCII only: the escapes a key could hide in).
fn percent(rest: &str) -> Option<(Meaning, usize)> {
    let digits = rest.get(1..3)?;
    let code = u8::from_str_radix(digits, 16).ok()?;
    code.is_ascii()
        .then(|| (Meaning::Char(char::from(code)), 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> String {
        Decoded::new(text).map(|(c, _)| c).collect()
    }

    #[test]
    fn decodes_escapes_entities_and_dashes() {
        assert_eq!(decoded("a\\u002Db"), "a-b");
        assert_eq!(decoded("a\\U0000002db"), "a-b");
        assert_eq!(decoded("a&#45;b&#x2D;c&ndash;d&hyphen;e"), "a-b-c-d-e");
        assert_eq!(
            decoded("a\u{2013}b\u{2014}c\u{2212}d\u{2011}e\u{2012}f"),
            "a-b-c-d-e-f"
        );
        assert_eq!(decoded("a\u{00AD}b\u{200B}c"), "abc");
        assert_eq!(decoded("a\n\u{00A0}b"), "a  b");
        assert_eq!(decoded("\u{FF21}\u{FF0D}\u{FF11}"), "A-1");
        assert_eq!(decoded("a%2Db"), "a-b");
        assert_eq!(decoded("a\\-b"), "a-b");
    }

    #[test]
    fn keeps_what_is_not_an_escape() {
        assert_eq!(
            decoded("a & b; 100% \\q &unknown; &#;"),
            "a & b; 100% \\q &unknown; &#;"
        );
    }

    #[test]
    fn items_are_the_decoded_characters_with_runs_joined() {
        let text = "ab1&#67;D x\\u002d%41 Zz9";
        let mut from_items = Vec::new();
        for item in Items::new(text) {
            match item {
                Item::Char(c, at) => from_items.push((c, at)),
                Item::Run { at, len, .. } => {
                    assert_eq!(at.len(), len);
                    for (i, b) in text[at.clone()].bytes().enumerate() {
                        from_items.push((char::from(b), at.start + i..at.start + i + 1));
                    }
                }
            }
        }
        assert_eq!(from_items, Decoded::new(text).collect::<Vec<_>>());
    }

    #[test]
    fn ranges_point_at_the_source() {
        let text = "x&#45;y";
        let ranges: Vec<_> = Decoded::new(text).map(|(_, r)| r).collect();
        assert_eq!(ranges, vec![0..1, 1..6, 6..7]);
    }
}
