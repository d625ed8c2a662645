//! Property tests: no input, however broken, makes handbuch panic, leak a secret or
//! write outside its output folder. Every property runs a bounded number of random
//! cases (see `cases` below), so the whole file stays fast in release mode.

mod common;

use std::path::{Component, Path};
use std::sync::LazyLock;

use common::Project;
use handbuch::Diagnostics;
use proptest::prelude::*;
use proptest::sample::select;

const SCHOOL: &str = "content/schools/manual.toml";
const CHAPTER: &str = "content/guide/de/01-start.md";

/// A config for `cases` random inputs; failures are reported, not stored in files.
fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// --- what a property asserts about one run ---

/// Problems that are about a file as a whole (its name), so they have no line.
const WHOLE_FILE: &[&str] = &[
    "cannot be used as a school slug",
    "duplicate school slug",
    "cannot read file",
];

/// `check` returned (it did not panic), every problem names its file, and a problem
/// in a TOML file, in front matter or in a chapter's template syntax its line and
/// column too. Everything it reports can be printed.
fn assert_reported(result: Result<handbuch::BuildReport, Diagnostics>, p: &Project) {
    let printed = match result {
        Ok(report) => format!("{}", report.warnings),
        Err(errors) => {
            assert!(errors.has_errors(), "a failed check names an error");
            for d in errors.errors() {
                assert!(!d.file.as_os_str().is_empty(), "no file: {d}");
                let in_toml = d.file.extension().is_some_and(|x| x == "toml");
                let in_chapter_syntax = d.message.starts_with("front matter")
                    || d.message.starts_with("template error");
                let whole_file = WHOLE_FILE.iter().any(|m| d.message.contains(m));
                assert!(
                    d.line_col().is_some() || whole_file || !(in_toml || in_chapter_syntax),
                    "no line and column: {d}"
                );
            }
            format!("{errors}{}", errors.summary())
        }
    };
    // Rendering (codespan, with the source line) must not panic either: it just did.
    drop(printed);
    assert!(!p.path("public").exists(), "check writes nothing");
}

// --- building blocks for random text ---

/// Any characters at all: control characters, NUL, CR, surrogates excluded by Rust.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

/// Text built from pieces that mean something to TOML, tera or Markdown, glued with
/// random separators and a little random noise, so inputs reach deep into the parsers.
fn pieces(vocabulary: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(vocabulary).prop_map(str::to_string),
        1 => any_text(6),
    ];
    let sep = select(vec!["", " ", "\n", "\r\n", "\n\n", "\t", "\r"]);
    prop::collection::vec((piece, sep), 0..max).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, sep)| format!("{piece}{sep}"))
            .collect()
    })
}

/// Snap `at` (taken modulo the length) down to a char boundary of `text`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One small edit of a text file.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    DuplicateLine(usize),
    ReplaceValue(usize, String),
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut out = text.to_string();
    match edit {
        Edit::Delete(at, len) => {
            let start = boundary(&out, *at);
            let end = boundary(&out, start + len % 12).max(start);
            out.replace_range(start..end, "");
        }
        Edit::Insert(at, piece) => out.insert_str(boundary(&out, *at), piece),
        Edit::DuplicateLine(n) => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if let Some(line) = lines.get(n % lines.len().max(1)) {
                out.insert_str(boundary(&out, n.wrapping_mul(7)), line);
            }
        }
        Edit::ReplaceValue(n, value) => {
            let assignments: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .scan(0, |start, line| {
                    let at = *start;
                    *start += line.len();
                    Some((at, line))
                })
                .filter(|(_, line)| line.contains(" = "))
                .collect();
            if let Some((at, line)) = assignments.get(n % assignments.len().max(1)) {
                let eq = at + line.find(" = ").unwrap_or(0) + 3;
                let end = at + line.trim_end_matches(['\n', '\r']).len();
                out.replace_range(eq..end.max(eq), value);
            }
        }
    }
    out
}

fn edits(
    insertions: impl Strategy<Value = String>,
    values: impl Strategy<Value = String>,
) -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), insertions).prop_map(|(a, s)| Edit::Insert(a, s)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), values).prop_map(|(n, v)| Edit::ReplaceValue(n, v)),
    ];
    prop::collection::vec(edit, 1..5)
}

