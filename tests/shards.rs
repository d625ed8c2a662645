//! `build --shard K/N` and `build --merge DIR…`: the site built on several machines and put
//! together is the site built on one, and a shard made from other inputs is refused.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{tree, Project};
use handbuch::{BuildReport, Diagnostics, Shard};

/// The basic fixture with seven schools, each with its own tenant and contract (so that
/// editing one changes no other school's findings).
fn seven_schools() -> Project {
    let p = Project::fixture("basic");
    for (i, name) in ["alpha", "beta", "gamma", "delta", "epsilon"]
        .iter()
        .enumerate()
    {
        let text = format!(
            "name = \"Schule {name}\"\n\n[tenant]\ndomain = \"{name}.onmicrosoft.com\"\n\
             admin = \"admin@{name}.onmicrosoft.com\"\n\n[contract]\nnumber = \"V400000{i}\"\n\n\
             [assignment]\nmode = \"manual\"\n"
        );
        p.write(&format!("content/schools/{name}.toml"), &text);
    }
    p
}

fn shard(k: usize) -> Shard {
    Shard::parse(&format!("{k}/3")).expect("a valid shard")
}

fn build_shard(p: &Project, k: usize, pdf: bool) -> BuildReport {
    let mut options = p.options();
    options.pdf = pdf;
    options.shard = Some(shard(k));
    options.out = Some(p.path(&format!("shard-{k}")));
    handbuch::build(&options).unwrap_or_else(|e| panic!("shard {k} failed:\n{e}"))
}

fn merge(p: &Project, shards: &[usize], pdf: bool) -> Result<BuildReport, Diagnostics> {
    let mut options = p.options();
    options.pdf = pdf;
    options.merge = shards
        .iter()
        .map(|k| p.path(&format!("shard-{k}")))
        .collect();
    options.out = Some(p.path("merged"));
    handbuch::build(&options)
}

/// The slugs a shard's manifest lists.
fn slugs_in(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join("shard.json")).expect("a manifest");
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut slugs: Vec<String> = manifest["handbooks"]
        .as_array()
        .expect("handbooks")
        .iter()
        .map(|h| h["slug"].as_str().expect("slug").to_string())
        .collect();
    slugs.dedup();
    slugs
}

#[test]
fn three_merged_shards_are_byte_identical_to_a_full_build() {
    let p = seven_schools();
    p.built();
    let mut sharded = 0;
    for k in 1..=3 {
        let report = build_shard(&p, k, true);
        assert!(
            !p.path(&format!("shard-{k}/index.html")).exists(),
            "no site-wide files"
        );
        sharded += report.handbooks;
    }
    assert_eq!(sharded, 7, "every school in exactly one shard");
    let merged = merge(&p, &[1, 2, 3], true).unwrap_or_else(|e| panic!("merge failed:\n{e}"));
    assert_eq!((merged.handbooks, merged.pdfs, merged.rendered), (7, 7, 0));
    let (full, merged) = (tree(&p.path("public")), tree(&p.path("merged")));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&merged), names(&full));
    for ((name, a), (_, b)) in merged.iter().zip(&full) {
        assert!(a == b, "{} differs from the full build", name.display());
    }
}

#[test]
fn a_school_stays_in_its_shard_when_another_is_added() {
    let p = seven_schools();
    let before: Vec<Vec<String>> = (1..=3)
        .map(|k| {
            build_shard(&p, k, false);
            slugs_in(&p.path(&format!("shard-{k}")))
        })
        .collect();
    let text = p
        .read("content/schools/alpha.toml")
        .replace("alpha", "zeta");
    p.write("content/schools/zeta.toml", &text);
    for (k, slugs) in (1..=3).zip(&before) {
        build_shard(&p, k, false);
        let after = slugs_in(&p.path(&format!("shard-{k}")));
        let kept: Vec<String> = after.into_iter().filter(|s| s != "zeta").collect();
        assert_eq!(&kept, slugs, "shard {k}");
    }
}

#[test]
fn a_shard_built_from_other_inputs_is_refused() {
    let p = seven_schools();
    for k in 1..=3 {
        build_shard(&p, k, false);
    }
    let text = p
        .read("content/schools/evil.toml")
        .replace("V1000001", "V1000009");
    p.write("content/schools/evil.toml", &text);
    let holder = (1..=3)
        .find(|k| slugs_in(&p.path(&format!("shard-{k}"))).contains(&"evil".to_string()))
        .expect("evil is in a shard");
    let errors = merge(&p, &[1, 2, 3], false).expect_err("a stale shard");
    let messages: Vec<String> = errors.errors().map(|d| d.message.clone()).collect();
    assert_eq!(
        messages,
        vec![format!(
            "the handbook of `evil` (de) in shard {} was built from other inputs",
            p.path(&format!("shard-{holder}")).display()
        )]
    );
    assert!(!p.path("merged").exists(), "nothing was published");
}

