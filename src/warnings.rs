//! Tenant-specific warnings: one table of rules, each a small function of the school,
//! all schools, the config and the build date. Adding a rule = one function + one row.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::{Config, Edition};
use crate::i18n::Strings;
use crate::school::{AssignmentMode, School, VlscAccount};

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

/// One warning for one school, with its text in one locale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable id, also the name chapters test: `{% if warnings.renewal_overdue %}`.
    pub id: &'static str,
    pub severity: Severity,
    /// The step it belongs to; shown there as well as at the top.
    pub step: &'static str,
    pub text: String,
}

/// What every rule may look at.
pub struct Facts<'a> {
    pub school: &'a School,
    pub all: &'a SchoolIndex,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub strings: &'a Strings,
}

type Check = fn(&Facts) -> Vec<Warning>;

/// One row of the rule table: its name, the step its warnings are shown at, its check.
pub struct Rule {
    pub name: &'static str,
    /// A step id of the guide, the same in both editions; `check` warns when the
    /// guide has no such step (the warning is then shown only at the top).
    pub step: &'static str,
    check: Check,
}

const fn rule(name: &'static str, step: &'static str, check: Check) -> Rule {
    Rule { name, step, check }
}

/// The rule table, in the order warnings of equal severity are listed.
pub const RULES: &[Rule] = &[
    rule("renewal", "jaehrliche-aktivierung", renewal),
    rule(
        "subscription_expired",
        "jaehrliche-aktivierung",
        subscription_expired,
    ),
    rule(
        "admin_outside_tenant",
        "organisationskonto",
        admin_outside_tenant,
    ),
    rule("admin_unknown", "zugangsdaten", admin_unknown),
    rule(
        "order_email_unknown",
        "bestellbestaetigung",
        order_email_unknown,
    ),
    rule("vlsc_account_unknown", "anmelden", vlsc_account_unknown),
    rule("personal_account", "anmelden", personal_account),
    rule("tenant_id_unknown", "konto-pruefen", tenant_id_unknown),
    rule("several_orders", "vertrag-waehlen", several_orders),
    rule("licenses", "lizenzen-pruefen", licenses),
    rule("shared_tenant", "konto-pruefen", shared_tenant),
    rule("shared_contract", "vertrag-waehlen", shared_contract),
    rule("provider_no_access", "benutzer", provider_no_access),
    rule("few_vl_admins", "benutzer", few_vl_admins),
    rule("assignment", "lizenzen-zuweisen", assignment),
];

/// Every id a rule can produce; chapters see each as `warnings.<id>` (true or false).
pub const WARNING_IDS: &[&str] = &[
    "renewal_due",
    "renewal_overdue",
    "renewal_unknown",
    "subscription_expired",
    "admin_outside_tenant",
    "admin_unknown",
    "order_email_unknown",
    "vlsc_account_unknown",
    "personal_account",
    "tenant_id_unknown",
    "several_orders",
    "no_licenses",
    "license_zero",
    "shared_tenant",
    "shared_contract",
    "provider_no_access",
    "few_vl_admins",
    "assignment_mnspro",
    "assignment_manual",
];

/// `{id: true|false}` for every id, so `{% if warnings.x %}` never hits an undefined key.
pub fn flags(warnings: &[Warning]) -> BTreeMap<&'static str, bool> {
    WARNING_IDS
        .iter()
        .map(|id| (*id, warnings.iter().any(|w| w.id == *id)))
        .collect()
}

/// Count per severity: `[notes, warnings, dangers]`.
pub fn counts(warnings: &[Warning]) -> [usize; 3] {
    let mut counts = [0; 3];
    for w in warnings {
        counts[w.severity as usize] += 1;
    }
    counts
}

/// All warnings of a school, most severe first, then in rule order.
pub fn evaluate(facts: &Facts) -> Vec<Warning> {
    let mut all: Vec<Warning> = RULES
        .iter()
        .flat_map(|rule| {
            (rule.check)(facts).into_iter().map(|w| Warning {
                step: rule.step,
                ..w
            })
        })
        .collect();
    all.sort_by_key(|w| std::cmp::Reverse(w.severity));
    all
}

