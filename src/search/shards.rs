//! The schools' index of a provider site, in shards a first query loads a few of.
//!
//! At 40,000 schools one index file would be ~10 MB on every page. Instead:
//! * `search-<locale>.js`, the entry: the number of schools and the keys of the shards;
//! * `search-<locale>/k-<key>.js`, one per key, a prefix of terms. A term is every suffix
//!   of a word, so a query word finds the words it occurs in (`verwaltung` finds
//!   `schulverwaltung`) as the terms it is a prefix of. A key's shard holds all terms
//!   starting with it while they fit in [`SHARD_BUDGET`]; else it is split: it holds only
//!   the set of schools with any such term, and a shard per key one letter longer holds
//!   the terms. A query word walks down the keys from its first letter to a shard that
//!   holds its terms (or to its own length), loading that one shard;
//! * `search-<locale>/r-<n>.js`: the result records (title, URL, detail) of schools
//!   `n * CHUNK ..`, loaded for the hits shown.
//!
//! Every file is a script that registers itself (`handbuchSearchShard(…)`,
//! `handbuchSearchRecords(…)`), so it loads from `file://` under the CSP too; the theme's
//! `static/search.js` reads them. Words are folded by [`fold`] and indexed under every
//! spelling of their umlauts. Sets of schools are runs of ids ([`encode_set`]).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{fold, Doc};

/// Bytes a shard of terms may take before it is split by one more letter.
const SHARD_BUDGET: usize = 16 * 1024;
/// Records per record file: small enough that the dozen hits shown cost little.
const CHUNK: usize = 64;
/// The digits of [`encode_set`]: 5 bits each, `+32` while more digits follow.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// The entry, what `search.js` reads first.
#[derive(Serialize)]
struct Entry<'a> {
    docs: usize,
    chunk: usize,
    /// The keys that have a shard, space-separated. A key is split when a key one letter
    /// longer starts with it.
    keys: &'a str,
}

/// A term (a suffix of a word) and the ids of the schools with it, ascending.
type Posting = (String, Vec<u32>);

/// A shard: its key and its terms without the key (`""`: the key itself or, in a split
/// shard, all its terms) with their encoded sets.
type Shard = (String, BTreeMap<String, String>);

/// Every file of a locale's schools index, relative to the assets folder, handed to
/// `emit` as it is made (in no fixed order; the first error in a fixed order is returned):
/// the shards and records under [`dir`], then the entry [`entry_file`].
pub(crate) fn files<E: Send>(
    docs: &[Doc],
    locale: &str,
    emit: impl Fn(PathBuf, String) -> Result<(), E> + Sync,
) -> Result<(), E> {
    // Each school's words, space-separated (one string each, not one per word).
    let words: Vec<String> = docs
        .par_iter()
        .map(|doc| fold::variants(&format!("{} {}", doc.title, doc.text)).join(" "))
        .collect();
    let mut firsts: Vec<char> = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| *c != ' ')
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    let dir = PathBuf::from(dir(locale));
    // One first letter at a time on each core: the terms of all letters at once would
    // take hundreds of MB at 40,000 schools.
    let keys: Vec<Result<Vec<String>, E>> = firsts
        .par_iter()
        .map(|&first| {
            let mut shards = Vec::new();
            shard(
                &postings(&words, first),
                first.to_string(),
                docs.len(),
                &mut shards,
            );
            let mut keys = Vec::with_capacity(shards.len());
            for (key, terms) in shards {
                let script = format!("handbuchSearchShard({},{});\n", json(&key), json(&terms));
                emit(dir.join(shard_file(&key)), script)?;
                keys.push(key);
            }
            Ok(keys)
        })
        .collect();
    let records: Vec<Result<(), E>> = docs
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let records: Vec<[String; 3]> = chunk.iter().map(record).collect();
            let script = format!("handbuchSearchRecords({n},{});\n", json(&records));
            emit(dir.join(format!("r-{n}.js")), script)
        })
        .collect();
    let mut keys: Vec<String> = keys.into_iter().collect::<Result<Vec<_>, E>>()?.concat();
    records.into_iter().collect::<Result<(), E>>()?;
    keys.sort();
    let entry = Entry {
        docs: docs.len(),
        chunk: CHUNK,
        keys: &keys.join(" "),
    };
    emit(
        PathBuf::from(entry_file(locale)),
        format!("window.HANDBUCH_SEARCH = {};\n", json(&entry)),
    )
}