// --- TOML ---

const TOML_TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "#",
    ",",
    "{",
    "}",
    ".",
    "\\",
    "\\u0000",
    "\\uD800",
    "\\U0010FFFF",
    "\\x",
    "inf",
    "nan",
    "-0",
    "1e400",
    "0x1F",
    "0o7",
    "99999999999999999999",
    "2027-02-30",
    "2027-08-01",
    "2027-08-01T10:00:00Z",
    "10:00:00",
    "0000-01-01",
    "9999-12-31",
    "true",
    "false",
    "[tenant]",
    "[contract]",
    "[assignment]",
    "[[licenses]]",
    "[licenses]",
    "[[tenant]]",
    "[tenant.x]",
    "name",
    "locales",
    "domain",
    "admin",
    "verified_domains",
    "number",
    "orders",
    "order_email",
    "vlsc_account",
    "anniversary",
    "provider_access",
    "product",
    "quantity",
    "mode",
    "password",
    "= \"mnspro\"",
    "= \"manual\"",
    "= \"work\"",
    "= \"unknown\"",
    "= []",
    "= [\"de\"]",
    "= [\"en\"]",
    "= \"\"",
    "= 0",
    "= -1",
    "= 4294967296",
    "ä",
    "ß",
    "🎉",
    "\u{200b}",
    "\u{feff}",
    "\0",
    "V1",
    "V",
    "@",
    "a@b.de",
    "x.onmicrosoft.com",
    "..",
    "../",
];

