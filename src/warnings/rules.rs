//! The rules: one table, each row a small function of the school, all schools, the
//! config and the build date that returns typed findings. No words here: those are
//! the theme's, chosen per locale when a finding is shown. Adding a rule = one kind
//! in `kinds`, one function and one row here, and its messages in the theme.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::kinds::*;
use super::{Arg, Finding};
use crate::config::{Config, Edition};
use crate::school::{AssignmentMode, School, VlscAccount};

/// What every rule may look at.
pub(crate) struct Facts<'a> {
    pub school: &'a School,
    pub all: &'a SchoolIndex,
    pub config: &'a Config,
    pub today: NaiveDate,
}

type Check = fn(&Facts) -> Vec<Finding>;

/// The rule table, in the order findings of equal severity are listed. A rule is a
/// function of the facts; the kinds it can find are declared in `kinds.rs`.
pub(crate) const RULES: &[Check] = &[
    renewal,
    subscription_expired,
    admin_outside_tenant,
    admin_unknown,
    order_email_unknown,
    vlsc_account_unknown,
    personal_account,
    tenant_id_unknown,
    several_orders,
    licenses,
    shared_tenant,
    shared_contract,
    provider_no_access,
    few_vl_admins,
    assignment,
];

/// All findings about a school, most severe first, then in rule order. Run once per
/// school and build: every locale's handbook and the overview show the same findings.
pub(crate) fn evaluate(facts: &Facts) -> Vec<Finding> {
    let mut all: Vec<Finding> = RULES.iter().flat_map(|rule| rule(facts)).collect();
    all.sort_by_key(|f| std::cmp::Reverse(f.severity()));
    all
}

/// Which schools share a tenant or a contract; built once per build.
#[derive(Debug, Default)]
pub(crate) struct SchoolIndex {
    by_tenant: BTreeMap<String, Vec<(String, String)>>,
    by_contract: BTreeMap<String, Vec<(String, String)>>,
}

impl SchoolIndex {
    pub(crate) fn new(schools: &[School]) -> SchoolIndex {
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

    /// The names of the schools under `key` other than `slug`.
    fn others(map: &BTreeMap<String, Vec<(String, String)>>, key: &str, slug: &str) -> Vec<String> {
        map.get(key)
            .into_iter()
            .flatten()
            .filter(|(s, _)| s != slug)
            .map(|(_, name)| name.clone())
            .collect()
    }
}

/// A single finding of `kind`.
fn found(kind: &'static WarningKind, args: Vec<(&'static str, Arg)>) -> Vec<Finding> {
    vec![Finding::new(kind, args)]
}

fn text(value: &str) -> Arg {
    Arg::Text(value.to_string())
}

fn renewal(f: &Facts) -> Vec<Finding> {
    let Some(date) = f.school.contract.anniversary else {
        return found(&RENEWAL_UNKNOWN, vec![]);
    };
    let days = (date - f.today).num_days();
    if days < 0 {
        found(
            &RENEWAL_OVERDUE,
            vec![("date", Arg::Date(date)), ("days", Arg::Days(-days))],
        )
    } else if days <= i64::from(f.config.warnings.renewal_warn_days) {
        found(
            &RENEWAL_DUE,
            vec![("date", Arg::Date(date)), ("days", Arg::Days(days))],
        )
    } else {
        Vec::new()
    }
}

/// The subscription's end date has passed: assume the worst and say so.
fn subscription_expired(f: &Facts) -> Vec<Finding> {
    let Some(end) = f.school.contract.subscription_end else {
        return Vec::new();
    };
    let days = (f.today - end).num_days();
    if days <= 0 {
        return Vec::new();
    }
    found(
        &SUBSCRIPTION_EXPIRED,
        vec![("date", Arg::Date(end)), ("days", Arg::Days(days))],
    )
}

