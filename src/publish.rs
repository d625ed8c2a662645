//! Where handbooks are published. One function, [`Layout::handbook`], says where a school's
//! handbook in a locale lives (folder, link and, with `base_url`, its absolute URL); pages,
//! PDF links, the search data and `links.csv` all ask it.
//!
//! * Provider scope (the default): `<locale>/<slug>/`, listed on the overview.
//! * School scope (`[publish] scope = "school"`): `<folder>/<locale>/`, where `<folder>` is
//!   a keyed hash of the slug ([`key`]). Without the key nobody can derive a school's folder
//!   from its slug, so the link a school gets leads to its own handbooks only.
//!
//! Both layouts put a page two folders below the site root, so every relative link to
//! the root (`../../assets/…`, `../../files/…`) is the same in both.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::{is_locale_code, Config, Scope};

pub(crate) mod key;
pub(crate) mod links;

pub(crate) use key::FolderKey;

/// How the handbooks of a build are laid out in the output folder.
pub(crate) struct Layout {
    scope: Scope,
    /// School scope: names each school's folder. `None` in provider scope, and in
    /// `check`, which writes nothing and so needs no secret.
    key: Option<FolderKey>,
    /// `base_url` without a trailing `/`; empty when it is not set.
    base_url: String,
}

/// Where one handbook (a school in a locale) lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// Relative to the site root, with a trailing `/`: `de/gym-nord/` or `<folder>/de/`.
    pub path: String,
    /// `base_url` + `path` when `base_url` is set.
    pub url: Option<String>,
}

impl Layout {
    pub(crate) fn new(config: &Config, key: Option<FolderKey>) -> Layout {
        Layout {
            scope: config.publish.scope,
            key,
            base_url: config.base_url.trim_end_matches('/').to_string(),
        }
    }

    pub(crate) fn scope(&self) -> Scope {
        self.scope
    }

    /// Where the handbook of school `slug` in `locale` lives.
    pub(crate) fn handbook(&self, slug: &str, locale: &str) -> Place {
        let path = match (self.scope, &self.key) {
            (Scope::School, Some(key)) => format!("{}/{locale}/", key.folder(slug)),
            _ => format!("{locale}/{slug}/"),
        };
        let url = (!self.base_url.is_empty()).then(|| format!("{}/{path}", self.base_url));
        Place { path, url }
    }

    /// The school's own top folder in school scope (`<folder>`), else `None`.
    pub(crate) fn school_folder(&self, slug: &str) -> Option<String> {
        match (self.scope, &self.key) {
            (Scope::School, Some(key)) => Some(key.folder(slug)),
            _ => None,
        }
    }
}

impl Place {
    /// The handbook's folder, relative to the output folder.
    pub(crate) fn dir(&self) -> PathBuf {
        self.path.split('/').filter(|p| !p.is_empty()).collect()
    }

    /// A file in the handbook's folder: `index.html`, `<slug>.pdf`, ….
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// The handbook page itself.
    pub(crate) fn page(&self) -> PathBuf {
        self.file("index.html")
    }
}

/// What a previous site in `site` holds that this layout does not: in school scope the
/// provider's `<locale>/` folders, its search data of all schools and the folders of
/// schools not in `current` (removed, or named with another key); in provider scope
/// every school folder.
pub(crate) fn stale_entries(
    layout: &Layout,
    site: &Path,
    current: &[String],
) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for entry in fs::read_dir(site)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let gone = match layout.scope {
            Scope::School => {
                is_locale_code(name)
                    || (key::is_folder_name(name) && !current.iter().any(|c| c == name))
            }
            Scope::Provider => key::is_folder_name(name),
        };
        if gone {
            stale.push(entry.path());
        }
    }
    let assets = site.join(crate::site::ASSETS_DIR);
    if layout.scope == Scope::School && assets.is_dir() {
        for entry in fs::read_dir(assets)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // `search-<locale>.js` and its folder of shards `search-<locale>/`.
            if name.starts_with("search-") {
                stale.push(entry.path());
            }
        }
    }
    stale.sort();
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(scope: Scope, base_url: &str) -> Config {
        let mut config: Config = toml::from_str("title = \"T\"").expect("minimal config");
        config.publish.scope = scope;
        config.base_url = base_url.into();
        config
    }

    #[test]
    fn provider_handbooks_live_under_locale_and_slug() {
        let layout = Layout::new(&config(Scope::Provider, ""), None);
        let place = layout.handbook("gym-nord", "de");
        assert_eq!(place.path, "de/gym-nord/");
        assert_eq!(place.url, None);
        assert_eq!(place.page(), Path::new("de/gym-nord/index.html"));
    }

    #[test]
    fn school_handbooks_live_under_the_keyed_folder_with_absolute_urls() {
        let key = FolderKey::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let folder = key.folder("gym-nord");
        let layout = Layout::new(&config(Scope::School, "https://h.example/x/"), Some(key));
        let place = layout.handbook("gym-nord", "en");
        assert_eq!(place.path, format!("{folder}/en/"));
        assert_eq!(
            place.url.as_deref(),
            Some(format!("https://h.example/x/{folder}/en/").as_str())
        );
        assert_eq!(
            place.file("gym-nord.pdf"),
            Path::new(&folder).join("en/gym-nord.pdf")
        );
        assert!(key::is_folder_name(&folder));
        assert!(!key::is_folder_name("de"));
    }
}
