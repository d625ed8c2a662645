//! School warnings: what a school's data says its staff must watch out for. Not to be
//! confused with build warnings (`Diagnostic`s about the project).
//!
//! Data flows one way: `kinds` declares every kind once; `rules` look at the school
//! and return typed `Finding`s, once per school and build; the renderers put a finding
//! into words with `localize`, in each locale they show it in.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Edition;
use crate::i18n::Strings;

pub(crate) mod kinds;
mod rules;

pub(crate) use kinds::{by_message, kind, WarningKind, KINDS};
pub(crate) use rules::{evaluate, Facts, SchoolIndex};

/// How bad it is; ordered so the most severe sorts last (`max` = worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Danger,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Danger => "danger",
        }
    }
}

/// One argument of a finding, typed so that each locale can put it into its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Arg {
    /// In the locale's date format: "18.12.2026".
    Date(NaiveDate),
    /// A number of days with the locale's plural: "1 Tag", "23 Tagen".
    Days(i64),
    /// School or config data, shown as it is.
    Text(String),
    /// Shown in full, comma-separated: "111, 222".
    List(Vec<String>),
    /// Names of other schools: the first few, then "und 3 weitere".
    Schools(Vec<String>),
    /// How many other schools, without their names: "einer anderen Schule", "2 anderen
    /// Schulen" (school scope, where a page must not name another school).
    OtherSchools(usize),
}

/// At most this many other schools are named in one warning.
const NAMED_AT_MOST: usize = 5;

impl Arg {
    fn in_words(&self, strings: &Strings) -> String {
        match self {
            Arg::Date(date) => strings.format_date(*date),
            Arg::Days(n) => strings.plural("days", *n),
            Arg::Text(text) => text.clone(),
            Arg::List(items) => items.join(", "),
            Arg::Schools(names) => name_list(strings, names),
            Arg::OtherSchools(n) => {
                strings.plural("other-schools", i64::try_from(*n).unwrap_or(i64::MAX))
            }
        }
    }
}

/// "A, B, C, D, E und 12 weitere": a long list would swamp the page.
fn name_list(strings: &Strings, names: &[String]) -> String {
    let shown = names[..names.len().min(NAMED_AT_MOST)].join(", ");
    match names.len().checked_sub(NAMED_AT_MOST) {
        Some(rest) if rest > 0 => {
            let more = strings.plural("more-schools", i64::try_from(rest).unwrap_or(i64::MAX));
            format!("{shown} {more}")
        }
        _ => shown,
    }
}

/// What a rule found about one school: a kind and its arguments, in no language yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: &'static WarningKind,
    /// The message's placeables by name; `$edition` is added by `localize`.
    pub args: Vec<(&'static str, Arg)>,
}

impl Finding {
    pub fn new(kind: &'static WarningKind, args: Vec<(&'static str, Arg)>) -> Finding {
        Finding { kind, args }
    }

    pub fn id(&self) -> &'static str {
        self.kind.id
    }

    pub fn severity(&self) -> Severity {
        self.kind.severity
    }

    /// The same finding with other schools' names replaced by how many they are: for
    /// pages that one school reads, which must not show another school's data.
    pub(crate) fn anonymous(mut self) -> Finding {
        for (_, arg) in &mut self.args {
            if let Arg::Schools(names) = arg {
                *arg = Arg::OtherSchools(names.len());
            }
        }
        self
    }
}

/// A finding in the words of one locale. Every message also gets the `$edition`
/// ("current" or "vlsc") to fit its words to the portal the handbook describes.
pub(crate) fn localize(finding: &Finding, strings: &Strings, edition: Edition) -> String {
    let mut args: Vec<(&str, String)> = finding
        .args
        .iter()
        .map(|(name, arg)| (*name, arg.in_words(strings)))
        .collect();
    args.push(("edition", edition.name().to_string()));
    strings.fill(finding.kind.message, &args)
}

/// A school warning in one locale: what the overview and `handbuch check --list` show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolWarning {
    pub id: &'static str,
    pub severity: Severity,
    pub text: String,
}

impl SchoolWarning {
    pub fn new(finding: &Finding, strings: &Strings, edition: Edition) -> SchoolWarning {
        SchoolWarning {
            id: finding.id(),
            severity: finding.severity(),
            text: localize(finding, strings, edition),
        }
    }
}

/// A school's finding as a run reports it to a machine (`--format json|github`): the
/// typed finding with the step, file and words that go with it.
///
/// The strings many findings share are shared, not copied, and the words are made when
/// they are shown: a 40,000-school build reports ~190,000 findings, whose texts alone
/// held ~30 MB at the build's peak.
#[derive(Clone)]
pub(crate) struct ReportedFinding {
    pub slug: std::sync::Arc<str>,
    /// The school's data file, as diagnostics name it.
    pub file: std::sync::Arc<std::path::Path>,
    /// The step it is shown at in this project (`[warnings.steps]` or the default).
    pub step: std::sync::Arc<str>,
    pub finding: Finding,
    /// The site's default locale, as the human output has it.
    pub strings: std::sync::Arc<Strings>,
    pub edition: Edition,
}

