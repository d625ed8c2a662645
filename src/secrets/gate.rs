//! The last check before anything is written: the text of every output, read as a
//! browser or the PDF template will read it, holds no product key. Sources are checked
//! when they are read; this catches what only exists after rendering (a key put together
//! by a template, or spelled with entities, escapes or other dashes).

use super::decode::decode_at;
use super::keys::{Class, KeyTable};

/// How an output is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A page: the text a reader sees (tags removed, so `7QX2K-<b>ABCD3</b>-…` is one
    /// key) and everything else too (attributes, scripts).
    Html,
    /// The search index or the PDF template's data: JSON strings, escapes decoded.
    Json,
}

/// Whether one output holds a product key, in one pass over its bytes. Runs of letters
/// and digits and plain ASCII are read as they are; only `&`, `\`, `%` and non-ASCII
/// bytes go through the decoder. For a page, the text between tags is read as one (tags
/// vanish, as on screen) and the inside of every tag on its own (attributes, URLs).
pub(crate) fn has_product_key(text: &str, format: Format) -> bool {
    let table = KeyTable::get();
    let bytes = text.as_bytes();
    let html = format == Format::Html;
    // The state of the text being read: the page's text, or (between `<` and `>`) the
    // tag's inside, while `outside` keeps the text's state for after the tag.
    let mut state = KeyTable::START;
    let mut outside = KeyTable::START;
    let mut in_tag = false;
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        let code = BYTES[usize::from(byte)];
        // Two plain bytes (nearly every pair) in one step of the pair table.
        if let Some(&second) = bytes.get(pos + 1) {
            let next = BYTES[usize::from(second)];
            if code < OPEN && next < OPEN {
                state = table.step_pair(state, code, next);
                if state == KeyTable::FOUND {
                    return true;
                }
                pos += 2;
                continue;
            }
        }
        pos += 1;
        let class = if code < OPEN {
            // Nearly every byte: one look-up, no branch on the text.
            code
        } else if code == OPEN && html && !in_tag && bytes.get(pos).is_some_and(opens_tag) {
            in_tag = true;
            outside = std::mem::replace(&mut state, KeyTable::START);
            continue;
        } else if code == CLOSE && in_tag {
            // The end of a tag ends whatever the tag held.
            let closed = table.step(table.step(state, Class::Space), Class::Other);
            if closed == KeyTable::FOUND {
                return true;
            }
            in_tag = false;
            state = outside;
            continue;
        } else if code == ESCAPED {
            let Some((c, at)) = decode_at(text, pos - 1) else {
                break;
            };
            if at.len() == 1 && at.start >= pos {
                // Only invisible characters were skipped: read the plain byte after
                // them as such (it may be a `<` that opens a tag).
                pos = at.start;
                continue;
            }
            pos = at.end;
            // Decoded, even a `<` or `>` is text.
            Class::of(c) as u8
        } else {
            Class::Other as u8
        };
        state = table.step_code(state, class);
        if state == KeyTable::FOUND {
            return true;
        }
    }
    table.ends_with_key(state) || (in_tag && table.ends_with_key(outside))
}

/// What a byte of an output is to the gate: a [`Class`] (ASCII that stands for itself,
/// whitespace as a space), or one of these.
const OPEN: u8 = 5;
const CLOSE: u8 = 6;
/// `&`, `\\`, `%` and non-ASCII: through the decoder.
const ESCAPED: u8 = 7;

/// Every byte's meaning, looked up instead of branched on.
const BYTES: [u8; 256] = {
    let mut bytes = [ESCAPED; 256];
    let mut b = 0;
    while b < 128 {
        // As the decoder reads it: ASCII whitespace is a space.
        let c = if (b as u8).is_ascii_whitespace() {
            ' '
        } else {
            b as u8 as char
        };
        bytes[b] = Class::of(c) as u8;
        b += 1;
    }
    bytes[b'<' as usize] = OPEN;
    bytes[b'>' as usize] = CLOSE;
    bytes[b'&' as usize] = ESCAPED;
    bytes[b'\\' as usize] = ESCAPED;
    bytes[b'%' as usize] = ESCAPED;
    bytes
};

