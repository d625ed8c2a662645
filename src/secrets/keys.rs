//! Product keys in decoded text: five groups of five letters or digits, joined by one
//! dash each (spaces and line breaks around the dash allowed), at least one digit.
//!
//! The matcher is fed one decoded character at a time, so a whole output is checked in
//! one pass without building a second copy of it.

use std::ops::Range;

use super::decode::Item;

pub(super) const KEY_GROUPS: usize = 5;
pub(super) const GROUP_LEN: usize = 5;

/// A maximal run of five letters or digits.
#[derive(Clone)]
struct Group {
    span: Range<usize>,
    has_digit: bool,
}

/// What has been seen since the last group ended.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Gap {
    /// Nothing yet: the group just ended (or there is no group).
    None,
    /// Spaces and exactly one dash: the next group may join the chain.
    Dash,
    /// Spaces only, or more than one dash, or anything else: the chain ends.
    Broken,
}

/// Groups joined by dashes, found in a stream of decoded characters.
#[derive(Default)]
pub(super) struct Chains {
    chain: Vec<Group>,
    gap: Option<Gap>,
    /// The run of letters and digits being read: where, how long, whether with a digit.
    run: Range<usize>,
    run_len: usize,
    run_digit: bool,
    /// The run started right after a dash gap: it may continue the chain.
    run_joins: bool,
    /// Every finished chain of two or more groups.
    found: Vec<Vec<Group>>,
}

impl Chains {
    #[inline]
    pub(super) fn push(&mut self, c: char, at: Range<usize>) {
        if c.is_ascii_alphanumeric() {
            if self.run_len == 0 {
                self.run_joins = self.gap == Some(Gap::Dash);
                self.run.start = at.start;
                self.run_digit = false;
            }
            self.run.end = at.end;
            self.run_digit |= c.is_ascii_digit();
            self.run_len += 1;
            return;
        }
        self.end_run();
        self.gap = match (self.gap, c) {
            (None, _) => None,
            (Some(Gap::None), '-') => Some(Gap::Dash),
            (Some(gap @ (Gap::None | Gap::Dash)), ' ') => Some(gap),
            _ => Some(Gap::Broken),
        };
        if self.gap == Some(Gap::Broken) {
            self.end_chain();
            self.gap = None;
        }
    }

    /// A run of `len` letters and digits at `at`: the same as pushing each of them.
    #[inline]
    pub(super) fn push_run(&mut self, at: Range<usize>, len: usize, digit: bool) {
        if self.run_len == 0 {
            self.run_joins = self.gap == Some(Gap::Dash);
            self.run.start = at.start;
            self.run_digit = false;
        }
        self.run.end = at.end;
        self.run_digit |= digit;
        self.run_len += len;
    }

    /// One item of [`Items`](super::decode::Items).
    #[inline]
    pub(super) fn push_item(&mut self, item: Item) {
        match item {
            Item::Char(c, at) => self.push(c, at),
            Item::Run { at, len, digit } => self.push_run(at, len, digit),
        }
    }

    fn end_run(&mut self) {
        if self.run_len == 0 {
            return;
        }
        let is_group = std::mem::take(&mut self.run_len) == GROUP_LEN;
        if !is_group {
            self.end_chain();
            self.gap = None;
            return;
        }
        if !self.run_joins {
            self.end_chain();
        }
        self.chain.push(Group {
            span: self.run.clone(),
            has_digit: self.run_digit,
        });
        self.gap = Some(Gap::None);
    }

    fn end_chain(&mut self) {
        if self.chain.len() >= 2 {
            self.found.push(std::mem::take(&mut self.chain));
        } else {
            // Keep the allocation: most chains are one ordinary five-letter word.
            self.chain.clear();
        }
    }

    /// All chains of two or more groups, once the input is over.
    fn finish(mut self) -> Vec<Vec<Group>> {
        self.end_run();
        self.end_chain();
        self.found
    }

    /// Byte ranges of the product keys: each chain's runs of five groups with a digit.
    pub(super) fn keys(self) -> Vec<Range<usize>> {
        let mut keys = Vec::new();
        for chain in self.finish() {
            let mut i = 0;
            while i + KEY_GROUPS <= chain.len() {
                let window = &chain[i..i + KEY_GROUPS];
                if window.iter().any(|g| g.has_digit) {
                    keys.push(window[0].span.start..window[KEY_GROUPS - 1].span.end);
                    i += KEY_GROUPS;
                } else {
                    i += 1;
                }
            }
        }
        keys
    }