/// Which schools share a tenant or a contract; built once per build.
#[derive(Debug, Default)]
pub struct SchoolIndex {
    by_tenant: BTreeMap<String, Vec<(String, String)>>,
    by_contract: BTreeMap<String, Vec<(String, String)>>,
}

impl SchoolIndex {
    pub fn new(schools: &[School]) -> SchoolIndex {
        let mut index = SchoolIndex::default();
        for s in schools {
            let entry = (s.slug.clone(), s.name.clone());
            index
                .by_tenant
                .entry(s.tenant.domain.clone())
                .or_default()
                .push(entry.clone());
            index
                .by_contract
                .entry(s.contract.number.clone())
                .or_default()
                .push(entry);
        }
        index
    }

    fn others<'a>(
        map: &'a BTreeMap<String, Vec<(String, String)>>,
        key: &str,
        slug: &str,
    ) -> Vec<&'a str> {
        map.get(key)
            .into_iter()
            .flatten()
            .filter(|(s, _)| s != slug)
            .map(|(_, name)| name.as_str())
            .collect()
    }
}

/// A warning whose text is the message `warn_<id>`; every message also gets the
/// `$edition` ("current" or "vlsc") to fit its words to the portal the handbook describes.
/// Its step is filled in from the rule table.
fn warning(
    facts: &Facts,
    id: &'static str,
    severity: Severity,
    args: &[(&str, String)],
) -> Vec<Warning> {
    let mut args = args.to_vec();
    args.push(("edition", facts.config.portal.edition.name().to_string()));
    vec![Warning {
        id,
        severity,
        step: "",
        text: facts.strings.fill(&format!("warn_{id}"), &args),
    }]
}

fn renewal(f: &Facts) -> Vec<Warning> {
    let Some(date) = f.school.contract.anniversary else {
        return warning(f, "renewal_unknown", Severity::Note, &[]);
    };
    let days = (date - f.today).num_days();
    let formatted = f.strings.format_date(date);
    if days < 0 {
        let since = f.strings.plural("days", -days);
        warning(
            f,
            "renewal_overdue",
            Severity::Danger,
            &[("date", formatted), ("days", since)],
        )
    } else if days <= i64::from(f.config.warnings.renewal_warn_days) {
        let left = f.strings.plural("days", days);
        warning(
            f,
            "renewal_due",
            Severity::Warning,
            &[("date", formatted), ("days", left)],
        )
    } else {
        Vec::new()
    }
}

/// The subscription's end date has passed: assume the worst and say so.
fn subscription_expired(f: &Facts) -> Vec<Warning> {
    let Some(end) = f.school.contract.subscription_end else {
        return Vec::new();
    };
    let days = (f.today - end).num_days();
    if days <= 0 {
        return Vec::new();
    }
    warning(
        f,
        "subscription_expired",
        Severity::Danger,
        &[
            ("date", f.strings.format_date(end)),
            ("days", f.strings.plural("days", days)),
        ],
    )
}

fn admin_outside_tenant(f: &Facts) -> Vec<Warning> {
    let tenant = &f.school.tenant;
    let Some(domain) = f.school.admin_domain() else {
        return Vec::new();
    };
    let domain = domain.to_ascii_lowercase();
    if domain == tenant.domain || tenant.verified_domains.contains(&domain) {
        return Vec::new();
    }
    let admin = tenant.admin.clone().unwrap_or_default();
    warning(
        f,
        "admin_outside_tenant",
        Severity::Danger,
        &[("admin", admin), ("tenant", tenant.domain.clone())],
    )
}

fn admin_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.tenant.admin.is_some() {
        return Vec::new();
    }
    warning(
        f,
        "admin_unknown",
        Severity::Warning,
        &[("tenant", f.school.tenant.domain.clone())],
    )
}

