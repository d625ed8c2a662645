//! Where a handbook is published, as an absolute URL: the one place that knows the
//! site's folder layout below `base_url`, so the handout's QR code and anything else that
//! links to a handbook from outside agree with the pages that are written.

use crate::config::Config;

/// The absolute URL of a school's handbook in `locale`, `<base_url>/<locale>/<slug>/`;
/// `None` when the site has no `base_url`, so no one is sent to a guessed address.
pub(crate) fn handbook_url(config: &Config, locale: &str, slug: &str) -> Option<String> {
    let base = config.base_url.trim().trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    Some(format!("{base}/{locale}/{slug}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        let text = format!("title = \"T\"\nbase_url = \"{base_url}\"\n");
        toml::from_str(&text).expect("config")
    }

    #[test]
    fn the_url_is_the_base_url_with_locale_and_slug() {
        let url = handbook_url(&config("https://help.example.org/lizenzen/"), "de", "gym");
        assert_eq!(
            url.as_deref(),
            Some("https://help.example.org/lizenzen/de/gym/")
        );
    }

    #[test]
    fn without_base_url_there_is_no_url() {
        assert_eq!(handbook_url(&config(""), "de", "gym"), None);
        assert_eq!(handbook_url(&config("  "), "de", "gym"), None);
    }
}
