//! The last check before anything is written: the text of every output, read as a
//! browser or the PDF template will read it, holds no product key. Sources are checked
//! when they are read; this catches what only exists after rendering (a key put together
//! by a template, or spelled with entities, escapes or other dashes).

use std::ops::Range;

use super::decode::{Item, Items};
use super::keys::Chains;

/// How an output is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A page: the text a reader sees (tags removed, so `7QX2K-<b>ABCD3</b>-…` is one
    /// key) and everything else too (attributes, scripts).
    Html,
    /// The search index or the PDF template's data: JSON strings, escapes decoded.
    Json,
}

/// Byte ranges of the product keys in one output, in one linear pass.
pub(crate) fn product_keys(text: &str, format: Format) -> Vec<Range<usize>> {
    let mut reader = Reader::new(text, format);
    for item in Items::new(text) {
        match item {
            // Letters and digits neither open nor close a tag.
            Item::Run { at, len, digit } => reader.chains().push_run(at, len, digit),
            Item::Char(c, at) => reader.push(c, at),
        }
    }
    reader.keys()
}

/// The matchers of one output. For a page, the text between tags is read as one (tags
/// vanish, as on screen) and the inside of every tag on its own (attributes, URLs).
struct Reader<'a> {
    bytes: &'a [u8],
    format: Format,
    text_chains: Chains,
    tag_chains: Chains,
    in_tag: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, format: Format) -> Reader<'a> {
        Reader {
            bytes: text.as_bytes(),
            format,
            text_chains: Chains::default(),
            tag_chains: Chains::default(),
            in_tag: false,
        }
    }

    /// The matcher a letter or digit goes to now.
    fn chains(&mut self) -> &mut Chains {
        if self.in_tag && self.format == Format::Html {
            &mut self.tag_chains
        } else {
            &mut self.text_chains
        }
    }

    /// One decoded character written at `at`.
    fn push(&mut self, c: char, at: Range<usize>) {
        if self.format == Format::Json {
            self.text_chains.push(c, at);
            return;
        }
        // Only a `<` written as such opens a tag; `&lt;` is text.
        let raw = at.len() == 1;
        let opens = |b: &u8| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!';
        if !self.in_tag && raw && c == '<' && self.bytes.get(at.end).is_some_and(opens) {
            self.in_tag = true;
        } else if self.in_tag && raw && c == '>' {
            self.in_tag = false;
            // The end of a tag ends whatever the tag held.
            self.tag_chains.push(' ', at.clone());
            self.tag_chains.push('>', at);
        } else {
            self.chains().push(c, at);
        }
    }

    fn keys(self) -> Vec<Range<usize>> {
        let mut keys = self.text_chains.keys();
        keys.extend(self.tag_chains.keys());
        keys.sort_by_key(|k| (k.start, k.end));
        keys
    }
}

pub(crate) fn has_product_key(text: &str, format: Format) -> bool {
    !product_keys(text, format).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::secrets::decode::Decoded;

    /// The gate fed one character at a time, as it was before runs: the reference.
    fn one_by_one(text: &str, format: Format) -> Vec<Range<usize>> {
        let mut reader = Reader::new(text, format);
        for (c, at) in Decoded::new(text) {
            reader.push(c, at);
        }
        reader.keys()
    }

    proptest::proptest! {
        #[test]
        fn the_gate_finds_what_the_one_by_one_reference_finds(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "ABCDE", "12345", "7QX2K", "abcd3", "-", " - ", "\u{2013}", "&#45;", "&ndash;",
                "<b>", "</b>", "<a href=\"x/", "\">", "&lt;", "<", ">", "\\u002d", "%2D",
                "é", "&#65;", " ", "\n", "=",
            ]),
            0..40,
        )) {
            let text: String = pieces.concat();
            for format in [Format::Html, Format::Json] {
                proptest::prop_assert_eq!(product_keys(&text, format), one_by_one(&text, format));
            }
        }
    }

    #[test]
    fn finds_keys_across_tags_and_in_attributes() {
        let page = "<p>7QX2K-<em>ABCD3</em>&#45;EFGH4&ndash;JKLM5-\nNPQR6</p>";
        assert!(has_product_key(page, Format::Html));
        let link = "<a href=\"https://x/7QX2K-ABCD3-EFGH4-JKLM5-NPQR6\">Link</a>";
        assert!(has_product_key(link, Format::Html));
        assert!(!has_product_key(page, Format::Json));
    }

    #[test]
    fn finds_escaped_keys_in_json() {
        let json = r#"{"c":"7QX2K\u002dABCD3\u2013EFGH4-JKLM5-\nNPQR6"}"#;
        assert!(has_product_key(json, Format::Json));
    }

    #[test]
    fn text_with_markup_is_no_key() {
        let page = "<li>7QX2K</li>\n<li>ABCD3</li><li>EFGH4</li><li>JKLM5</li><li>NPQR6</li>";
        assert!(!has_product_key(page, Format::Html));
        let guid = "<td>3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21</td><td>2026-11-25</td>";
        assert!(!has_product_key(guid, Format::Html));
    }
}