#[test]
fn a_handbook_in_no_given_shard_is_an_error_naming_it() {
    let p = seven_schools();
    for k in 1..=3 {
        build_shard(&p, k, false);
    }
    let left_out = slugs_in(&p.path("shard-3"));
    let errors = merge(&p, &[1, 2], false).expect_err("a shard is missing");
    let listed = format!(
        "{}, {}",
        p.path("shard-1").display(),
        p.path("shard-2").display()
    );
    let mut expected: Vec<String> = left_out
        .iter()
        .map(|slug| format!("the handbook of `{slug}` (de) is in none of the shards {listed}"))
        .collect();
    expected.sort();
    let mut messages: Vec<String> = errors.errors().map(|d| d.message.clone()).collect();
    messages.sort();
    assert_eq!(messages, expected);
}

/// `handbuch build <args>` on the project: exit code and the first line of stderr.
fn cli(p: &Project, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(["build", "--no-pdf", "--today", common::TODAY, "--root"])
        .arg(p.root())
        .args(args)
        .output()
        .expect("run handbuch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    (
        out.status.code(),
        stderr.lines().next().unwrap_or_default().to_string(),
    )
}

#[test]
fn malformed_shards_are_usage_errors() {
    let p = seven_schools();
    let cases = [
        ("2", "`2` is not K/N, e.g. 2/4"),
        ("a/b", "`a/b` is not K/N, e.g. 2/4"),
        ("0/3", "`0/3`: K must be 1 to N"),
        ("4/3", "`4/3`: K must be 1 to N"),
        ("1/0", "`1/0`: K must be 1 to N"),
    ];
    for (value, why) in cases {
        let (code, line) = cli(&p, &["--out", "s", "--shard", value]);
        assert_eq!(code, Some(2), "{value}");
        assert_eq!(
            line,
            format!("error: invalid value '{value}' for '--shard <K/N>': {why}")
        );
    }
}

#[test]
fn shard_with_merge_or_school_is_a_usage_error() {
    let p = seven_schools();
    let (code, line) = cli(&p, &["--out", "s", "--shard", "1/2", "--merge", "a"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        line,
        "error: the argument '--shard <K/N>' cannot be used with '--merge <DIR>...'"
    );
    let (code, line) = cli(&p, &["--out", "s", "--shard", "1/2", "--school", "evil"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        line,
        "error: the argument '--shard <K/N>' cannot be used with '--school <SLUG>'"
    );
}

#[test]
fn a_merge_cannot_replace_one_of_its_shards() {
    let p = seven_schools();
    build_shard(&p, 1, false);
    let shard = p.path("shard-1");
    let shard = shard.to_str().expect("utf-8 temp path");
    let (code, _) = cli(&p, &["--out", shard, "--merge", shard]);
    assert_eq!(code, Some(2));
    assert!(p.path("shard-1/shard.json").is_file(), "the shard is kept");
}

#[test]
fn a_folder_without_a_readable_manifest_is_not_a_shard() {
    let p = seven_schools();
    for k in 1..=3 {
        build_shard(&p, k, false);
    }
    let manifest = |k: usize| p.path(&format!("shard-{k}/shard.json"));
    fs::write(manifest(1), "{\"handbuch_shard\": 1, \"handbooks\": [").expect("write");
    // 300 MB that take no disk (a sparse file): refused by its size, never read.
    fs::File::create(manifest(2))
        .and_then(|f| f.set_len(300 * 1024 * 1024))
        .expect("sparse file");
    let errors = merge(&p, &[1, 2, 3], false).expect_err("two folders are no shards");
    let mut found: Vec<(String, String)> = errors
        .errors()
        .map(|d| (d.file.display().to_string(), d.message.clone()))
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, manifest(1).display().to_string());
    assert!(
        found[0]
            .1
            .starts_with("not the manifest of a shard: EOF while parsing"),
        "{}",
        found[0].1
    );
    assert_eq!(
        found[1],
        (
            manifest(2).display().to_string(),
            "not the manifest of a shard: larger than 256 MiB".to_string()
        )
    );
    assert!(!p.path("merged").exists(), "nothing was published");
}

#[test]
fn a_manifest_that_is_a_fifo_is_refused_without_waiting_for_a_writer() {
    let p = seven_schools();
    for k in 1..=3 {
        build_shard(&p, k, false);
    }
    common::make_fifo(&p.path("shard-2/shard.json"));
    let root = p.root().to_str().expect("utf-8 path");
    let shard = |k: usize| p.path(&format!("shard-{k}")).display().to_string();
    let merged = p.path("merged").display().to_string();
    let out = common::output_within(
        Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args([
                "build",
                "--root",
                root,
                "--today",
                common::TODAY,
                "--no-pdf",
            ])
            .args(["--out", &merged])
            .args(["--merge", &shard(1), &shard(2), &shard(3)])
            .env("NO_COLOR", "1"),
        30,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: not the manifest of a shard: not a regular file (a folder, FIFO, socket or device)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("shard-2/shard.json"), "{stderr}");
    assert!(!p.path("merged").exists(), "nothing was published");
}