/// A TOML value of any type, with unusual but legal content.
fn toml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
        any_text(16).prop_map(|s| toml_string(&s)),
        pieces(TOML_TOKENS, 4).prop_map(|s| toml_string(&s)),
        (0u32..10000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        select(vec![
            "\"mnspro\"",
            "\"manual\"",
            "\"work\"",
            "\"microsoft\"",
            "\"V1234567\"",
            "\"a@b.onmicrosoft.com\"",
            "\"b.onmicrosoft.com\"",
            "2027-08-01T08:00:00",
            "1979-05-27T07:32:00-08:00",
            "07:32:00",
            "[\"de\"]",
            "[]",
            "{}",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((select(TOML_TOKENS), inner), 0..3).prop_map(|kv| {
                let pairs: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("{} = {v}", toml_string(k)))
                    .collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

/// `s` as a TOML basic string, every control character escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A school file: random text, a random document of known and unknown keys, or the
/// fixture's valid files with a few random edits.
fn school_text() -> impl Strategy<Value = String> {
    let base = select(vec![
        include_str!("fixtures/basic/content/schools/manual.toml"),
        include_str!("fixtures/basic/content/schools/evil.toml"),
    ]);
    let mutated = (base, edits(pieces(TOML_TOKENS, 4), toml_value()))
        .prop_map(|(base, edits)| edits.iter().fold(base.to_string(), |t, e| apply(&t, e)));
    let header = select(vec![
        "",
        "[tenant]",
        "[contract]",
        "[assignment]",
        "[[licenses]]",
        "[licenses]",
        "[tenant.admin]",
        "[[contract]]",
        "[contract.number]",
    ]);
    let key = prop_oneof![
        4 => select(vec![
            "name", "locales", "domain", "admin", "verified_domains", "number", "orders",
            "order_email", "vlsc_account", "anniversary", "provider_access", "product",
            "quantity", "mode",
        ]).prop_map(str::to_string),
        1 => any_text(8).prop_map(|k| toml_string(&k)),
    ];
    let table = (header, prop::collection::vec((key, toml_value()), 0..6)).prop_map(|(h, kv)| {
        let body: String = kv
            .into_iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect();
        format!("{h}\n{body}")
    });
    let document = prop::collection::vec(table, 0..6).prop_map(|t| t.concat());
    prop_oneof![
        1 => any_text(200),
        2 => pieces(TOML_TOKENS, 40),
        3 => document,
        6 => mutated,
        8 => well_typed_school(),
    ]
}

/// Text a user might put into any string field: markup, template syntax, unicode.
fn weird_string() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => pieces(&CHAPTER_TOKENS, 6),
        1 => any_text(20),
        1 => pieces(TOML_TOKENS, 4),
    ]
}

/// A school file every field of which has the right type, so most of them pass and
/// their unusual values travel through templates, warnings and the HTML renderer.
fn well_typed_school() -> impl Strategy<Value = String> {
    // Mostly a valid value, sometimes anything: validation must report, not panic.
    let maybe = |s: &'static [&'static str]| prop_oneof![6 => select(s).prop_map(str::to_string), 1 => weird_string()];
    let domain = || {
        maybe(&[
            "schule.onmicrosoft.com",
            "evil.onmicrosoft.com",
            "xn--schle-kva.de",
            "a.b.c.d.de",
        ])
    };
    let email = || {
        maybe(&[
            "admin@schule.onmicrosoft.com",
            "a@evil.onmicrosoft.com",
            "x+y@schule.de",
        ])
    };
    let tenant = (
        domain(),
        prop::option::of(email()),
        prop::collection::vec(domain(), 0..3),
    )
        .prop_map(|(domain, admin, verified)| {
            let admin = admin.map_or(String::new(), |a| format!("admin = {}\n", toml_string(&a)));
            format!(
                "[tenant]\ndomain = {}\n{admin}verified_domains = [{}]\n",
                toml_string(&domain),
                verified
                    .iter()
                    .map(|d| toml_string(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    let date = (1i32..=9999, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        // Only real dates; the TOML parser already refuses the others.
        let d = chrono::NaiveDate::from_ymd_opt(y, m, d)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(y, m, 28))
            .expect("day 28 exists in every month");
        d.format("%Y-%m-%d").to_string()
    });
    let contract = (
        maybe(&["V1", "V1234567", "V00000000000000000000000000000001"]),
        prop::collection::vec(maybe(&["1", "12345678", "99999999999999999999999999"]), 0..4),
        prop::option::of(email()),
        select(vec!["work", "microsoft", "unknown"]),
        prop::option::of(date),
        any::<bool>(),
    )
        .prop_map(|(number, orders, order_email, account, anniversary, access)| {
            let orders: Vec<String> = orders.iter().map(|o| toml_string(o)).collect();
            let email = order_email.map_or(String::new(), |e| format!("order_email = {}\n", toml_string(&e)));
            let date = anniversary.map_or(String::new(), |d| format!("anniversary = {d}\n"));
            format!(
                "[contract]\nnumber = {}\norders = [{}]\n{email}vlsc_account = \"{account}\"\n{date}provider_access = {access}\n",
                toml_string(&number),
                orders.join(", ")
            )
        });
    let licenses = prop::collection::vec((weird_string(), any::<u32>()), 0..4).prop_map(|ls| {
        ls.iter()
            .map(|(product, quantity)| {
                format!(
                    "[[licenses]]\nproduct = {}\nquantity = {quantity}\n",
                    toml_string(product)
                )
            })
            .collect::<String>()
    });
    (
        maybe(&["Schule", "<script>alert(1)</script> & *Co*"]),
        prop::option::of(select(vec!["[]", "[\"de\"]", "[\"de\", \"de\"]", "[\"en\"]"])),
        tenant,
        contract,
        licenses,
        select(vec!["mnspro", "manual"]),
    )
        .prop_map(|(name, locales, tenant, contract, licenses, mode)| {
            let locales = locales.map_or(String::new(), |l| format!("locales = {l}\n"));
            format!(
                "name = {}\n{locales}\n{tenant}\n{contract}\n{licenses}\n[assignment]\nmode = \"{mode}\"\n",
                toml_string(&name)
            )
        })
}

// --- chapters: front matter and Markdown/tera bodies ---

/// Template syntax (balanced or not), references and headings that may not resolve,
/// hostile HTML and paths: what well-formed Markdown (`MARKDOWN_TOKENS`) lacks.
const TEMPLATE_TOKENS: &[&str] = &[
    "{%",
    "%}",
    "{{",
    "}}",
    "{!",
    "!}",
    "{#",
    "#}",
    "{{ school.name }}",
    "{{ school.nope }}",
    "{{ school.tenant.admin }}",
    "{{ school.contract.anniversary | date }}",
    "{{ today | date }}",
    "{{ locale }}",
    "{{ site.title }}",
    "{{ 1 / 0 }}",
    "{{ \"x\" | nope }}",
    "{% if school.tenant.admin %}",
    "{% if warnings.renewal_due %}",
    "{% else %}",
    "{% endif %}",
    "{% for l in school.licenses %}",
    "{% for x in school.name %}",
    "{% endfor %}",
    "{% set x = 1 %}",
    "{% raw %}",
    "{% endraw %}",
    "{% include \"x.md\" %}",
    "{% extends \"x\" %}",
    "{% block b %}",
    "{% endblock %}",
    "{% macro m() %}",
    "{% endmacro %}",
    "{{ loop.index }}",
    "{{- school.name -}}",
    "[](#",
    "[text](#erster)",
    "[](#gibt-es-nicht)",
    "[]()",
    "[](",
    "](",
    "- [X] ",
    "![fehlt](img/fehlt.png)",
    "![x](../../etc/passwd)",
    "<img src=x onerror=y>",
    "## Schritt {#erster}",
    "## Neu {#neu}",
    "## {#}",
    "## x {#-bad}",
    "## 😀",
    "Passwort steht im Tresor",
];

/// Everything a chapter may contain: broken template syntax plus well-formed Markdown.
static CHAPTER_TOKENS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    TEMPLATE_TOKENS
        .iter()
        .chain(MARKDOWN_TOKENS)
        .copied()
        .collect()
});

const FRONT_MATTER_TOKENS: &[&str] = &[
    "title = \"Start\"",
    "id = \"start\"",
    "id = \"\"",
    "id = \"-x\"",
    "id = \"a b\"",
    "id = \"erster\"",
    "id = \"zweiter\"",
    "title = 1",
    "title = []",
    "titel = \"x\"",
    "weight = 3",
    "[extra]",
    "+++",
    "++",
    "+++ x",
    "title = \"\"\"",
    "\"\"\"",
    "title =",
    "= \"x\"",
    "title = \"{{ school.name }}\"",
    "title = \"ä🎉\"",
    "#",
    "\\",
    "'",
    "\"",
];

fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any_text(60),
        3 => pieces(FRONT_MATTER_TOKENS, 6),
    ]
}