/// The entry of a locale's index, in the assets folder.
pub(crate) fn entry_file(locale: &str) -> String {
    format!("search-{locale}.js")
}

/// The shards below `key`, from its `terms` (sorted, each starting with it).
fn split(terms: &[Posting], key: &str, docs: usize, out: &mut Vec<Shard>) {
    let mut rest = terms;
    while let Some((term, _)) = rest.first() {
        let Some(next) = term[key.len()..].chars().next() else {
            // The key itself as a term: in its own shard's set, no shard below.
            rest = &rest[1..];
            continue;
        };
        let child = format!("{key}{next}");
        let end = rest
            .iter()
            .position(|(t, _)| !t.starts_with(&child))
            .unwrap_or(rest.len());
        shard(&rest[..end], child, docs, out);
        rest = &rest[end..];
    }
}

/// The shard of `key` holding `terms` (all starting with it), split if they are too many.
fn shard(terms: &[Posting], key: String, docs: usize, out: &mut Vec<Shard>) {
    // Measured before anything is encoded: a split shard's terms are encoded only at the
    // level where they fit, not once for every letter of their key.
    let size: usize = terms
        .iter()
        .map(|(term, ids)| term.len() - key.len() + encoded_len(ids) + 6)
        .sum();
    if size <= SHARD_BUDGET || terms.len() == 1 {
        let encoded = terms
            .iter()
            .map(|(term, ids)| (term[key.len()..].to_string(), encode_set(ids)))
            .collect();
        out.push((key, encoded));
        return;
    }
    let mut with = vec![false; docs];
    for id in terms.iter().flat_map(|(_, ids)| ids) {
        if let Some(slot) = with.get_mut(*id as usize) {
            *slot = true;
        }
    }
    let all: Vec<u32> = (0u32..)
        .zip(&with)
        .filter(|(_, w)| **w)
        .map(|(id, _)| id)
        .collect();
    split(terms, &key, docs, out);
    out.push((key, BTreeMap::from([(String::new(), encode_set(&all))])));
}

/// The folder of a locale's shards and records, inside the assets folder.
pub(crate) fn dir(locale: &str) -> String {
    format!("search-{locale}")
}

/// Every suffix starting with `first` of the schools' `words` → ids of the schools with
/// it, sorted by term.
fn postings(words: &[String], first: char) -> Vec<Posting> {
    // Not hashed with SipHash: the terms come from the project, and nothing an outsider
    // types into a page reaches this table.
    let mut postings: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (id, words) in (0u32..).zip(words) {
        // Each place `first` occurs starts a suffix, which runs to the end of its word:
        // found by `memchr`, not by walking every character of every school's words once
        // per first letter (a tenth of a 40,000-school build that reuses every handbook).
        let mut terms: Vec<&str> = words
            .match_indices(first)
            .map(|(at, _)| {
                let rest = &words[at..];
                rest.find(' ').map_or(rest, |end| &rest[..end])
            })
            .collect();
        terms.sort_unstable();
        terms.dedup();
        for term in terms {
            postings.entry(term).or_default().push(id);
        }
    }
    let mut sorted: Vec<Posting> = postings
        .into_iter()
        .map(|(term, ids)| (term.to_string(), ids))
        .collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

/// A shard's file name: letters and digits as they are, anything else as `_<hex>_`, after
/// `k-` so that no key is a name Windows reserves (`con`, `nul`, …).
fn shard_file(key: &str) -> String {
    let mut name = String::from("k-");
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            let _ = write!(name, "_{:x}_", u32::from(c));
        }
    }
    name.push_str(".js");
    name
}

/// What a hit shows: the school's name, its handbook and its tenant and contract number.
fn record(doc: &Doc) -> [String; 3] {
    let detail: Vec<&str> = doc.text.split(' ').take(2).collect();
    [doc.title.clone(), doc.url.clone(), detail.join(" · ")]
}