/// A byte after `<` that makes it a tag (`<b`, `</`, `<!`), not a lone less-than sign.
fn opens_tag(byte: &u8) -> bool {
    byte.is_ascii_alphabetic() || *byte == b'/' || *byte == b'!'
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::ops::Range;

    use crate::secrets::decode::Decoded;
    use crate::secrets::keys::Chains;

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
            if !self.in_tag && raw && c == '<' && self.bytes.get(at.end).is_some_and(opens_tag) {
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

    /// The gate fed one character at a time, as it was before runs: the reference.
    fn one_by_one(text: &str, format: Format) -> Vec<Range<usize>> {
        let mut reader = Reader::new(text, format);
        for (c, at) in Decoded::new(text) {
            reader.push(c, at);
        }
        reader.keys()
    }

    /// Texts shaped like keys often enough to find some: groups (some spelled with
    /// escapes, tags or full-width letters, some a letter short or long), dashes in every
    /// spelling, and markup, escapes and lone brackets between them.
    fn key_like_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let groups = prop::sample::select(vec![
            "7QX2K",
            "ABCDE",
            "12345",
            "abcd3",
            "AB&#67;DE",
            "A\\u0042CD1",
            "ABC<b>DE",
            "AB</i>C&shy;DE",
            "\u{ff21}BCD1",
            "ABCD",
            "ABCDEF",
            "A%42CDE",
        ]);
        let dashes = prop::sample::select(vec![
            "-", " - ", "&#45;", "&ndash;", "\u{2013}", "-\n", "<b>-</b>", "--", " ", "\\u002d",
            "%2D", "-&shy;", "\u{ad}-", "\u{ff0d}", "-<br>",
        ]);
        let noise = prop::sample::select(vec![
            "<a href=\"",
            "\">",
            ">",
            "<",
            "<!",
            "<1",
            "&lt;",
            "&gt;",
            "\"",
            "=",
            "é",
            "&",
            "%",
            "\\",
            "x",
            "1",
            "\t",
            ";",
        ]);
        let between = prop_oneof![6 => dashes, 1 => noise];
        prop::collection::vec((groups, between), 0..16).prop_map(|pieces| {
            pieces
                .into_iter()
                .flat_map(|(group, after)| [group, after])
                .collect()
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_gate_finds_what_the_one_by_one_reference_finds(text in key_like_text()) {
            for format in [Format::Html, Format::Json] {
                proptest::prop_assert_eq!(
                    has_product_key(&text, format),
                    !one_by_one(&text, format).is_empty(),
                    "{:?} {:?}", format, text
                );
            }
            // What `secrets::has_product_key` relies on: read as JSON, the gate agrees
            // with the matcher that places each key (`product_keys`).
            proptest::prop_assert_eq!(
                has_product_key(&text, Format::Json),
                !crate::secrets::product_keys(&text).is_empty(),
                "{:?}", text
            );
        }
    }

    /// The texts above are no straw man: many of them hold a key.
    #[test]
    fn key_like_texts_often_hold_keys() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = key_like_text();
        let found = (0..500)
            .filter(|_| {
                strategy
                    .new_tree(&mut runner)
                    .is_ok_and(|tree| !one_by_one(&tree.current(), Format::Html).is_empty())
            })
            .count();
        assert!((25..475).contains(&found), "{found} of 500");
    }

    #[test]
    fn edge_cases_agree_with_the_reference() {
        let texts = [
            // A key that ends where its tag ends.
            "<a 7QX2K-ABCD3-EFGH4-JKLM5-NPQR6>",
            // A tag after an invisible character still vanishes.
            "7QX2K-AB\u{ad}<b>CD3</b>-EFGH4-JKLM5-NPQR6",
            "7QX2K-AB&shy;<b>CD3</b>-EFGH4-JKLM5-NPQR6",
            // A page cut off inside a tag: both the tag and the text before it count.
            "7QX2K-ABCD3-EFGH4-JKLM5-NPQR6<b",
            "<b 7QX2K-ABCD3-EFGH4-JKLM5-NPQR6",
            "&lt;b>7QX2K-ABCD3-EFGH4-JKLM5-NPQR6",
        ];
        for text in texts {
            for format in [Format::Html, Format::Json] {
                let reference = !one_by_one(text, format).is_empty();
                assert_eq!(
                    has_product_key(text, format),
                    reference,
                    "{format:?} {text}"
                );
            }
            assert!(has_product_key(text, Format::Html), "{text}");
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