fn admin_outside_tenant(f: &Facts) -> Vec<Finding> {
    let tenant = &f.school.tenant;
    let Some(domain) = f.school.admin_domain() else {
        return Vec::new();
    };
    let domain = domain.to_ascii_lowercase();
    if domain == tenant.domain || tenant.verified_domains.contains(&domain) {
        return Vec::new();
    }
    let admin = tenant.admin.clone().unwrap_or_default();
    found(
        &ADMIN_OUTSIDE_TENANT,
        vec![
            ("admin", Arg::Text(admin)),
            ("tenant", text(&tenant.domain)),
        ],
    )
}

fn admin_unknown(f: &Facts) -> Vec<Finding> {
    if f.school.tenant.admin.is_some() {
        return Vec::new();
    }
    found(
        &ADMIN_UNKNOWN,
        vec![("tenant", text(&f.school.tenant.domain))],
    )
}

fn order_email_unknown(f: &Facts) -> Vec<Finding> {
    if f.school.contract.order_email.is_some() {
        return Vec::new();
    }
    found(&ORDER_EMAIL_UNKNOWN, vec![])
}

/// Only the VLSC asked for an account type; today's sign-in takes work accounts only.
fn vlsc_account_unknown(f: &Facts) -> Vec<Finding> {
    if f.config.portal.edition != Edition::Vlsc
        || f.school.contract.vlsc_account != VlscAccount::Unknown
    {
        return Vec::new();
    }
    found(&VLSC_ACCOUNT_UNKNOWN, vec![])
}