/// Ascending ids as runs: for each run the ids skipped before it and its length minus
/// one, each a number in [`DIGITS`]. All 40,000 schools are 4 characters, one school ~4.
fn encode_set(ids: &[u32]) -> String {
    let mut out = String::new();
    for (skipped, more) in runs(ids) {
        push_number(&mut out, skipped);
        push_number(&mut out, more);
    }
    out
}

/// The length of [`encode_set`]`(ids)`, without making it.
fn encoded_len(ids: &[u32]) -> usize {
    runs(ids)
        .map(|(skipped, more)| digits(skipped) + digits(more))
        .sum()
}

/// Each run of consecutive ids as (ids skipped before it, its length minus one).
fn runs(ids: &[u32]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut next = 0u32;
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = *ids.get(i)?;
        let mut end = i + 1;
        while end < ids.len() && ids[end] == ids[end - 1] + 1 {
            end += 1;
        }
        // `end - i` runs of at most `ids.len()`, which came from a u32 count.
        let more = u32::try_from(end - i - 1).unwrap_or(u32::MAX);
        let skipped = start - next;
        next = ids[end - 1] + 1;
        i = end;
        Some((skipped, more))
    })
}

/// How many digits [`push_number`] writes for `n`: one per 5 bits, at least one.
fn digits(n: u32) -> usize {
    let bits = 32 - n.leading_zeros() as usize;
    1 + bits.saturating_sub(1) / 5
}

/// Low 5 bits first; a digit of 32 or more says another one follows.
fn push_number(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(char::from(DIGITS[low]));
            return;
        }
        out.push(char::from(DIGITS[low | 32]));
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Maps with string keys and strings cannot fail to serialize.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_runs_of_ids() {
        assert_eq!(encode_set(&[]), "");
        assert_eq!(encode_set(&[0]), "00");
        assert_eq!(encode_set(&[0, 1, 2, 7]), "0240");
        // 40,000 in a row: skip 0, length 39,999 = 4 digits.
        let all: Vec<u32> = (0..40_000).collect();
        assert_eq!(encode_set(&all), "0_xD1");
        let sets: [&[u32]; 6] = [&[], &[0], &[31], &[32], &[0, 1, 2, 7, 40, 1_000_000], &all];
        for ids in sets {
            assert_eq!(encoded_len(ids), encode_set(ids).len(), "{ids:?}");
        }
    }

    /// Every suffix of every word, walked character by character: what `postings` finds
    /// with `memchr`.
    fn postings_by_walking(words: &[String], first: char) -> Vec<Posting> {
        let mut all: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (id, words) in (0u32..).zip(words) {
            let terms: std::collections::BTreeSet<&str> = words
                .split(' ')
                .flat_map(|w| w.char_indices().map(move |(at, _)| &w[at..]))
                .filter(|term| term.starts_with(first))
                .collect();
            for term in terms {
                all.entry(term.to_string()).or_default().push(id);
            }
        }
        all.into_iter().collect()
    }

    #[test]
    fn postings_are_every_suffix_of_every_word_that_starts_with_the_letter() {
        let words: Vec<String> = [
            "anna banana  ananas",
            "straße strasse ßa",
            "über übung ü",
            "",
            "a aa aaa ",
            " éa éé",
        ]
        .map(String::from)
        .to_vec();
        for first in ['a', 'n', 's', 'ß', 'ü', 'é', 'b', 'z'] {
            assert_eq!(
                postings(&words, first),
                postings_by_walking(&words, first),
                "{first}"
            );
        }
        let a = postings(&words, 'a');
        assert!(a.contains(&("ananas".to_string(), vec![0])), "{a:?}");
        assert!(a.contains(&("a".to_string(), vec![0, 1, 4, 5])), "{a:?}");
    }

    #[test]
    fn shard_files_are_safe_names_on_every_system() {
        assert_eq!(shard_file("con"), "k-con.js");
        assert_eq!(shard_file("a1ø"), "k-a1_f8_.js");
    }
}
