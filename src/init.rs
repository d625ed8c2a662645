//! `handbuch init DIR`: start a new project from the bundled example (config, the guide
//! in German and English, the example schools). The files are compiled into the binary.

use std::path::Path;

use crate::diagnostics::Diagnostic;

macro_rules! example {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)))),*]
    };
}

/// Every file of the bundled example, by path in the project.
const EXAMPLE: &[(&str, &str)] = example!(
    "handbuch.toml",
    "content/guide/de/01-vorbereitung.md",
    "content/guide/de/02-anmeldung.md",
    "content/guide/de/02-vlsc-anmeldung.md",
    "content/guide/de/03-berechtigungen.md",
    "content/guide/de/03-vlsc-verwaltung.md",
    "content/guide/de/04-aktivierung.md",
    "content/guide/de/04-onlinedienste.md",
    "content/guide/de/05-buchung.md",
    "content/guide/de/06-kontrolle.md",
    "content/guide/de/07-jaehrlich.md",
    "content/guide/en/01-vorbereitung.md",
    "content/guide/en/02-anmeldung.md",
    "content/guide/en/02-vlsc-anmeldung.md",
    "content/guide/en/03-berechtigungen.md",
    "content/guide/en/03-vlsc-verwaltung.md",
    "content/guide/en/04-aktivierung.md",
    "content/guide/en/04-onlinedienste.md",
    "content/guide/en/05-buchung.md",
    "content/guide/en/06-kontrolle.md",
    "content/guide/en/07-jaehrlich.md",
    "content/schools/berufskolleg-am-hafen.toml",
    "content/schools/foerderzentrum-am-wald.toml",
    "content/schools/gesamtschule-nord.toml",
    "content/schools/grundschule-am-lindenweg.toml",
    "content/schools/gymnasium-am-stadtpark.toml",
    "content/schools/realschule-am-rheinufer.toml",
);

/// Write the example into `dir`, which must not exist yet or be empty: nothing is overwritten.
pub fn init(dir: &Path) -> Result<usize, Diagnostic> {
    let occupied = dir
        .read_dir()
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if occupied {
        return Err(Diagnostic::error(
            dir,
            "folder is not empty: handbuch init never overwrites files",
        )
        .with_code("init.not-empty")
        .with_note("choose a new folder, e.g. `handbuch init lizenzen`"));
    }
    for (path, text) in EXAMPLE {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        written.map_err(|e| {
            Diagnostic::error(&target, format!("cannot write: {e}")).with_code("init.write")
        })?;
    }
    Ok(EXAMPLE.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded list must follow the example: a new chapter or school is added here too.
    #[test]
    fn example_list_matches_the_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = vec!["handbuch.toml".into()];
        for dir in ["content/guide/de", "content/guide/en", "content/schools"] {
            let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
                .expect("example folder")
                .filter_map(Result::ok)
                .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                .collect();
            names.sort();
            on_disk.extend(names);
        }
        let embedded: Vec<String> = EXAMPLE.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(embedded, on_disk);
    }
}
