//! Loading a whole project: config, theme, UI strings, schools and chapters,
//! with every problem of every file collected before anything is built.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::guide::Guide;
use crate::i18n::Strings;
use crate::school::{self, School};
use crate::theme::Theme;
use crate::walk;

pub(crate) const SCHOOLS_DIR: &str = "content/schools";
pub(crate) const STATIC_DIR: &str = "static";

/// A validated project, ready to build.
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub theme: Theme,
    pub strings: BTreeMap<String, Arc<Strings>>,
    pub schools: Vec<School>,
    pub guide: Guide,
    /// Problems found while loading that do not stop the rest from being checked:
    /// warnings (untranslated chapters) and errors in single school files.
    pub problems: Diagnostics,
    /// What [`Project::image_problem`] found, by path: every school's handbook uses the
    /// same images, so each is decoded once per build.
    images: Mutex<BTreeMap<String, Option<String>>>,
    /// What [`Project::asset_exists`] found, by path: each handbook links the same files,
    /// and resolving a path's links costs a system call per folder.
    assets: Mutex<BTreeMap<String, bool>>,
    /// `static/` with every link resolved, if it exists: what a page or handout may use.
    static_dir: Option<PathBuf>,
}

impl Project {
    pub fn load(root: &Path) -> Result<Project, Diagnostics> {
        let config = Config::load(root)?;
        let mut problems = Diagnostics::default();
        let mut skipped = Vec::new();
        let theme = Theme::load(root, &config.theme, &mut skipped)?;
        let strings = load_strings(&theme, &config, &mut problems);
        let schools = load_schools(root, &config, &mut skipped, &mut problems);
        let guide = Guide::load(root, &config, &mut skipped, &mut problems);
        let guide = problems.take(guide);
        problems.extend(walk::skipped_warning(&skipped));
        // Without a guide or UI strings nothing can be rendered; bad school files only
        // drop those schools, so the chapters are still checked against the others.
        let strings_ok = strings.contains_key(&config.default_locale);
        match guide {
            Some(guide) if strings_ok => Ok(Project {
                root: root.to_path_buf(),
                config,
                theme,
                strings,
                schools,
                guide,
                problems,
                images: Mutex::default(),
                assets: Mutex::default(),
                static_dir: root.join(STATIC_DIR).canonicalize().ok(),
            }),
            _ => Err(problems.sorted()),
        }
    }

    pub fn strings(&self, locale: &str) -> Arc<Strings> {
        self.strings
            .get(locale)
            .or_else(|| self.strings.get(&self.config.default_locale))
            .cloned()
            .unwrap_or_else(|| {
                // load_strings guarantees the default locale; this is only a total fallback.
                Arc::new(Strings::empty(locale))
            })
    }

    /// Whether `content/schools/<slug>.toml` exists, valid or not.
    pub fn has_school_file(&self, slug: &str) -> bool {
        self.root
            .join(SCHOOLS_DIR)
            .join(format!("{slug}.toml"))
            .is_file()
    }

    /// Whether `path` (relative to `static/`) names a file the site publishes: a regular
    /// file inside it, reached without a symbolic link (links are not copied).
    pub fn asset_exists(&self, path: &str) -> bool {
        remembered(&self.assets, path, || self.static_file(path).is_some())
    }

    fn static_file(&self, path: &str) -> Option<PathBuf> {
        walk::plain_file_below(self.static_dir.as_deref()?, Path::new(path))
    }

    /// Why the image `path` (relative to `static/`, known to exist) cannot be printed.
    pub fn image_problem(&self, path: &str) -> Option<String> {
        remembered(&self.images, path, || {
            match self
                .static_file(path)
                .map(|file| (crate::limits::read_regular(&file), file))
            {
                Some((Ok(data), file)) => crate::render::image_check::image_problem(&file, data),
                Some((Err(e), _)) => Some(format!("cannot read it: {e}")),
                None => Some("it is not a file in static/".to_string()),
            }
        })
    }
}

/// `known[key]`, made by `make` the first time. Not held while `make` runs: two threads
/// may both make a value, which is the same.
fn remembered<V: Clone>(
    known: &Mutex<BTreeMap<String, V>>,
    key: &str,
    make: impl FnOnce() -> V,
) -> V {
    let lock = || known.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(value) = lock().get(key) {
        return value.clone();
    }
    let value = make();
    lock().insert(key.to_string(), value.clone());
    value
}

fn load_strings(
    theme: &Theme,
    config: &Config,
    problems: &mut Diagnostics,
) -> BTreeMap<String, Arc<Strings>> {
    let mut all = BTreeMap::new();
    let loaded = Strings::load(theme, &config.default_locale, None, problems);
    let Some(default) = problems.take(loaded) else {
        return all;
    };
    for locale in config
        .locales
        .iter()
        .filter(|l| **l != config.default_locale)
    {
        let loaded = Strings::load(theme, locale, Some(&default), problems);
        if let Some(strings) = problems.take(loaded) {
            all.insert(locale.clone(), Arc::new(strings));
        }
    }
    all.insert(config.default_locale.clone(), Arc::new(default));
    all
}

/// Every `*.toml` below `content/schools/`, in parallel, sorted by slug.
fn load_schools(
    root: &Path,
    config: &Config,
    skipped: &mut Vec<walk::Skipped>,
    problems: &mut Diagnostics,
) -> Vec<School> {
    let listing = walk::list(root, &root.join(SCHOOLS_DIR), Some("toml"), usize::MAX);
    skipped.extend(listing.skipped);
    problems.extend(listing.errors);
    let files = listing.files;
    let results: Vec<Result<School, Diagnostics>> = files
        .par_iter()
        .map(|path| {
            let shown = path.strip_prefix(root).unwrap_or(path);
            school::load(path, shown, config)
        })
        .collect();
    let mut schools = Vec::with_capacity(results.len());
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (path, result) in files.iter().zip(results) {
        let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        // Compared by file name, not by loaded school: a duplicate is reported even
        // when one of the two files has errors of its own.
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(first) = seen.get(&slug) {
            problems.push(
                Diagnostic::error(&shown, format!("duplicate school slug `{slug}`"))
                    .with_code("school.duplicate-slug")
                    .with_note(format!(
                        "{} has the same file name; slugs must be unique",
                        first.display()
                    )),
            );
            problems.extend(result.err().unwrap_or_default());
            continue;
        }
        seen.insert(slug, shown);
        schools.extend(problems.take(result));
    }
    schools.sort_by(|a, b| a.slug.cmp(&b.slug));
    schools
}