fn chapter_body() -> impl Strategy<Value = String> {
    let fixture = include_str!("fixtures/basic/content/guide/de/01-start.md");
    prop_oneof![
        1 => any_text(200),
        4 => pieces(&CHAPTER_TOKENS, 30),
        4 => edits(pieces(&CHAPTER_TOKENS, 3), pieces(&CHAPTER_TOKENS, 2))
            .prop_map(move |edits| edits.iter().fold(fixture.to_string(), |t, e| apply(&t, e))),
        6 => well_formed_body(),
    ]
}

/// Markdown that is valid as a template and refers only to ids and images that exist,
/// so most of these chapters reach the numbering, references and the HTML renderer.
const MARKDOWN_TOKENS: &[&str] = &[
    "[](#erster)",
    "[](#zweiter)",
    "[](#start)",
    "[](#ende)",
    "[](#dritter-schritt)",
    "[Text](#erster)",
    "[](https://example.org)",
    "[x](mailto:a@b.de)",
    "> [!NOTE]",
    "> [!TIP]",
    "> [!IMPORTANT]",
    "> [!WARNING]",
    "> [!CAUTION]",
    "> [!",
    "> [!FOO]",
    "> ",
    "- [ ] ",
    "- [x] ",
    "* [ ]",
    "1. [ ]",
    "  - [ ] ",
    "    - [x] ",
    "![Bild](img/lizenzen.svg)",
    "![](img/lizenzen.svg \"Titel\")",
    "![x](/img/lizenzen.svg)",
    "![x](http://example.org/x.png)",
    "![",
    "| a | b |",
    "|---|:-:|",
    "| 1 | 2 |",
    "| [](#erster) | - [ ] |",
    "|",
    "<div>",
    "</div>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "<details><summary>x</summary>",
    "</details>",
    "# ",
    "## ",
    "### ",
    "#### ",
    "## Schritt",
    "### Unterpunkt {#unterpunkt}",
    "{#id}",
    "```",
    "```rust",
    "~~~",
    "    code",
    "`",
    "``",
    "$x$",
    "$$",
    "[^1]",
    "[^1]: Fußnote",
    "**",
    "__",
    "~~",
    "*",
    "_",
    "\\",
    "&amp;",
    "&#0;",
    "&",
    "<",
    ">",
    "---",
    "***",
    "===",
    "ä",
    "ß",
    "🎉",
    "\u{200b}",
    "\u{feff}",
    "\u{202e}",
    "\0",
    "\r",
    "\t",
    "x",
    "Wort",
    "-",
    "+",
    "1.",
    ")",
];