fn order_email_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.contract.order_email.is_some() {
        return Vec::new();
    }
    warning(f, "order_email_unknown", Severity::Warning, &[])
}

/// Only the VLSC asked for an account type; today's sign-in takes work accounts only.
fn vlsc_account_unknown(f: &Facts) -> Vec<Warning> {
    if f.config.portal.edition != Edition::Vlsc
        || f.school.contract.vlsc_account != VlscAccount::Unknown
    {
        return Vec::new();
    }
    warning(f, "vlsc_account_unknown", Severity::Note, &[])
}

/// Domains of personal (consumer) mailboxes: an order e-mail there is no work account.
pub const CONSUMER_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "web.de",
    "gmx.de",
    "gmx.net",
    "gmx.at",
    "outlook.com",
    "outlook.de",
    "hotmail.com",
    "hotmail.de",
    "live.com",
    "live.de",
    "yahoo.com",
    "yahoo.de",
    "t-online.de",
    "icloud.com",
];

/// The order e-mail, if it is an address at a consumer mail domain.
fn consumer_order_email(school: &School) -> Option<&str> {
    let email = school.contract.order_email.as_deref()?;
    let (_, domain) = email.rsplit_once('@')?;
    let domain = domain.to_ascii_lowercase();
    CONSUMER_DOMAINS.contains(&domain.as_str()).then_some(email)
}

/// Since the VLSC was retired, volume licensing takes work or school accounts only.
fn personal_account(f: &Facts) -> Vec<Warning> {
    if f.config.portal.edition != Edition::Current {
        return Vec::new();
    }
    let (kind, email) = match consumer_order_email(f.school) {
        Some(email) => ("email", email.to_string()),
        None if f.school.contract.vlsc_account == VlscAccount::Microsoft => {
            ("microsoft", String::new())
        }
        None => return Vec::new(),
    };
    let args = [
        ("kind", kind.to_string()),
        ("email", email),
        ("provider", f.config.provider.name.clone()),
    ];
    warning(f, "personal_account", Severity::Danger, &args)
}

fn tenant_id_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.tenant.id.is_some() {
        return Vec::new();
    }
    warning(
        f,
        "tenant_id_unknown",
        Severity::Note,
        &[
            ("tenant", f.school.tenant.domain.clone()),
            ("provider", f.config.provider.name.clone()),
        ],
    )
}

fn several_orders(f: &Facts) -> Vec<Warning> {
    let orders = &f.school.contract.orders;
    if orders.len() < 2 {
        return Vec::new();
    }
    let args = [
        ("orders", orders.join(", ")),
        ("contract", f.school.contract.number.clone()),
    ];
    warning(f, "several_orders", Severity::Note, &args)
}

fn licenses(f: &Facts) -> Vec<Warning> {
    let licenses = &f.school.licenses;
    if licenses.is_empty() {
        return warning(f, "no_licenses", Severity::Warning, &[]);
    }
    licenses
        .iter()
        .filter(|l| l.quantity == 0)
        .flat_map(|l| {
            warning(
                f,
                "license_zero",
                Severity::Warning,
                &[("product", l.product.clone())],
            )
        })
        .collect()
}

/// At most this many other schools are named in one warning.
const NAMED_AT_MOST: usize = 5;

/// "A, B, C, D, E und 12 weitere": a long list would swamp the page.
fn name_list(strings: &Strings, names: &[&str]) -> String {
    let shown = names[..names.len().min(NAMED_AT_MOST)].join(", ");
    match names.len().checked_sub(NAMED_AT_MOST) {
        Some(rest) if rest > 0 => {
            let more = strings.plural("more-schools", i64::try_from(rest).unwrap_or(i64::MAX));
            format!("{shown} {more}")
        }
        _ => shown,
    }
}

