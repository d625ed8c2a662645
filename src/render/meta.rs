//! What a page says about itself in `<head>`: its canonical address and the same page in
//! other languages (absolute from `base_url`, relative without one), a description, whether
//! search engines may index it, and the Content-Security-Policy.

use serde::Serialize;

use crate::config::Config;
use crate::i18n::Strings;
use crate::publish::Layout;
use crate::school::School;

/// Only the site's own files: no inline script or style, no remote resource, no plugin.
/// `data:` images are allowed for the empty favicon (`<link rel="icon" href="data:,">`).
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'self'; form-action 'self'";

/// The `<head>` metadata of one page, for the theme's `base.html` as `meta`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageMeta {
    pub canonical: String,
    /// The same page in every locale it exists in (empty for a page in one locale).
    pub hreflang: Vec<HrefLang>,
    pub description: String,
    /// `<meta name="robots" content="noindex">` unless `[publish] search_engines = true`.
    pub noindex: bool,
    pub csp: &'static str,
}

/// One `<link rel="alternate" hreflang>`: a locale code or `x-default`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HrefLang {
    pub hreflang: String,
    pub href: String,
}

impl PageMeta {
    /// A school's handbook page, where `layout` puts it.
    pub(crate) fn handbook(
        config: &Config,
        layout: &Layout,
        school: &School,
        locale: &str,
        strings: &Strings,
    ) -> PageMeta {
        // Every handbook page is two folders below the site root, in either scope.
        let page = |l: &str| {
            let place = layout.handbook(&school.slug, l);
            place.url.unwrap_or_else(|| format!("../../{}", place.path))
        };
        let mut hreflang: Vec<HrefLang> = school
            .locales
            .iter()
            .map(|l| HrefLang {
                hreflang: l.clone(),
                href: page(l),
            })
            .collect();
        // Search engines send a reader whose language is none of these to the default
        // locale's page, else to the school's first.
        let fallback = school
            .locales
            .iter()
            .find(|l| **l == config.default_locale)
            .or(school.locales.first());
        match fallback {
            Some(l) if school.locales.len() > 1 => hreflang.push(HrefLang {
                hreflang: "x-default".into(),
                href: page(l),
            }),
            _ => hreflang.clear(),
        }
        let description = strings.fill(
            "meta_description",
            &[
                ("school", school.name.clone()),
                ("site", config.title_for(locale).to_string()),
            ],
        );
        PageMeta::new(config, page(locale), hreflang, description)
    }

    /// The overview `index.html` at the site root, in the default locale.
    pub(crate) fn overview(config: &Config, strings: &Strings) -> PageMeta {
        let description = strings.fill(
            "meta_description_overview",
            &[("site", config.title_for(&strings.locale).to_string())],
        );
        PageMeta::new(config, site_url(config, "", ""), Vec::new(), description)
    }

    /// Page `n` (from 2) of the overview, `overview/<n>.html`: its own canonical address.
    pub(crate) fn overview_page(config: &Config, strings: &Strings, n: usize) -> PageMeta {
        let mut meta = PageMeta::overview(config, strings);
        meta.canonical = site_url(config, "../", &format!("overview/{n}.html"));
        meta
    }

    fn new(
        config: &Config,
        canonical: String,
        hreflang: Vec<HrefLang>,
        description: String,
    ) -> PageMeta {
        PageMeta {
            canonical,
            hreflang,
            description,
            noindex: !config.publish.search_engines,
            csp: CONTENT_SECURITY_POLICY,
        }
    }
}

/// `path` (below the site root, `de/slug/`) as an absolute URL under `base_url`, or
/// relative to a page `root` below the site root when there is no `base_url`.
fn site_url(config: &Config, root: &str, path: &str) -> String {
    let base = config.base_url.trim_end_matches('/');
    if base.is_empty() {
        let relative = format!("{root}{path}");
        if relative.is_empty() {
            "./".into()
        } else {
            relative
        }
    } else {
        format!("{base}/{path}")
    }
}

/// `robots.txt` at the site root: an internal site (the default) asks every crawler to
/// stay out; `[publish] search_engines = true` lets them in.
pub(crate) fn robots_txt(config: &Config) -> &'static str {
    if config.publish.search_engines {
        "User-agent: *\nAllow: /\n"
    } else {
        "User-agent: *\nDisallow: /\n"
    }
}