    /// Byte ranges of everything that is a key or part of one: two or more groups with a
    /// digit among them (`7QX2K-ABCD3`). For blanking what a message shows, not for errors.
    pub(super) fn key_parts(self) -> Vec<Range<usize>> {
        self.finish()
            .into_iter()
            .filter(|chain| chain.iter().any(|g| g.has_digit))
            .filter_map(|chain| Some(chain.first()?.span.start..chain.last()?.span.end))
            .collect()
    }
}

/// The rules of [`Chains`], answering only whether a key is there: no ranges, no list
/// of groups, so the gate's one pass over every output stays a tight loop. A chain holds
/// a key exactly when it has five groups or more and one of them has a digit (every group
/// of such a chain lies in some window of five).
#[derive(Default, Clone, PartialEq, Eq, Hash)]
struct KeyFinder {
    gap: Option<Gap>,
    run_len: usize,
    run_digit: bool,
    run_joins: bool,
    chain_len: usize,
    chain_digit: bool,
}

impl KeyFinder {
    /// `len` letters and digits (`digit`: one of them is a digit).
    #[inline]
    fn push_run(&mut self, len: usize, digit: bool) {
        if self.run_len == 0 {
            self.run_joins = self.gap == Some(Gap::Dash);
            self.run_digit = false;
        }
        self.run_digit |= digit;
        self.run_len += len;
    }

    /// Any other decoded character; `true` once a key is complete.
    fn push(&mut self, c: char) -> bool {
        let found = self.end_run();
        self.gap = match (self.gap, c) {
            (None, _) => None,
            (Some(Gap::None), '-') => Some(Gap::Dash),
            (Some(gap @ (Gap::None | Gap::Dash)), ' ') => Some(gap),
            _ => {
                self.end_chain();
                None
            }
        };
        found
    }

    fn end_run(&mut self) -> bool {
        if self.run_len == 0 {
            return false;
        }
        if std::mem::take(&mut self.run_len) != GROUP_LEN {
            self.end_chain();
            self.gap = None;
            return false;
        }
        if !self.run_joins {
            self.end_chain();
        }
        self.chain_len += 1;
        self.chain_digit |= self.run_digit;
        self.gap = Some(Gap::None);
        self.chain_len >= KEY_GROUPS && self.chain_digit
    }

    fn end_chain(&mut self) {
        self.chain_len = 0;
        self.chain_digit = false;
    }

    /// The same state with what can no longer matter cleared and counts capped, so that
    /// there are finitely many (~130): a run longer than a group is no group whatever
    /// follows, a chain of five groups is as good as a longer one, and a run that does
    /// not join (or no run after no group) starts a new chain.
    fn canonical(mut self) -> KeyFinder {
        self.chain_len = self.chain_len.min(KEY_GROUPS);
        if self.run_len > GROUP_LEN {
            return KeyFinder {
                run_len: GROUP_LEN + 1,
                ..KeyFinder::default()
            };
        }
        if self.run_len == 0 {
            self.run_digit = false;
            self.run_joins = false;
        }
        let chain_matters = if self.run_len > 0 {
            self.run_joins
        } else {
            self.gap.is_some()
        };
        if !chain_matters {
            self.chain_len = 0;
            self.chain_digit = false;
        }
        self
    }
}

/// What the gate feeds the table: one class per decoded character.
#[derive(Clone, Copy)]
pub(super) enum Class {
    Letter = 0,
    Digit = 1,
    Space = 2,
    Dash = 3,
    /// Anything else: punctuation, symbols, other scripts.
    Other = 4,
}

/// Columns of the table: the classes, padded to eight so any 3-bit code indexes it.
const CLASSES: usize = 8;

impl Class {
    const ALL: [Class; 5] = [
        Class::Letter,
        Class::Digit,
        Class::Space,
        Class::Dash,
        Class::Other,
    ];

    /// The class of a decoded character.
    #[inline]
    pub(super) const fn of(c: char) -> Class {
        match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            ' ' => Class::Space,
            '-' => Class::Dash,
            _ => Class::Other,
        }
    }

    /// The character [`KeyFinder`] is fed for this class.
    fn example(self) -> char {
        match self {
            Class::Letter => 'A',
            Class::Digit => '1',
            Class::Space => ' ',
            Class::Dash => '-',
            Class::Other => '.',
        }
    }
}