fn shared_tenant(f: &Facts) -> Vec<Warning> {
    let others = SchoolIndex::others(&f.all.by_tenant, &f.school.tenant.domain, &f.school.slug);
    if others.is_empty() {
        return Vec::new();
    }
    let args = [
        ("tenant", f.school.tenant.domain.clone()),
        ("others", name_list(f.strings, &others)),
    ];
    warning(f, "shared_tenant", Severity::Warning, &args)
}

fn shared_contract(f: &Facts) -> Vec<Warning> {
    let others = SchoolIndex::others(
        &f.all.by_contract,
        &f.school.contract.number,
        &f.school.slug,
    );
    if others.is_empty() {
        return Vec::new();
    }
    let args = [
        ("contract", f.school.contract.number.clone()),
        ("others", name_list(f.strings, &others)),
    ];
    warning(f, "shared_contract", Severity::Danger, &args)
}

fn provider_no_access(f: &Facts) -> Vec<Warning> {
    if f.school.contract.provider_access {
        return Vec::new();
    }
    warning(
        f,
        "provider_no_access",
        Severity::Note,
        &[("provider", f.config.provider.name.clone())],
    )
}

/// Fewer than two people recorded with volume-licensing admin rights.
fn few_vl_admins(f: &Facts) -> Vec<Warning> {
    let admins = &f.school.contract.vl_admins;
    let kind = match admins.len() {
        0 => "none",
        1 => "one",
        _ => return Vec::new(),
    };
    warning(
        f,
        "few_vl_admins",
        Severity::Note,
        &[
            ("kind", kind.to_string()),
            ("names", admins.join(", ")),
            ("provider", f.config.provider.name.clone()),
        ],
    )
}