impl ReportedFinding {
    /// The locale of [`ReportedFinding::text`].
    pub(crate) fn locale(&self) -> &str {
        &self.strings.locale
    }

    /// The finding in words, as the overview and the handbook show it.
    pub(crate) fn text(&self) -> String {
        localize(&self.finding, &self.strings, self.edition)
    }
}

impl std::fmt::Debug for ReportedFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportedFinding")
            .field("slug", &self.slug)
            .field("step", &self.step)
            .field("finding", &self.finding)
            .field("text", &self.text())
            .finish()
    }
}

/// `{id: true|false}` for every kind, so `{% if warnings.x %}` never hits an undefined key.
pub(crate) fn flags(findings: &[Finding]) -> BTreeMap<&'static str, bool> {
    KINDS
        .iter()
        .map(|k| (k.id, findings.iter().any(|f| f.kind.id == k.id)))
        .collect()
}

/// How many findings of each severity a school has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    pub notes: usize,
    pub warnings: usize,
    pub dangers: usize,
}

pub(crate) fn counts(findings: &[Finding]) -> Counts {
    let mut counts = Counts::default();
    for f in findings {
        match f.severity() {
            Severity::Note => counts.notes += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Danger => counts.dangers += 1,
        }
    }
    counts
}

/// The words: each finding localized with the default theme's messages, as today's
/// handbooks show them.
#[cfg(test)]
mod tests {
    use super::rules::tests::{date, only, run, run_with, school, troubled_school, vlsc_config};
    use super::*;
    use crate::school::{School, VlscAccount};
    use crate::theme::Theme;

    fn strings_of(locale: &str) -> Strings {
        let theme = Theme::load(
            std::path::Path::new("/nonexistent"),
            "default",
            &mut Vec::new(),
        )
        .expect("theme");
        Strings::load(&theme, locale, None, &mut Default::default()).expect("strings")
    }

    /// The German words of the finding `id` among `findings`, current edition.
    fn words(findings: &[Finding], id: &str) -> String {
        words_in(findings, id, "de", Edition::Current)
    }

    fn words_in(findings: &[Finding], id: &str, locale: &str, edition: Edition) -> String {
        let finding = findings
            .iter()
            .find(|f| f.id() == id)
            .unwrap_or_else(|| panic!("no {id} in {findings:?}"));
        localize(finding, &strings_of(locale), edition)
    }

    #[test]
    fn dates_and_days_are_in_the_locales_words() {
        let mut s = school("a");
        s.contract.anniversary = Some(date(2026, 12, 18));
        let text = words(&only(&s), "renewal_due");
        assert!(text.contains("am 18.12.2026 fällig, in 23 Tagen"), "{text}");
        s.contract.anniversary = Some(date(2026, 11, 26));
        assert!(
            words(&only(&s), "renewal_due").contains("in 1 Tag."),
            "singular"
        );
        s.contract.anniversary = Some(date(2026, 10, 1));
        let text = words(&only(&s), "renewal_overdue");
        assert!(text.contains("seit 55 Tagen überfällig"), "{text}");
    }

    #[test]
    fn one_finding_in_german_and_in_english() {
        let mut s = school("a");
        s.contract.anniversary = Some(date(2026, 10, 1));
        let found = only(&s);
        assert_eq!(
            words_in(&found, "renewal_overdue", "de", Edition::Current),
            "Die jährliche Onlineaktivierung war am 01.10.2026 fällig und ist seit 55 Tagen \
             überfällig. Holen Sie sie sofort nach, sonst verlieren Lehrkräfte und Schüler \
             den Zugriff."
        );
        assert_eq!(
            words_in(&found, "renewal_overdue", "en", Edition::Current),
            "The yearly online activation was due on 1 October 2026 and is 55 days overdue. \
             Do it at once, or teachers and students lose access."
        );
    }

    #[test]
    fn admin_and_tenant_are_named() {
        let mut s = school("a");
        s.tenant.admin = Some("it@elsewhere.de".into());
        let text = words(&only(&s), "admin_outside_tenant");
        assert!(text.contains("it@elsewhere.de") && text.contains("a.onmicrosoft.com"));
    }

    #[test]
    fn the_vlsc_edition_keeps_its_own_words() {
        let mut s = school("a");
        s.contract.order_email = None;
        s.contract.vlsc_account = VlscAccount::Unknown;
        s.contract.provider_access = false;
        let found = run_with(&vlsc_config(), &s, std::slice::from_ref(&s));
        let vlsc = |id: &str| words_in(&found, id, "de", Edition::Vlsc);
        assert!(vlsc("order_email_unknown")
            .contains("Mit genau dieser Adresse melden Sie sich am VLSC an"));
        assert!(vlsc("vlsc_account_unknown").contains("Probieren Sie beide Kontotypen aus"));
        assert!(vlsc("provider_no_access").contains("Zugriff auf Ihr VLSC"));
        assert!(vlsc("provider_no_access").contains("unter „Verwaltung“"));
        let found = only(&s);
        let text = words(&found, "order_email_unknown");
        assert!(
            text.contains("An sie gehen die Bestellbestätigung und Einladungen von Microsoft")
                && !text.contains("VLSC"),
            "{text}"
        );
        let text = words(&found, "provider_no_access");
        assert!(
            text.starts_with("IT GmbH hat noch keinen Zugriff"),
            "{text}"
        );
        assert!(text.contains("unter „Rollenzuweisungen“"), "{text}");
    }