/// [`KeyFinder`] as a table of its states: one look-up per character, no branches that
/// depend on the text, which keeps the gate's pass over every output fast. Built once
/// from [`KeyFinder`] itself, so the rules are written only there and in [`Chains`].
pub(super) struct KeyTable {
    /// Indexed by any `u8`, so a look-up needs no bounds check; rows past the last
    /// state are never reached (and say found).
    next: Box<[[u8; CLASSES]; 256]>,
    /// Two steps at once, by `first * CLASSES + second`: a page's walk waits on one
    /// look-up per two bytes instead of one per byte.
    pairs: Box<[[u8; CLASSES * CLASSES]; 256]>,
    #[cfg(test)]
    states: usize,
}

impl KeyTable {
    /// The state before any character.
    pub(super) const START: u8 = 0;
    /// A key was found; the table never leaves it.
    pub(super) const FOUND: u8 = 1;

    pub(super) fn get() -> &'static KeyTable {
        static TABLE: std::sync::OnceLock<KeyTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(KeyTable::build)
    }

    fn build() -> KeyTable {
        let mut states = vec![KeyFinder::default(), KeyFinder::default()];
        let mut ids = std::collections::HashMap::from([(KeyFinder::default(), Self::START)]);
        let mut next = vec![[Self::FOUND; CLASSES]; 2];
        let mut todo = vec![Self::START];
        while let Some(id) = todo.pop() {
            for class in Class::ALL {
                let mut state = states[usize::from(id)].clone();
                let found = match class {
                    Class::Letter | Class::Digit => {
                        state.push_run(1, matches!(class, Class::Digit));
                        false
                    }
                    _ => state.push(class.example()),
                };
                let to = if found {
                    Self::FOUND
                } else {
                    let state = state.canonical();
                    match ids.get(&state) {
                        Some(known) => *known,
                        // ~130 states, far from u8's limit; were it reached, every
                        // further state would count as a find: never a key missed.
                        None => match u8::try_from(states.len()) {
                            Ok(new) => {
                                ids.insert(state.clone(), new);
                                states.push(state);
                                next.push([Self::FOUND; CLASSES]);
                                todo.push(new);
                                new
                            }
                            Err(_) => Self::FOUND,
                        },
                    }
                };
                next[usize::from(id)][class as usize] = to;
            }
        }
        #[cfg(test)]
        let states = next.len();
        let mut table = Box::new([[Self::FOUND; CLASSES]; 256]);
        for (row, to) in table.iter_mut().zip(next) {
            *row = to;
        }
        let mut pairs = Box::new([[Self::FOUND; CLASSES * CLASSES]; 256]);
        for (state, row) in pairs.iter_mut().enumerate() {
            for (code, to) in row.iter_mut().enumerate() {
                let middle = table[state][code / CLASSES];
                *to = table[usize::from(middle)][code % CLASSES];
            }
        }
        KeyTable {
            next: table,
            pairs,
            #[cfg(test)]
            states,
        }
    }

    /// The state after `class` in `state`.
    #[inline]
    pub(super) fn step(&self, state: u8, class: Class) -> u8 {
        self.step_code(state, class as u8)
    }

    /// The same with the class as its number (`Class as u8`); what is past the classes
    /// counts as found, so a wrong code can only make the gate stricter.
    #[inline]
    pub(super) fn step_code(&self, state: u8, class: u8) -> u8 {
        self.next[usize::from(state)][usize::from(class) % CLASSES]
    }

    /// [`Self::step_code`] for two classes in a row.
    #[inline]
    pub(super) fn step_pair(&self, state: u8, first: u8, second: u8) -> u8 {
        let code = usize::from(first % CLASSES as u8) * CLASSES + usize::from(second) % CLASSES;
        self.pairs[usize::from(state)][code]
    }

    /// Whether the input ending in `state` holds a key (its last run may be a group).
    pub(super) fn ends_with_key(&self, state: u8) -> bool {
        self.step(state, Class::Other) == Self::FOUND
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.states
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::decode::{Decoded, Items};

    fn chains(text: &str) -> Chains {
        let mut chains = Chains::default();
        for (c, at) in Decoded::new(text) {
            chains.push(c, at);
        }
        chains
    }

    /// The same matcher fed by [`Items`]: it must find exactly what `chains` finds.
    fn fast(text: &str) -> Chains {
        let mut chains = Chains::default();
        for item in Items::new(text) {
            chains.push_item(item);
        }
        chains
    }

    #[test]
    fn runs_find_what_single_characters_find() {
        let texts = [
            "x ABCDE-12345-FGHIJ-67890-KLMNO y",
            "ABCDE - 12345 -\n FGHIJ-67890-KLMNO",
            "AB&#67;DE-12345-FGHIJ-67890-KLMNO",
            "ABCDE\u{2013}12345\u{2014}FGHIJ-67890-KLMNO",
            "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-12345",
            "ABCD-12345-FGHIJ-67890-KLMNO XABCDE-12345-FGHIJ-67890-KLMNO",
            "[\"7QX2K-ABCD3\", \"EFGH4\"] Admin-Konto",
        ];
        for text in texts {
            assert_eq!(fast(text).keys(), chains(text).keys(), "{text}");
            assert_eq!(fast(text).key_parts(), chains(text).key_parts(), "{text}");
        }
    }

    proptest::proptest! {
        /// Texts made of key-like pieces, escapes, tags and odd dashes: the runs of
        /// [`Items`] change nothing about what is found.
        #[test]
        fn runs_never_change_what_is_found(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "ABCDE", "12345", "7QX2K", "abcd3", "X", "-", " - ", "\u{2013}", "&#45;",
                "&ndash;", "\\u002d", "%2D", "<b>", "</b>", "&#65;", "\n", "&", "%", "\\",
                "\u{ad}", "\u{ff21}", "<", ">", "é", "--", "a1", "\"", ";",
            ]),
            0..40,
        )) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(table_finds(&text), !chains(&text).keys().is_empty());
            proptest::prop_assert_eq!(fast(&text).keys(), chains(&text).keys());
            proptest::prop_assert_eq!(fast(&text).key_parts(), chains(&text).key_parts());
        }
    }

    #[test]
    fn the_table_has_few_states_and_keeps_found() {
        let table = KeyTable::get();
        // Far below u8's 256, the limit past which states would count as found.
        assert!((100..200).contains(&table.len()), "{}", table.len());
        for class in Class::ALL {
            assert_eq!(table.step(KeyTable::FOUND, class), KeyTable::FOUND);
        }
    }

    /// The table fed class by class, as the gate feeds it plain text.
    fn table_finds(text: &str) -> bool {
        let table = KeyTable::get();
        let mut state = KeyTable::START;
        for (c, _) in Decoded::new(text) {
            state = table.step(state, Class::of(c));
        }
        state == KeyTable::FOUND || table.ends_with_key(state)
    }

    #[test]
    fn finds_keys_with_any_dash_and_spaces_around_it() {
        assert_eq!(
            chains("x ABCDE-12345-FGHIJ-67890-KLMNO y").keys(),
            vec![2..31]
        );
        assert_eq!(
            chains("ABCDE - 12345 -\n FGHIJ-67890-KLMNO").keys().len(),
            1
        );
        assert_eq!(
            chains("ABCDE\u{2013}12345\u{2014}FGHIJ-67890-KLMNO")
                .keys()
                .len(),
            1
        );
        assert_eq!(chains("7qx2k-abcd3-efgh4-jklm5-npqr6").keys().len(), 1);
    }

    #[test]
    fn ignores_near_misses() {
        assert!(chains("ABCD-12345-FGHIJ-67890-KLMNO").keys().is_empty());
        assert!(chains("XABCDE-12345-FGHIJ-67890-KLMNO").keys().is_empty());
        assert!(chains("ABCDE-FGHIJ-KLMNO-PQRST-UVWXY").keys().is_empty());
        assert!(chains("ABCDE 12345 FGHIJ 67890 KLMNO").keys().is_empty());
        assert!(chains("ABCDE--12345-FGHIJ-67890-KLMNO").keys().is_empty());
        assert!(chains("3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21")
            .keys()
            .is_empty());
    }

    #[test]
    fn a_key_later_in_a_chain_is_found() {
        let text = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-12345";
        assert_eq!(chains(text).keys(), vec![6..35]);
    }

    #[test]
    fn parts_of_keys_are_found_for_blanking() {
        assert_eq!(
            chains("[\"7QX2K-ABCD3\", \"EFGH4\"]").key_parts(),
            vec![2..13]
        );
        assert!(chains("Admin-Konto Excel-Datei").key_parts().is_empty());
    }

    #[test]
    fn a_pair_step_is_two_single_steps() {
        let table = KeyTable::get();
        for state in 0..=u8::MAX {
            for first in 0..CLASSES as u8 {
                for second in 0..CLASSES as u8 {
                    let twice = table.step_code(table.step_code(state, first), second);
                    assert_eq!(table.step_pair(state, first, second), twice);
                }
            }
        }
    }
}