fn assignment(f: &Facts) -> Vec<Warning> {
    match f.school.assignment.mode {
        AssignmentMode::Mnspro => warning(f, "assignment_mnspro", Severity::Note, &[]),
        AssignmentMode::Manual => warning(f, "assignment_manual", Severity::Note, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::{Assignment, Contract, License, Tenant};
    use crate::theme::Theme;

    fn school(slug: &str) -> School {
        School {
            slug: slug.into(),
            file: format!("content/schools/{slug}.toml").into(),
            name: format!("Schule {slug}"),
            locales: vec!["de".into()],
            tenant: Tenant {
                domain: format!("{slug}.onmicrosoft.com"),
                id: Some("3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21".into()),
                admin: Some(format!("admin@{slug}.onmicrosoft.com")),
                verified_domains: vec![format!("{slug}.de")],
            },
            contract: Contract {
                number: "V1000000".into(),
                orders: vec!["12345678".into()],
                order_email: Some(format!("verwaltung@{slug}.de")),
                vlsc_account: VlscAccount::Work,
                anniversary: NaiveDate::from_ymd_opt(2027, 8, 1),
                provider_access: true,
                subscription_end: NaiveDate::from_ymd_opt(2027, 7, 31),
                vl_admins: vec!["Anna Schmidt".into(), format!("it@{slug}.de")],
                key_suffixes: vec!["7QX2K".into()],
            },
            licenses: vec![License {
                product: "A3".into(),
                quantity: 10,
            }],
            assignment: Assignment {
                mode: AssignmentMode::Mnspro,
            },
        }
    }

    fn config() -> Config {
        toml::from_str("title = \"T\"\n[provider]\nname = \"IT GmbH\"").expect("config")
    }

    /// The VLSC edition of the guide (`[portal] vlsc_retired = false`).
    fn vlsc_config() -> Config {
        toml::from_str(
            "title = \"T\"\n[provider]\nname = \"IT GmbH\"\n[portal]\nvlsc_retired = false",
        )
        .expect("config")
    }

    fn strings() -> Strings {
        strings_of("de")
    }

    fn strings_of(locale: &str) -> Strings {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default").expect("theme");
        Strings::load(&theme, locale, None).expect("strings").0
    }

    /// The warnings of `target` among `schools` on 2026-11-25, without the assignment note.
    fn run(target: &School, schools: &[School]) -> Vec<Warning> {
        run_with(&config(), target, schools)
    }

    fn run_with(config: &Config, target: &School, schools: &[School]) -> Vec<Warning> {
        let (strings, index) = (strings(), SchoolIndex::new(schools));
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let facts = Facts {
            school: target,
            all: &index,
            config,
            today,
            strings: &strings,
        };
        evaluate(&facts)
            .into_iter()
            .filter(|w| !w.id.starts_with("assignment"))
            .collect()
    }

    fn only(target: &School) -> Vec<Warning> {
        run(target, std::slice::from_ref(target))
    }

    fn ids(warnings: &[Warning]) -> Vec<&str> {
        warnings.iter().map(|w| w.id).collect()
    }

    #[test]
    fn a_school_with_complete_data_gets_no_warning() {
        assert_eq!(ids(&only(&school("a"))), Vec::<&str>::new());
    }

    #[test]
    fn renewal_due_within_the_warn_days() {
        let mut s = school("a");
        s.contract.anniversary = NaiveDate::from_ymd_opt(2026, 12, 18);
        let w = only(&s);
        assert_eq!(ids(&w), ["renewal_due"]);
        assert_eq!(w[0].severity, Severity::Warning);
        assert_eq!(w[0].step, "jaehrliche-aktivierung");
        assert!(
            w[0].text.contains("am 18.12.2026 fällig, in 23 Tagen"),
            "{}",
            w[0].text
        );
        s.contract.anniversary = NaiveDate::from_ymd_opt(2026, 11, 26);
        assert!(only(&s)[0].text.contains("in 1 Tag."), "singular");
        s.contract.anniversary = NaiveDate::from_ymd_opt(2027, 1, 25);
        assert!(only(&s).is_empty(), "61 days ahead is not due yet");
    }

    #[test]
    fn renewal_overdue_is_a_danger() {
        let mut s = school("a");
        s.contract.anniversary = NaiveDate::from_ymd_opt(2026, 10, 1);
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity),
            ("renewal_overdue", Severity::Danger)
        );
        assert!(
            w[0].text.contains("seit 55 Tagen überfällig"),
            "{}",
            w[0].text
        );
    }

    #[test]
    fn renewal_unknown_is_a_note() {
        let mut s = school("a");
        s.contract.anniversary = None;
        assert_eq!(
            only(&s)
                .iter()
                .map(|w| (w.id, w.severity))
                .collect::<Vec<_>>(),
            [("renewal_unknown", Severity::Note)]
        );
    }

    #[test]
    fn admin_outside_the_tenant_is_a_danger_at_the_sign_in_step() {
        let mut s = school("a");
        s.tenant.admin = Some("it@elsewhere.de".into());
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            (
                "admin_outside_tenant",
                Severity::Danger,
                "organisationskonto"
            )
        );
        assert!(w[0].text.contains("it@elsewhere.de") && w[0].text.contains("a.onmicrosoft.com"));
        s.tenant.admin = Some("it@a.de".into());
        assert!(
            only(&s).is_empty(),
            "a verified domain of the tenant is fine"
        );
    }

    #[test]
    fn no_admin_known_is_a_warning() {
        let mut s = school("a");
        s.tenant.admin = None;
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            ("admin_unknown", Severity::Warning, "zugangsdaten")
        );
    }

    #[test]
    fn order_email_and_account_type_unknown_in_the_vlsc_edition() {
        let mut s = school("a");
        s.contract.order_email = None;
        s.contract.vlsc_account = VlscAccount::Unknown;
        let w = run_with(&vlsc_config(), &s, std::slice::from_ref(&s));
        assert_eq!(ids(&w), ["order_email_unknown", "vlsc_account_unknown"]);
        assert_eq!((w[0].step, w[1].step), ("bestellbestaetigung", "anmelden"));
        assert_eq!(w[1].severity, Severity::Note);
        assert!(w[0]
            .text
            .contains("Mit genau dieser Adresse melden Sie sich am VLSC an"));
        assert!(w[1].text.contains("Probieren Sie beide Kontotypen aus"));
    }

    #[test]
    fn the_current_edition_asks_for_no_account_type_and_no_vlsc_login() {
        let mut s = school("a");
        s.contract.order_email = None;
        s.contract.vlsc_account = VlscAccount::Unknown;
        let w = only(&s);
        assert_eq!(ids(&w), ["order_email_unknown"]);
        assert!(
            w[0].text
                .contains("An sie gehen die Bestellbestätigung und Einladungen von Microsoft")
                && !w[0].text.contains("VLSC"),
            "{}",
            w[0].text
        );
    }

    /// A school that sets off every rule at once.
    fn troubled_school() -> (School, Vec<School>) {
        let mut s = school("a");
        s.tenant.admin = Some("it@elsewhere.de".into());
        s.tenant.id = None;
        s.contract.order_email = Some("schule@gmail.com".into());
        s.contract.orders = vec!["1".into(), "2".into()];
        s.contract.anniversary = NaiveDate::from_ymd_opt(2026, 1, 1);
        s.contract.subscription_end = NaiveDate::from_ymd_opt(2026, 1, 1);
        s.contract.provider_access = false;
        s.contract.vl_admins.clear();
        s.contract.vlsc_account = VlscAccount::Unknown;
        s.licenses.clear();
        let mut other = school("b");
        other.tenant.domain = s.tenant.domain.clone();
        (s.clone(), vec![s, other])
    }

    #[test]
    fn no_warning_of_the_current_edition_mentions_the_vlsc() {
        let (s, all) = troubled_school();
        for locale in ["de", "en"] {
            let strings = strings_of(locale);
            let (config, index) = (config(), SchoolIndex::new(&all));
            let facts = Facts {
                school: &s,
                all: &index,
                config: &config,
                today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
                strings: &strings,
            };
            let w = evaluate(&facts);
            assert!(w.len() >= 12, "{locale}: {:?}", ids(&w));
            for w in &w {
                assert!(!w.text.contains("VLSC"), "{locale} {}: {}", w.id, w.text);
                assert!(
                    !w.text.contains("Verwaltung"),
                    "{locale} {}: {}",
                    w.id,
                    w.text
                );
                assert!(
                    !w.text.contains('{'),
                    "{locale} {}: unfilled {}",
                    w.id,
                    w.text
                );
            }
        }
    }

    #[test]
    fn the_vlsc_edition_keeps_its_own_words() {
        let (s, all) = troubled_school();
        let w = run_with(&vlsc_config(), &s, &all);
        let text = |id: &str| {
            w.iter()
                .find(|w| w.id == id)
                .map(|w| w.text.clone())
                .unwrap_or_else(|| panic!("no {id}"))
        };
        assert!(text("provider_no_access").contains("Zugriff auf Ihr VLSC"));
        assert!(text("provider_no_access").contains("unter „Verwaltung“"));
        assert!(!w.iter().any(|w| w.id == "personal_account"));
        let current = run(&s, &all);
        let provider = current
            .iter()
            .find(|w| w.id == "provider_no_access")
            .expect("provider");
        assert!(
            provider.text.contains("unter „Rollenzuweisungen“"),
            "{}",
            provider.text
        );
    }

    #[test]
    fn every_rule_names_a_step() {
        for rule in RULES {
            assert!(
                !rule.step.is_empty() && !rule.step.contains(' '),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn several_orders_name_the_contract_to_pick() {
        let mut s = school("a");
        s.contract.orders = vec!["111".into(), "222".into()];
        let w = only(&s);
        assert_eq!((w[0].id, w[0].step), ("several_orders", "vertrag-waehlen"));
        assert!(w[0].text.contains("(111, 222)") && w[0].text.contains("V1000000"));
    }

    #[test]
    fn missing_or_zero_licences() {
        let mut s = school("a");
        s.licenses.clear();
        assert_eq!(ids(&only(&s)), ["no_licenses"]);
        s.licenses = vec![
            License {
                product: "A1".into(),
                quantity: 0,
            },
            License {
                product: "A3".into(),
                quantity: 5,
            },
        ];
        let w = only(&s);
        assert_eq!(ids(&w), ["license_zero"]);
        assert!(w[0].text.contains("„A1“"));
    }

    #[test]
    fn shared_tenant_warns_both_schools_naming_the_other() {
        let a = school("a");
        let mut b = school("b");
        b.contract.number = "V2000000".into();
        b.tenant.domain = a.tenant.domain.clone();
        b.tenant.admin = a.tenant.admin.clone();
        let all = [a.clone(), b.clone()];
        let wa = run(&a, &all);
        let wb = run(&b, &all);
        assert_eq!(ids(&wa), ["shared_tenant"]);
        assert!(wa[0].text.contains("Schule b"));
        assert!(wb[0].text.contains("Schule a"));
    }

    #[test]
    fn long_lists_of_other_schools_are_cut() {
        let mut all: Vec<School> = (0..9).map(|i| school(&format!("s{i}"))).collect();
        for (i, s) in all.iter_mut().enumerate() {
            s.contract.number = format!("V{i}");
            s.tenant.domain = "shared.onmicrosoft.com".into();
            s.tenant.admin = Some("admin@shared.onmicrosoft.com".into());
            s.tenant.verified_domains.clear();
        }
        let w = run(&all[0], &all);
        let text = &w
            .iter()
            .find(|w| w.id == "shared_tenant")
            .expect("warning")
            .text;
        assert!(
            text.contains("Schule s1, Schule s2, Schule s3, Schule s4, Schule s5 und 3 weitere"),
            "{text}"
        );
        assert!(!text.contains("Schule s6"));
    }

    #[test]
    fn shared_contract_is_a_danger_on_both() {
        let a = school("a");
        let b = school("b");
        let all = [a.clone(), b.clone()];
        for (me, other) in [(&a, "Schule b"), (&b, "Schule a")] {
            let w = run(me, &all);
            assert_eq!(
                (w[0].id, w[0].severity),
                ("shared_contract", Severity::Danger)
            );
            assert!(w[0].text.contains(other));
        }
    }

    #[test]
    fn provider_without_vlsc_access_gets_a_note() {
        let mut s = school("a");
        s.contract.provider_access = false;
        let w = only(&s);
        assert_eq!((w[0].id, w[0].step), ("provider_no_access", "benutzer"));
        assert!(w[0].text.starts_with("IT GmbH hat noch keinen Zugriff"));
    }

    #[test]
    fn a_microsoft_account_is_a_danger_at_the_sign_in() {
        let mut s = school("a");
        s.contract.vlsc_account = VlscAccount::Microsoft;
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            ("personal_account", Severity::Danger, "anmelden")
        );
        assert!(
            w[0].text
                .starts_with("Der frühere Zugang Ihrer Schule ist als Microsoft-Konto vermerkt")
                && w[0].text.contains("nur Geschäfts- oder Schulkonten")
                && w[0].text.contains("ein neues Profil")
                && w[0].text.contains("IT GmbH"),
            "{}",
            w[0].text
        );
        s.contract.vlsc_account = VlscAccount::Work;
        assert!(only(&s).is_empty(), "a work account is fine");
    }

    #[test]
    fn an_order_email_at_a_consumer_domain_is_a_personal_account() {
        let mut s = school("a");
        for email in [
            "schule.a@gmail.com",
            "Sekretariat@WEB.DE",
            "x@t-online.de",
            "y@gmx.net",
        ] {
            s.contract.order_email = Some(email.into());
            let w = only(&s);
            assert_eq!(ids(&w), ["personal_account"], "{email}");
            assert!(w[0].text.contains(email), "{}", w[0].text);
        }
        for email in [
            "verwaltung@a.de",
            "x@mail.gmail.com.example.de",
            "x@outlook.schule.de",
        ] {
            s.contract.order_email = Some(email.into());
            assert!(only(&s).is_empty(), "{email} is no consumer domain");
        }
    }

    #[test]
    fn personal_account_is_quiet_in_the_vlsc_edition() {
        let mut s = school("a");
        s.contract.vlsc_account = VlscAccount::Microsoft;
        s.contract.order_email = Some("schule@gmail.com".into());
        assert!(run_with(&vlsc_config(), &s, std::slice::from_ref(&s)).is_empty());
    }

    #[test]
    fn missing_tenant_id_is_a_note_at_the_account_check() {
        let mut s = school("a");
        s.tenant.id = None;
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            ("tenant_id_unknown", Severity::Note, "konto-pruefen")
        );
        assert!(w[0].text.contains("a.onmicrosoft.com"), "{}", w[0].text);
    }

    #[test]
    fn a_passed_subscription_end_is_a_danger_that_spells_out_the_consequence() {
        let mut s = school("a");
        s.contract.subscription_end = NaiveDate::from_ymd_opt(2026, 10, 31);
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            (
                "subscription_expired",
                Severity::Danger,
                "jaehrliche-aktivierung"
            )
        );
        for part in [
            "am 31.10.2026 abgelaufen",
            "vor 25 Tagen",
            "bei Open Value 30 Tage",
            "90 Tage deaktiviert",
            "Nur Administratoren",
            "gelöscht",
            "sofort",
        ] {
            assert!(w[0].text.contains(part), "{part}: {}", w[0].text);
        }
        s.contract.subscription_end = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert!(only(&s).is_empty(), "it ends today: not passed yet");
        s.contract.subscription_end = None;
        assert!(only(&s).is_empty(), "unknown end: no rule");
    }

    #[test]
    fn fewer_than_two_vl_admins_is_a_note() {
        let mut s = school("a");
        s.contract.vl_admins = vec!["Anna Schmidt".into()];
        let w = only(&s);
        assert_eq!(
            (w[0].id, w[0].severity, w[0].step),
            ("few_vl_admins", Severity::Note, "benutzer")
        );
        assert!(w[0].text.contains("nur Anna Schmidt"), "{}", w[0].text);
        s.contract.vl_admins.clear();
        let w = only(&s);
        assert_eq!(ids(&w), ["few_vl_admins"]);
        assert!(w[0].text.contains("ist niemand"), "{}", w[0].text);
    }

    #[test]
    fn assignment_note_matches_the_mode() {
        let (config, strings) = (config(), strings());
        let mut s = school("a");
        let index = SchoolIndex::new(std::slice::from_ref(&s));
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let facts = Facts {
            school: &s,
            all: &index,
            config: &config,
            today,
            strings: &strings,
        };
        assert_eq!(ids(&evaluate(&facts)), ["assignment_mnspro"]);
        s.assignment.mode = AssignmentMode::Manual;
        let facts = Facts {
            school: &s,
            all: &index,
            config: &config,
            today,
            strings: &strings,
        };
        assert_eq!(ids(&evaluate(&facts)), ["assignment_manual"]);
    }

    #[test]
    fn most_severe_first() {
        let mut s = school("a");
        s.contract.provider_access = false;
        s.tenant.admin = None;
        s.contract.anniversary = NaiveDate::from_ymd_opt(2026, 1, 1);
        let severities: Vec<Severity> = only(&s).iter().map(|w| w.severity).collect();
        assert_eq!(
            severities,
            [Severity::Danger, Severity::Warning, Severity::Note]
        );
    }

    #[test]
    fn every_warning_id_has_text_in_every_locale() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default").expect("theme");
        for locale in ["de", "en"] {
            let (strings, _) = Strings::load(&theme, locale, None).expect("strings");
            for id in WARNING_IDS {
                let key = format!("warn_{id}");
                assert_ne!(strings.get(&key), key, "{locale} lacks {key}");
            }
        }
    }
}