    #[test]
    fn no_warning_of_the_current_edition_mentions_the_vlsc() {
        let (s, all) = troubled_school();
        let found = run(&s, &all);
        assert!(found.len() >= 12, "{found:?}");
        for locale in ["de", "en"] {
            let strings = strings_of(locale);
            for f in &found {
                let text = localize(f, &strings, Edition::Current);
                for word in ["VLSC", "Verwaltung", "{"] {
                    assert!(!text.contains(word), "{locale} {}: {text}", f.id());
                }
            }
        }
    }

    #[test]
    fn lists_are_joined_and_long_lists_of_schools_are_cut() {
        let mut s = school("a");
        s.contract.orders = vec!["111".into(), "222".into()];
        let text = words(&only(&s), "several_orders");
        assert!(
            text.contains("(111, 222)") && text.contains("V1000000"),
            "{text}"
        );
        let mut all: Vec<School> = (0..9).map(|i| school(&format!("s{i}"))).collect();
        for (i, s) in all.iter_mut().enumerate() {
            s.contract.number = format!("V{i}");
            s.tenant.domain = "shared.onmicrosoft.com".into();
        }
        let text = words(&run(&all[0], &all), "shared_tenant");
        assert!(
            text.contains("Schule s1, Schule s2, Schule s3, Schule s4, Schule s5 und 3 weitere"),
            "{text}"
        );
        assert!(!text.contains("Schule s6"), "{text}");
    }

    #[test]
    fn a_licence_is_quoted_by_product() {
        let mut s = school("a");
        s.licenses[0].quantity = 0;
        assert!(words(&only(&s), "license_zero").contains("„A3“"));
    }

    #[test]
    fn a_personal_account_says_which_one() {
        let mut s = school("a");
        s.contract.vlsc_account = VlscAccount::Microsoft;
        let text = words(&only(&s), "personal_account");
        assert!(
            text.starts_with("Der frühere Zugang Ihrer Schule ist als Microsoft-Konto vermerkt")
                && text.contains("nur Geschäfts- oder Schulkonten")
                && text.contains("ein neues Profil")
                && text.contains("IT GmbH"),
            "{text}"
        );
        s.contract.order_email = Some("Sekretariat@WEB.DE".into());
        let text = words(&only(&s), "personal_account");
        assert!(text.contains("Sekretariat@WEB.DE"), "{text}");
    }

    #[test]
    fn the_tenant_id_message_names_the_tenant() {
        let mut s = school("a");
        s.tenant.id = None;
        assert!(words(&only(&s), "tenant_id_unknown").contains("a.onmicrosoft.com"));
    }

    #[test]
    fn a_passed_subscription_end_spells_out_the_consequence() {
        let mut s = school("a");
        s.contract.subscription_end = Some(date(2026, 10, 31));
        let text = words(&only(&s), "subscription_expired");
        for part in [
            "am 31.10.2026 abgelaufen",
            "vor 25 Tagen",
            "bei Open Value 30 Tage",
            "90 Tage deaktiviert",
            "Nur Administratoren",
            "gelöscht",
            "sofort",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }

    #[test]
    fn few_vl_admins_names_the_one_or_nobody() {
        let mut s = school("a");
        s.contract.vl_admins = vec!["Anna Schmidt".into()];
        let text = words(&only(&s), "few_vl_admins");
        assert!(text.contains("nur Anna Schmidt"), "{text}");
        s.contract.vl_admins.clear();
        let text = words(&only(&s), "few_vl_admins");
        assert!(text.contains("ist niemand"), "{text}");
    }

    #[test]
    fn every_kind_has_text_in_every_locale() {
        for locale in ["de", "en"] {
            let strings = strings_of(locale);
            for kind in KINDS {
                assert_ne!(
                    strings.get(kind.message),
                    kind.message,
                    "{locale} lacks {}",
                    kind.message
                );
            }
        }
    }

    #[test]
    fn counts_are_by_severity_and_flags_name_every_kind() {
        let (s, all) = troubled_school();
        let found = run(&s, &all);
        let c = counts(&found);
        assert_eq!(c.notes + c.warnings + c.dangers, found.len());
        assert_eq!(
            c.dangers,
            found
                .iter()
                .filter(|f| f.severity() == Severity::Danger)
                .count()
        );
        let flags = flags(&found);
        assert_eq!(flags.len(), KINDS.len());
        assert!(flags["renewal_overdue"] && !flags["renewal_due"]);
    }
}