/// Domains of personal (consumer) mailboxes: an order e-mail there is no work account.
pub(crate) const CONSUMER_DOMAINS: &[&str] = &[
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
fn personal_account(f: &Facts) -> Vec<Finding> {
    if f.config.portal.edition != Edition::Current {
        return Vec::new();
    }
    let (kind, email) = match consumer_order_email(f.school) {
        Some(email) => ("email", email),
        None if f.school.contract.vlsc_account == VlscAccount::Microsoft => ("microsoft", ""),
        None => return Vec::new(),
    };
    found(
        &PERSONAL_ACCOUNT,
        vec![
            ("kind", text(kind)),
            ("email", text(email)),
            ("provider", text(&f.config.provider.name)),
        ],
    )
}

fn tenant_id_unknown(f: &Facts) -> Vec<Finding> {
    if f.school.tenant.id.is_some() {
        return Vec::new();
    }
    found(
        &TENANT_ID_UNKNOWN,
        vec![
            ("tenant", text(&f.school.tenant.domain)),
            ("provider", text(&f.config.provider.name)),
        ],
    )
}

fn several_orders(f: &Facts) -> Vec<Finding> {
    let orders = &f.school.contract.orders;
    if orders.len() < 2 {
        return Vec::new();
    }
    found(
        &SEVERAL_ORDERS,
        vec![
            ("orders", Arg::List(orders.clone())),
            ("contract", text(&f.school.contract.number)),
        ],
    )
}

fn licenses(f: &Facts) -> Vec<Finding> {
    let licenses = &f.school.licenses;
    if licenses.is_empty() {
        return found(&NO_LICENSES, vec![]);
    }
    licenses
        .iter()
        .filter(|l| l.quantity == 0)
        .map(|l| Finding::new(&LICENSE_ZERO, vec![("product", text(&l.product))]))
        .collect()
}

fn shared_tenant(f: &Facts) -> Vec<Finding> {
    let others = SchoolIndex::others(&f.all.by_tenant, &f.school.tenant.domain, &f.school.slug);
    if others.is_empty() {
        return Vec::new();
    }
    found(
        &SHARED_TENANT,
        vec![
            ("tenant", text(&f.school.tenant.domain)),
            ("others", Arg::Schools(others)),
        ],
    )
}

fn shared_contract(f: &Facts) -> Vec<Finding> {
    let others = SchoolIndex::others(
        &f.all.by_contract,
        &f.school.contract.number,
        &f.school.slug,
    );
    if others.is_empty() {
        return Vec::new();
    }
    found(
        &SHARED_CONTRACT,
        vec![
            ("contract", text(&f.school.contract.number)),
            ("others", Arg::Schools(others)),
        ],
    )
}

fn provider_no_access(f: &Facts) -> Vec<Finding> {
    if f.school.contract.provider_access {
        return Vec::new();
    }
    found(
        &PROVIDER_NO_ACCESS,
        vec![("provider", text(&f.config.provider.name))],
    )
}

/// Fewer than two people recorded with volume-licensing admin rights.
fn few_vl_admins(f: &Facts) -> Vec<Finding> {
    let admins = &f.school.contract.vl_admins;
    let kind = match admins.len() {
        0 => "none",
        1 => "one",
        _ => return Vec::new(),
    };
    found(
        &FEW_VL_ADMINS,
        vec![
            ("kind", text(kind)),
            ("names", Arg::List(admins.clone())),
            ("provider", text(&f.config.provider.name)),
        ],
    )
}

fn assignment(f: &Facts) -> Vec<Finding> {
    match f.school.assignment.mode {
        AssignmentMode::Mnspro => found(&ASSIGNMENT_MNSPRO, vec![]),
        AssignmentMode::Manual => found(&ASSIGNMENT_MANUAL, vec![]),
    }
}

/// Each rule on a school built in code: the typed findings, no theme, no words.
/// `school` and the runners are shared with the wording tests in `warnings::tests`.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::school::{Assignment, Contract, License, Tenant};
    use crate::warnings::Severity;

    /// A school whose data is complete: only the assignment note applies.
    pub(in crate::warnings) fn school(slug: &str) -> School {
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
            source_digest: [0; 32],
        }
    }

    pub(in crate::warnings) fn config() -> Config {
        toml::from_str("title = \"T\"\n[provider]\nname = \"IT GmbH\"").expect("config")
    }

    /// The VLSC edition of the guide (`[portal] vlsc_retired = false`).
    pub(in crate::warnings) fn vlsc_config() -> Config {
        toml::from_str(
            "title = \"T\"\n[provider]\nname = \"IT GmbH\"\n[portal]\nvlsc_retired = false",
        )
        .expect("config")
    }

    pub(in crate::warnings) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    /// Every finding about `target` among `schools` on 2026-11-25.
    pub(in crate::warnings) fn run_with(
        config: &Config,
        target: &School,
        schools: &[School],
    ) -> Vec<Finding> {
        let index = SchoolIndex::new(schools);
        evaluate(&Facts {
            school: target,
            all: &index,
            config,
            today: date(2026, 11, 25),
        })
    }

    pub(in crate::warnings) fn run(target: &School, schools: &[School]) -> Vec<Finding> {
        run_with(&config(), target, schools)
    }

    pub(in crate::warnings) fn only(target: &School) -> Vec<Finding> {
        run(target, std::slice::from_ref(target))
    }

    /// A school that sets off every rule of the current edition at once.
    pub(in crate::warnings) fn troubled_school() -> (School, Vec<School>) {
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

    /// The note every school with MNSpro gets.
    fn mnspro() -> Finding {
        Finding::new(&ASSIGNMENT_MNSPRO, vec![])
    }

    fn text(value: &str) -> Arg {
        Arg::Text(value.into())
    }

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn ids(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(Finding::id).collect()
    }

    #[test]
    fn a_school_with_complete_data_gets_only_the_assignment_note() {
        assert_eq!(only(&school("a")), [mnspro()]);
    }

    #[test]
    fn renewal_due_within_the_warn_days() {
        let mut s = school("a");
        s.contract.anniversary = Some(date(2026, 12, 18));
        let due = |day: NaiveDate, days: i64| {
            Finding::new(
                &RENEWAL_DUE,
                vec![("date", Arg::Date(day)), ("days", Arg::Days(days))],
            )
        };
        assert_eq!(only(&s), [due(date(2026, 12, 18), 23), mnspro()]);
        s.contract.anniversary = Some(date(2026, 11, 26));
        assert_eq!(only(&s), [due(date(2026, 11, 26), 1), mnspro()]);
        s.contract.anniversary = Some(date(2027, 1, 24));
        assert_eq!(
            only(&s),
            [due(date(2027, 1, 24), 60), mnspro()],
            "60 days is due"
        );
        s.contract.anniversary = Some(date(2027, 1, 25));
        assert_eq!(only(&s), [mnspro()], "61 days ahead is not due yet");
    }

    #[test]
    fn renewal_overdue_is_a_danger_counting_the_days_since() {
        let mut s = school("a");
        s.contract.anniversary = Some(date(2026, 10, 1));
        let expected = Finding::new(
            &RENEWAL_OVERDUE,
            vec![
                ("date", Arg::Date(date(2026, 10, 1))),
                ("days", Arg::Days(55)),
            ],
        );
        assert_eq!(only(&s), [expected, mnspro()]);
        assert_eq!(RENEWAL_OVERDUE.severity, Severity::Danger);
    }

    #[test]
    fn renewal_unknown_is_a_note() {
        let mut s = school("a");
        s.contract.anniversary = None;
        assert_eq!(only(&s), [Finding::new(&RENEWAL_UNKNOWN, vec![]), mnspro()]);
    }

    #[test]
    fn admin_outside_the_tenant_names_admin_and_tenant() {
        let mut s = school("a");
        s.tenant.admin = Some("it@elsewhere.de".into());
        let expected = Finding::new(
            &ADMIN_OUTSIDE_TENANT,
            vec![
                ("admin", text("it@elsewhere.de")),
                ("tenant", text("a.onmicrosoft.com")),
            ],
        );
        assert_eq!(only(&s), [expected, mnspro()]);
        s.tenant.admin = Some("it@A.de".into());
        assert_eq!(
            only(&s),
            [mnspro()],
            "a verified domain of the tenant is fine"
        );
    }

    #[test]
    fn no_admin_known_names_the_tenant() {
        let mut s = school("a");
        s.tenant.admin = None;
        let expected = Finding::new(&ADMIN_UNKNOWN, vec![("tenant", text("a.onmicrosoft.com"))]);
        assert_eq!(only(&s), [expected, mnspro()]);
    }

    #[test]
    fn order_email_and_account_type_unknown_in_the_vlsc_edition() {
        let mut s = school("a");
        s.contract.order_email = None;
        s.contract.vlsc_account = VlscAccount::Unknown;
        let found = run_with(&vlsc_config(), &s, std::slice::from_ref(&s));
        assert_eq!(
            found,
            [
                Finding::new(&ORDER_EMAIL_UNKNOWN, vec![]),
                Finding::new(&VLSC_ACCOUNT_UNKNOWN, vec![]),
                mnspro()
            ]
        );
    }

    #[test]
    fn the_current_edition_asks_for_no_account_type() {
        let mut s = school("a");
        s.contract.order_email = None;
        s.contract.vlsc_account = VlscAccount::Unknown;
        assert_eq!(
            only(&s),
            [Finding::new(&ORDER_EMAIL_UNKNOWN, vec![]), mnspro()]
        );
    }

    #[test]
    fn several_orders_name_the_orders_and_the_contract() {
        let mut s = school("a");
        s.contract.orders = list(&["111", "222"]);
        let expected = Finding::new(
            &SEVERAL_ORDERS,
            vec![
                ("orders", Arg::List(list(&["111", "222"]))),
                ("contract", text("V1000000")),
            ],
        );
        assert_eq!(only(&s), [expected, mnspro()]);
    }

    #[test]
    fn missing_or_zero_licences() {
        let mut s = school("a");
        s.licenses.clear();
        assert_eq!(only(&s), [Finding::new(&NO_LICENSES, vec![]), mnspro()]);
        let licence = |product: &str, quantity| License {
            product: product.into(),
            quantity,
        };
        s.licenses = vec![licence("A1", 0), licence("A3", 5), licence("A5", 0)];
        let zero = |product: &str| Finding::new(&LICENSE_ZERO, vec![("product", text(product))]);
        assert_eq!(only(&s), [zero("A1"), zero("A5"), mnspro()]);
    }

    #[test]
    fn shared_tenant_names_the_other_school_on_both() {
        let a = school("a");
        let mut b = school("b");
        b.contract.number = "V2000000".into();
        b.tenant.domain = a.tenant.domain.clone();
        b.tenant.admin = a.tenant.admin.clone();
        let all = [a.clone(), b.clone()];
        for (me, other) in [(&a, "Schule b"), (&b, "Schule a")] {
            let expected = Finding::new(
                &SHARED_TENANT,
                vec![
                    ("tenant", text("a.onmicrosoft.com")),
                    ("others", Arg::Schools(list(&[other]))),
                ],
            );
            assert_eq!(run(me, &all), [expected, mnspro()]);
        }
    }

    #[test]
    fn shared_tenant_lists_every_other_school_for_the_words_to_cut() {
        let mut all: Vec<School> = (0..9).map(|i| school(&format!("s{i}"))).collect();
        for (i, s) in all.iter_mut().enumerate() {
            s.contract.number = format!("V{i}");
            s.tenant.domain = "shared.onmicrosoft.com".into();
            s.tenant.admin = Some("admin@shared.onmicrosoft.com".into());
        }
        let others: Vec<String> = (1..9).map(|i| format!("Schule s{i}")).collect();
        let expected = Finding::new(
            &SHARED_TENANT,
            vec![
                ("tenant", text("shared.onmicrosoft.com")),
                ("others", Arg::Schools(others)),
            ],
        );
        assert_eq!(run(&all[0], &all), [expected, mnspro()]);
    }

    #[test]
    fn shared_contract_is_a_danger_on_both() {
        let a = school("a");
        let b = school("b");
        let all = [a.clone(), b.clone()];
        for (me, other) in [(&a, "Schule b"), (&b, "Schule a")] {
            let expected = Finding::new(
                &SHARED_CONTRACT,
                vec![
                    ("contract", text("V1000000")),
                    ("others", Arg::Schools(list(&[other]))),
                ],
            );
            assert_eq!(run(me, &all), [expected, mnspro()]);
        }
        assert_eq!(SHARED_CONTRACT.severity, Severity::Danger);
    }

    #[test]
    fn provider_without_access_gets_a_note_naming_the_provider() {
        let mut s = school("a");
        s.contract.provider_access = false;
        let expected = Finding::new(&PROVIDER_NO_ACCESS, vec![("provider", text("IT GmbH"))]);
        assert_eq!(only(&s), [expected, mnspro()]);
    }

    fn personal(kind: &str, email: &str) -> Finding {
        Finding::new(
            &PERSONAL_ACCOUNT,
            vec![
                ("kind", text(kind)),
                ("email", text(email)),
                ("provider", text("IT GmbH")),
            ],
        )
    }

    #[test]
    fn a_microsoft_account_is_a_personal_account() {
        let mut s = school("a");
        s.contract.vlsc_account = VlscAccount::Microsoft;
        assert_eq!(only(&s), [personal("microsoft", ""), mnspro()]);
        s.contract.vlsc_account = VlscAccount::Work;
        assert_eq!(only(&s), [mnspro()], "a work account is fine");
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
            assert_eq!(only(&s), [personal("email", email), mnspro()], "{email}");
        }
        for email in [
            "verwaltung@a.de",
            "x@mail.gmail.com.example.de",
            "x@outlook.schule.de",
        ] {
            s.contract.order_email = Some(email.into());
            assert_eq!(only(&s), [mnspro()], "{email} is no consumer domain");
        }
    }

    #[test]
    fn personal_account_is_quiet_in_the_vlsc_edition() {
        let mut s = school("a");
        s.contract.vlsc_account = VlscAccount::Microsoft;
        s.contract.order_email = Some("schule@gmail.com".into());
        assert_eq!(
            run_with(&vlsc_config(), &s, std::slice::from_ref(&s)),
            [mnspro()]
        );
    }

    #[test]
    fn missing_tenant_id_names_tenant_and_provider() {
        let mut s = school("a");
        s.tenant.id = None;
        let expected = Finding::new(
            &TENANT_ID_UNKNOWN,
            vec![
                ("tenant", text("a.onmicrosoft.com")),
                ("provider", text("IT GmbH")),
            ],
        );
        assert_eq!(only(&s), [expected, mnspro()]);
    }

    #[test]
    fn a_passed_subscription_end_counts_the_days_since() {
        let mut s = school("a");
        s.contract.subscription_end = Some(date(2026, 10, 31));
        let expected = Finding::new(
            &SUBSCRIPTION_EXPIRED,
            vec![
                ("date", Arg::Date(date(2026, 10, 31))),
                ("days", Arg::Days(25)),
            ],
        );
        assert_eq!(only(&s), [expected, mnspro()]);
        s.contract.subscription_end = Some(date(2026, 11, 25));
        assert_eq!(only(&s), [mnspro()], "it ends today: not passed yet");
        s.contract.subscription_end = None;
        assert_eq!(only(&s), [mnspro()], "unknown end: no finding");
    }

    #[test]
    fn fewer_than_two_vl_admins_is_a_note() {
        let few = |kind: &str, names: &[&str]| {
            Finding::new(
                &FEW_VL_ADMINS,
                vec![
                    ("kind", text(kind)),
                    ("names", Arg::List(list(names))),
                    ("provider", text("IT GmbH")),
                ],
            )
        };
        let mut s = school("a");
        s.contract.vl_admins = list(&["Anna Schmidt"]);
        assert_eq!(only(&s), [few("one", &["Anna Schmidt"]), mnspro()]);
        s.contract.vl_admins.clear();
        assert_eq!(only(&s), [few("none", &[]), mnspro()]);
    }

    #[test]
    fn assignment_note_matches_the_mode() {
        let mut s = school("a");
        assert_eq!(only(&s), [mnspro()]);
        s.assignment.mode = AssignmentMode::Manual;
        assert_eq!(only(&s), [Finding::new(&ASSIGNMENT_MANUAL, vec![])]);
    }

    #[test]
    fn most_severe_first_then_in_rule_order() {
        let mut s = school("a");
        s.contract.provider_access = false;
        s.tenant.admin = None;
        s.contract.anniversary = Some(date(2026, 1, 1));
        assert_eq!(
            ids(&only(&s)),
            [
                "renewal_overdue",
                "admin_unknown",
                "provider_no_access",
                "assignment_mnspro"
            ]
        );
    }

    #[test]
    fn every_kind_is_found_for_some_school() {
        let (troubled, all) = troubled_school();
        let mut vlsc = troubled.clone();
        vlsc.contract.order_email = None;
        let mut due = school("a");
        due.contract.anniversary = Some(date(2026, 12, 1));
        due.tenant.admin = None;
        due.licenses[0].quantity = 0;
        due.assignment.mode = AssignmentMode::Manual;
        let mut unknown = school("a");
        unknown.contract.anniversary = None;
        let mut shared = school("a");
        shared.tenant.domain = "b.onmicrosoft.com".into();
        let b = school("b");
        let found: Vec<Finding> = [
            run(&troubled, &all),
            run_with(&vlsc_config(), &vlsc, std::slice::from_ref(&vlsc)),
            only(&due),
            only(&unknown),
            run(&shared, &[shared.clone(), b]),
        ]
        .concat();
        for kind in KINDS {
            assert!(
                found.iter().any(|f| f.kind == *kind),
                "no school found {}",
                kind.id
            );
        }
        // A message may use what its kind declares: a finding carries exactly that.
        for finding in &found {
            let names: Vec<&str> = finding.args.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, finding.kind.args, "{}", finding.kind.id);
        }
    }
}
