//! The schools' search index of a provider site in shards: a generated project of a few
//! thousand schools, its shard files read back by a reference lookup that walks the keys
//! as `themes/default/static/search.js` does. Sizes are extrapolated to 40,000 schools.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::large::{self, school_toml};
use common::Project;
use serde_json::Value;

const SCHOOLS: usize = 2_000;
const TARGET: usize = 40_000;
const FIRST_QUERY_BUDGET: usize = 300 * 1024;
const MAX_HITS: usize = 12;

/// The query folding of search.js for the letters these tests type.
fn fold(s: &str) -> String {
    s.to_lowercase()
        .replace('ä', "a")
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('ß', "ss")
}

/// The shard files of one locale read back.
struct Index {
    entry_bytes: usize,
    docs: usize,
    chunk: usize,
    keys: BTreeSet<String>,
    split: BTreeSet<String>,
    /// Key → (file size, rest of term → encoded set).
    shards: BTreeMap<String, (usize, BTreeMap<String, String>)>,
    /// Chunk → (file size, records).
    records: BTreeMap<usize, (usize, Vec<Value>)>,
}

/// The arguments of `name(…);` in a script, as a JSON array.
fn call_args(script: &str, name: &str) -> Vec<Value> {
    let inner = script
        .strip_prefix(&format!("{name}("))
        .and_then(|s| s.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a {name} call: {script:.80}"));
    let args: Value = serde_json::from_str(&format!("[{inner}]")).expect("JSON arguments");
    args.as_array().expect("array").clone()
}

fn large_project() -> Project {
    large::project(SCHOOLS)
}

fn read_index(public: &Path) -> Index {
    let entry = fs::read_to_string(public.join("assets/search-de.js")).expect("entry");
    let json = entry
        .strip_prefix("window.HANDBUCH_SEARCH = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("entry sets HANDBUCH_SEARCH");
    let json: Value = serde_json::from_str(json).expect("entry JSON");
    let keys: BTreeSet<String> = json["keys"]
        .as_str()
        .expect("keys")
        .split(' ')
        .map(String::from)
        .collect();
    let split = keys
        .iter()
        .filter_map(|k| {
            let mut letters: Vec<char> = k.chars().collect();
            letters.pop();
            (!letters.is_empty()).then(|| letters.into_iter().collect())
        })
        .collect();
    let mut shards = BTreeMap::new();
    let mut records = BTreeMap::new();
    for file in fs::read_dir(public.join("assets/search-de")).expect("shard folder") {
        let path = file.expect("entry").path();
        let text = fs::read_to_string(&path).expect("read shard");
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.starts_with("k-") {
            let args = call_args(&text, "handbuchSearchShard");
            let terms = serde_json::from_value(args[1].clone()).expect("terms");
            let key = args[0].as_str().expect("key").to_string();
            shards.insert(key, (text.len(), terms));
        } else {
            let args = call_args(&text, "handbuchSearchRecords");
            let n = args[0].as_u64().expect("chunk number") as usize;
            records.insert(
                n,
                (text.len(), args[1].as_array().expect("records").clone()),
            );
        }
    }
    Index {
        entry_bytes: entry.len(),
        docs: json["docs"].as_u64().expect("docs") as usize,
        chunk: json["chunk"].as_u64().expect("chunk") as usize,
        keys,
        split,
        shards,
        records,
    }
}

fn decode_set(code: &str) -> Vec<usize> {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    let mut digits = code.chars().map(|c| DIGITS.find(c).expect("set digit"));
    let mut number = || {
        let (mut n, mut scale) = (0, 1);
        loop {
            let d = digits.next()?;
            n += (d & 31) * scale;
            scale *= 32;
            if d < 32 {
                return Some(n);
            }
        }
    };
    let mut ids = Vec::new();
    let mut id = 0;
    while let Some(skip) = number() {
        id += skip;
        let run = number().expect("run length") + 1;
        ids.extend(id..id + run);
        id += run;
    }
    ids
}

impl Index {
    /// The shard a word's terms are in, walking down split keys (search.js `keyOf`).
    fn key_of(&self, word: &str) -> Option<String> {
        let letters: Vec<char> = word.chars().collect();
        let mut key: String = letters[..1].iter().collect();
        let mut n = 1;
        while self.keys.contains(&key) && self.split.contains(&key) && n < letters.len() {
            key.push(letters[n]);
            n += 1;
        }
        self.keys.contains(&key).then_some(key)
    }

    /// The keys loaded while `word` is typed letter by letter.
    fn keys_typing(&self, word: &str) -> BTreeSet<String> {
        let letters: Vec<char> = word.chars().collect();
        (1..=letters.len())
            .filter_map(|n| self.key_of(&letters[..n].iter().collect::<String>()))
            .collect()
    }

    fn ids(&self, word: &str) -> BTreeSet<usize> {
        let Some(key) = self.key_of(word) else {
            return BTreeSet::new();
        };
        self.shards[&key]
            .1
            .iter()
            .filter(|(rest, _)| format!("{key}{rest}").starts_with(word))
            .flat_map(|(_, set)| decode_set(set))
            .collect()
    }

    /// The schools' titles a query shows, in order (search.js `schoolIds` and records).
    fn search(&self, query: &str) -> Vec<String> {
        let folded = fold(query);
        let words: Vec<&str> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let mut all: Option<BTreeSet<usize>> = None;
        for word in words {
            let ids = self.ids(word);
            all = Some(match all {
                Some(all) => all.intersection(&ids).copied().collect(),
                None => ids,
            });
        }
        all.unwrap_or_default()
            .into_iter()
            .take(MAX_HITS)
            .map(|id| {
                let record = &self.records[&(id / self.chunk)].1[id % self.chunk];
                record[0].as_str().expect("title").to_string()
            })
            .collect()
    }

    /// Bytes of the record files the first hits of `word` need.
    fn record_bytes(&self, word: &str) -> usize {
        let chunks: BTreeSet<usize> = self
            .ids(word)
            .into_iter()
            .take(MAX_HITS)
            .map(|id| id / self.chunk)
            .collect();
        chunks.iter().map(|n| self.records[n].0).sum()
    }
}

#[test]
fn a_first_query_of_one_to_three_letters_stays_under_300_kb_at_40000_schools() {
    let p = large_project();
    p.built_html();
    let index = read_index(&p.path("public"));
    assert_eq!(index.docs, SCHOOLS + large::SPECIAL.len() + 2);
    // What grows with the number of schools: the entry (more keys) and a split shard's
    // one set; a shard of terms is split before it outgrows its budget at any number.
    let scale = |bytes: usize| bytes * TARGET / index.docs;
    let shard_bytes = |key: &String| {
        let (size, _) = &index.shards[key];
        if index.split.contains(key) {
            scale(*size)
        } else {
            *size
        }
    };
    let mut prefixes = BTreeSet::new();
    for (key, (_, terms)) in &index.shards {
        for rest in terms.keys() {
            let term: String = format!("{key}{rest}").chars().take(3).collect();
            prefixes.insert(term);
        }
    }
    assert!(prefixes.len() > 1_000, "{}", prefixes.len());
    let (worst, bytes) = prefixes
        .iter()
        .map(|prefix| {
            let shards: usize = index.keys_typing(prefix).iter().map(shard_bytes).sum();
            let bytes = scale(index.entry_bytes) + shards + index.record_bytes(prefix);
            (prefix, bytes)
        })
        .max_by_key(|(_, bytes)| *bytes)
        .expect("prefixes");
    assert!(
        bytes <= FIRST_QUERY_BUDGET,
        "typing `{worst}` loads {bytes} bytes at {TARGET} schools"
    );
    let total: usize = index.shards.values().map(|(size, _)| size).sum();
    println!(
        "{} schools: entry {} B, {} shards, {total} B of shards, worst first query `{worst}` \
         ~{bytes} B at {TARGET}",
        index.docs,
        index.entry_bytes,
        index.shards.len()
    );
}

#[test]
fn the_shards_find_compound_parts_umlauts_in_both_spellings_and_the_last_school() {
    let p = large_project();
    p.built_html();
    let index = read_index(&p.path("public"));
    let goethe = "Goethe-Gymnasium Mülheim";
    let strasse = "Grundschule an der Hauptstraße Gießen";
    let verwaltung = "Schule für Schulverwaltung Schwäbisch Hall";
    for (query, school) in [
        ("verwaltung", verwaltung),
        ("schulverwaltung hall", verwaltung),
        ("schwabisch", verwaltung),
        ("schwäbisch", verwaltung),
        ("schwaebisch", verwaltung),
        ("hauptstrasse", strasse),
        ("hauptstraße gießen", strasse),
        ("giessen", strasse),
        ("mülheim goethe", goethe),
        ("mulheim", goethe),
        ("muelheim", goethe),
        ("göthe", goethe),
        ("V9999991", goethe),
        ("9999993", verwaltung),
    ] {
        let hits = index.search(query);
        assert!(hits.iter().any(|h| h == school), "`{query}`: {hits:?}");
    }
    // A compound part in the middle of a generated name, and more than a page of hits.
    let hits = index.search("heim");
    assert_eq!(hits.len(), MAX_HITS, "{hits:?}");
    assert!(
        hits.iter().all(|h| h.to_lowercase().contains("heim")),
        "{hits:?}"
    );
    assert_eq!(index.search("xyzzy"), Vec::<String>::new());
}

#[test]
fn every_school_has_one_record_and_no_step_is_in_the_index() {
    let p = large_project();
    p.built_html();
    let index = read_index(&p.path("public"));
    let records: Vec<&Value> = index.records.values().flat_map(|(_, r)| r).collect();
    assert_eq!(records.len(), index.docs);
    let last = records.last().expect("records");
    assert_eq!(last[0], "Schule für Schulverwaltung Schwäbisch Hall");
    assert_eq!(last[1], "de/zz-verwaltung/");
    assert_eq!(last[2], "zz-verwaltung.onmicrosoft.com · V9999993");
    // Steps stay in their pages: the chapters' words are in no shard.
    assert!(index.search("zugangsdaten").is_empty());
    assert!(!p.read("public/assets/search-de.js").contains("\"kind\""));
}

#[test]
fn the_shards_are_the_same_bytes_on_every_build_and_a_partial_build_drops_stale_ones() {
    let p = large_project();
    p.built_html();
    let first = p.tree("public/assets");
    // A school gone, then a build of another school only (it starts from the previous
    // output): the index is that of all schools now, with no shard of the gone words.
    fs::remove_file(p.path("content/schools/zz-goethe.toml")).expect("remove school");
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec!["zz-strasse".into()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("partial build failed:\n{e}"));
    let partial = p.tree("public/assets");
    assert!(read_index(&p.path("public")).search("goethe").is_empty());
    fs::remove_dir_all(p.path("public")).expect("remove output");
    p.built_html();
    assert!(partial == p.tree("public/assets"), "as a clean build");
    assert!(partial != first);
    fs::write(
        p.path("content/schools/zz-goethe.toml"),
        school_toml("Goethe-Gymnasium Mülheim", "zz-goethe", "V9999991", 0),
    )
    .expect("restore school");
    p.built_html();
    assert!(first == p.tree("public/assets"), "the same shards again");
}