fn well_formed_body() -> impl Strategy<Value = String> {
    let value = select(vec![
        "{{ school.name }}",
        "{{ school.slug }}",
        "{{ school.tenant.domain }}",
        "{{ school.contract.number }}",
        "{{ school.contract.anniversary | date }}",
        "{{ today | date }}",
        "{{ locale }}",
        "{{ site.title }}",
        "{{ site.provider.name }}",
        "{! Kommentar !}",
        "{% raw %}{{ roh }}{% endraw %}",
    ])
    .prop_map(str::to_string);
    let noise = any_text(8).prop_map(|s| s.replace(['{', '}'], ""));
    let leaf = prop_oneof![
        8 => select(MARKDOWN_TOKENS).prop_map(str::to_string),
        3 => value,
        1 => noise,
        4 => select(vec!["\n", "\n\n", "\r\n", " "]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 64, 8, |inner| {
        let blocks = prop::collection::vec(inner, 0..8).prop_map(|b| b.concat());
        prop_oneof![
            blocks.clone(),
            (
                select(vec![
                    "school.tenant.admin",
                    "school.assignment.mode == \"mnspro\"",
                    "warnings.renewal_due",
                    "school.licenses",
                    "locale == \"de\"",
                ]),
                blocks.clone(),
                blocks.clone()
            )
                .prop_map(|(cond, then, other)| format!(
                    "{{% if {cond} %}}{then}{{% else %}}{other}{{% endif %}}"
                )),
            blocks.prop_map(|b| format!(
                "{{% for l in school.licenses %}}{{{{ l.product }}}} {b}{{% endfor %}}"
            )),
        ]
    })
}

/// A whole chapter file: with or without front matter, sometimes unclosed.
fn chapter_file() -> impl Strategy<Value = String> {
    let fence = select(vec!["+++\n", "+++\r\n", "+++", "+++ \n", ""]);
    let close = select(vec![
        "\n+++\n",
        "\r\n+++\r\n",
        "\n+++",
        "\n",
        "\n+++ x\n",
        "",
    ]);
    let broken = (fence, front_matter(), close, chapter_body())
        .prop_map(|(fence, front, close, body)| format!("{fence}{front}{close}{body}"));
    let titled = (
        weird_string(),
        prop::option::of(select(vec!["zufall", "z-1_x"])),
        well_formed_body(),
    )
        .prop_map(|(title, id, body)| {
            let id = id.map_or(String::new(), |id| format!("id = \"{id}\"\n"));
            format!("+++\ntitle = {}\n{id}+++\n{body}", toml_string(&title))
        });
    prop_oneof![2 => broken, 1 => titled]
}

// --- secrets ---

/// Characters that only secrets are made of, so any of them in a report is a leak.
const SECRET_ALPHABET: &[char] = &['α', 'β', 'γ', 'δ', 'λ', 'ж', '漢', '字', '🔑', 'Ω'];

fn secret() -> impl Strategy<Value = String> {
    prop::collection::vec(select(SECRET_ALPHABET), 1..12).prop_map(String::from_iter)
}

/// A product key whose groups are letters and digits that filler text never contains.
fn product_key() -> impl Strategy<Value = String> {
    let upper: Vec<char> = ('A'..='Z').collect();
    let digit: Vec<char> = ('0'..='9').collect();
    let any: Vec<char> = upper.iter().chain(&digit).copied().collect();
    // A letter, then a digit, so no group spells a word or a line number.
    let group = (
        select(upper),
        select(digit),
        prop::collection::vec(select(any), 3),
    )
        .prop_map(|(a, b, rest)| format!("{a}{b}{}", String::from_iter(rest)));
    prop::collection::vec(group, 5).prop_map(|groups| groups.join("-"))
}

/// Random text free of secret characters, uppercase letters and digits.
fn filler() -> impl Strategy<Value = String> {
    any_text(80).prop_map(|s| {
        s.chars()
            .filter(|c| {
                !SECRET_ALPHABET.contains(c) && !c.is_ascii_uppercase() && !c.is_ascii_digit()
            })
            .collect()
    })
}

/// How a planted key's groups are joined: plain, escaped (TOML/JSON), as HTML entities,
/// as another dash, or with a line break or spaces around the dash.
const KEY_DASHES: &[&str] = &[
    "-",
    "\\u002D",
    "\\U0000002d",
    "&#45;",
    "&#x2D;",
    "&ndash;",
    "&hyphen;",
    "&minus;",
    "\u{2010}",
    "\u{2011}",
    "\u{2012}",
    "\u{2013}",
    "\u{2014}",
    "\u{2212}",
    "-\n",
    "\n-",
    " - ",
    "\r\n\u{2013} ",
];

/// A product key as it is planted: its groups joined by (obfuscated) dashes.
fn obfuscated(key: &str, dashes: &[&str]) -> String {
    let mut out = String::new();
    for (i, group) in key.split('-').enumerate() {
        if i > 0 {
            out.push_str(dashes[(i - 1) % dashes.len()]);
        }
        out.push_str(group);
    }
    out
}

#[derive(Debug, Clone)]
enum SecretLine {
    Field(&'static str, &'static str, String),
    /// The key, and how it is written.
    Key(String, String),
}

fn secret_line() -> impl Strategy<Value = SecretLine> {
    let field = select(vec![
        "password",
        "Passwort",
        "admin_kennwort",
        "client_secret",
        "product_key",
        "\"password\"",
        "- **Passwort**",
        "\"pass\\u0077ord\"",
        "product-key",
        "x = { pin",
    ]);
    let sep = select(vec![" = ", "=", ": ", ":"]);
    let quote = select(vec!["\"", "'", ""]);
    prop_oneof![
        (field, sep, quote, secret(), filler()).prop_map(|(f, s, q, secret, tail)| {
            // `tail` after the value: the whole rest of the line is the value.
            let tail: String = tail.chars().filter(|c| *c != '\n').collect();
            SecretLine::Field(f, s, format!("{q}{secret}{q}{tail}"))
        }),
        (product_key(), prop::collection::vec(select(KEY_DASHES), 4))
            .prop_map(|(key, dashes)| SecretLine::Key(obfuscated(&key, &dashes), key)),
    ]
}

// --- the properties ---

proptest! {
    #![proptest_config(cases(400))]

    /// (a) Any school file: `check` reports or succeeds, never panics.
    #[test]
    fn any_school_file_is_checked_without_panic(text in school_text()) {
        let p = Project::fixture("basic");
        p.write(SCHOOL, &text);
        assert_reported(handbuch::check(&p.options()), &p);
    }
}

proptest! {
    #![proptest_config(cases(100))]

    /// (a) Any handbuch.toml, mutated from the fixture's.
    #[test]
    fn any_site_config_is_checked_without_panic(
        edits in prop_oneof![
            edits(pieces(TOML_TOKENS, 4), toml_value()),
            // Only string values replaced: mostly valid, so the odd title or provider
            // name reaches the templates.
            prop::collection::vec(
                (any::<usize>(), weird_string()).prop_map(|(n, v)| Edit::ReplaceValue(n, toml_string(&v))),
                1..4,
            ),
        ],
    ) {
        let p = Project::fixture("basic");
        let text = edits.iter().fold(p.read("handbuch.toml"), |t, e| apply(&t, e));
        p.write("handbuch.toml", &text);
        assert_reported(handbuch::check(&p.options()), &p);
    }
}

proptest! {
    #![proptest_config(cases(500))]

    /// (b) Any chapter file (front matter and Markdown/tera body), replacing the first
    /// chapter or added as a third: no panic.
    #[test]
    fn any_chapter_is_checked_without_panic(
        text in chapter_file(),
        file in select(vec![CHAPTER, "content/guide/de/03-zufall.md"]),
    ) {
        let p = Project::fixture("basic");
        p.write(file, &text);
        assert_reported(handbuch::check(&p.options()), &p);
    }
}

proptest! {
    #![proptest_config(cases(5000))]

    /// (c) The Markdown parser is total.
    #[test]
    fn markdown_parser_never_panics(text in prop_oneof![any_text(300), pieces(&CHAPTER_TOKENS, 40)]) {
        let _ = handbuch::parse_markdown(&text);
    }

    /// (d) Secrets are found, and no report ever shows one of their characters: also
    /// keys spelled with escapes, entities, other dashes or line breaks.
    #[test]
    fn secrets_are_reported_but_never_echoed(
        parts in prop::collection::vec((filler(), prop::option::of(secret_line())), 1..6),
    ) {
        let mut text = String::new();
        let (mut planted, mut keys) = (0, Vec::new());
        for (fill, line) in parts {
            text.push_str(&fill);
            match line {
                Some(SecretLine::Field(field, sep, value)) => {
                    text.push_str(&format!("\n{field}{sep}{value}\n"));
                    planted += 1;
                }
                Some(SecretLine::Key(written, key)) => {
                    text.push_str(&format!(" {written} "));
                    planted += 1;
                    keys.push(key);
                }
                None => {}
            }
        }
        let source: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
        let found = handbuch::find_secrets(&source, Path::new("content/schools/s.toml"));
        prop_assert!(found.len() >= planted, "{} secrets planted, {} found", planted, found.len());
        for d in &found {
            let shown = d.render(false);
            prop_assert!(shown.contains("content/schools/s.toml:"), "{}", shown);
            prop_assert!(!shown.contains(SECRET_ALPHABET), "secret echoed:\n{}", shown);
            for key in &keys {
                for group in key.split('-') {
                    prop_assert!(!shown.contains(group), "key echoed:\n{}", shown);
                }
            }
        }
    }

    /// (e) A slug that validation accepts is one plain path segment: the page stays
    /// inside the output folder.
    #[test]
    fn accepted_slugs_stay_inside_the_output_folder(
        slug in pieces(&["a", "z", "0", "-", "_", ".", "..", "/", "\\", " ", "A", "ä", ":", "%2e", "~"], 8),
    ) {
        if handbuch::is_slug(&slug) {
            let out = Path::new("/srv/public");
            let page = handbuch::page_path("de", &slug);
            prop_assert!(page.components().all(|c| matches!(c, Component::Normal(_))));
            prop_assert_eq!(page.components().count(), 3);
            prop_assert!(out.join(&page).starts_with(out));
        }
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// (e) End to end: whatever a school file is called, every school the project
    /// loads has a slug that is one plain path segment.
    #[test]
    fn loaded_school_slugs_are_safe_path_segments(
        name in pieces(&["a", "z", "0", "-", "_", ".", "..", "\\", " ", "A", "ä", ":", "~", "%2F", "\n"], 8),
    ) {
        prop_assume!(!name.is_empty() && !name.contains(['/', '\0']) && name.len() < 200);
        let p = Project::fixture("basic");
        p.write(&format!("content/schools/{name}.toml"), &p.read(SCHOOL));
        if let Ok(project) = handbuch::Project::load(p.root()) {
            for school in &project.schools {
                let page = handbuch::page_path("de", &school.slug);
                prop_assert!(
                    page.components().all(|c| matches!(c, Component::Normal(_))),
                    "unsafe slug {:?}", school.slug
                );
                prop_assert!(handbuch::is_slug(&school.slug), "{:?}", school.slug);
            }
        }
    }
}
