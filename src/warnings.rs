//! Tenant-specific warnings: one table of rules, each a small function of the school,
//! all schools, the config and the build date. Adding a rule = one function + one row.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
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

type Rule = fn(&Facts) -> Vec<Warning>;

/// The rule table: `(id, rule)`. Ids are listed for documentation and `check` output.
pub const RULES: &[(&str, Rule)] = &[
    ("renewal", renewal),
    ("admin_outside_tenant", admin_outside_tenant),
    ("admin_unknown", admin_unknown),
    ("order_email_unknown", order_email_unknown),
    ("vlsc_account_unknown", vlsc_account_unknown),
    ("several_orders", several_orders),
    ("licenses", licenses),
    ("shared_tenant", shared_tenant),
    ("shared_contract", shared_contract),
    ("provider_no_access", provider_no_access),
    ("assignment", assignment),
];

/// Every id a rule can produce; chapters see each as `warnings.<id>` (true or false).
pub const WARNING_IDS: &[&str] = &[
    "renewal_due",
    "renewal_overdue",
    "renewal_unknown",
    "admin_outside_tenant",
    "admin_unknown",
    "order_email_unknown",
    "vlsc_account_unknown",
    "several_orders",
    "no_licenses",
    "license_zero",
    "shared_tenant",
    "shared_contract",
    "provider_no_access",
    "assignment_mnspro",
    "assignment_manual",
];

/// `{id: true|false}` for every id, so `{% if warnings.x %}` never hits an undefined key.
pub fn flags(warnings: &[Warning]) -> BTreeMap<&'static str, bool> {
    WARNING_IDS.iter().map(|id| (*id, warnings.iter().any(|w| w.id == *id))).collect()
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
    let mut all: Vec<Warning> = RULES.iter().flat_map(|(_, rule)| rule(facts)).collect();
    all.sort_by(|a, b| b.severity.cmp(&a.severity));
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
            index.by_tenant.entry(s.tenant.domain.clone()).or_default().push(entry.clone());
            index.by_contract.entry(s.contract.number.clone()).or_default().push(entry);
        }
        index
    }

    fn others<'a>(map: &'a BTreeMap<String, Vec<(String, String)>>, key: &str, slug: &str) -> Vec<&'a str> {
        map.get(key).into_iter().flatten().filter(|(s, _)| s != slug).map(|(_, name)| name.as_str()).collect()
    }
}

fn warning(facts: &Facts, id: &'static str, severity: Severity, step: &'static str, args: &[(&str, String)]) -> Vec<Warning> {
    vec![Warning { id, severity, step, text: facts.strings.fill(&format!("warn_{id}"), args) }]
}

fn renewal(f: &Facts) -> Vec<Warning> {
    const STEP: &str = "jaehrliche-aktivierung";
    let Some(date) = f.school.contract.anniversary else {
        return warning(f, "renewal_unknown", Severity::Note, STEP, &[]);
    };
    let days = (date - f.today).num_days();
    let formatted = f.strings.format_date(date);
    if days < 0 {
        let since = f.strings.plural("days", -days);
        warning(f, "renewal_overdue", Severity::Danger, STEP, &[("date", formatted), ("days", since)])
    } else if days <= i64::from(f.config.warnings.renewal_warn_days) {
        let left = f.strings.plural("days", days);
        warning(f, "renewal_due", Severity::Warning, STEP, &[("date", formatted), ("days", left)])
    } else {
        Vec::new()
    }
}

fn admin_outside_tenant(f: &Facts) -> Vec<Warning> {
    let tenant = &f.school.tenant;
    let Some(domain) = f.school.admin_domain() else { return Vec::new() };
    let domain = domain.to_ascii_lowercase();
    if domain == tenant.domain || tenant.verified_domains.contains(&domain) {
        return Vec::new();
    }
    let admin = tenant.admin.clone().unwrap_or_default();
    warning(f, "admin_outside_tenant", Severity::Danger, "setup365-anmelden", &[("admin", admin), ("tenant", tenant.domain.clone())])
}

fn admin_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.tenant.admin.is_some() {
        return Vec::new();
    }
    warning(f, "admin_unknown", Severity::Warning, "organisationskonto", &[("tenant", f.school.tenant.domain.clone())])
}

fn order_email_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.contract.order_email.is_some() {
        return Vec::new();
    }
    warning(f, "order_email_unknown", Severity::Warning, "vlsc-login", &[])
}

fn vlsc_account_unknown(f: &Facts) -> Vec<Warning> {
    if f.school.contract.vlsc_account != VlscAccount::Unknown {
        return Vec::new();
    }
    warning(f, "vlsc_account_unknown", Severity::Note, "vlsc-login", &[])
}

fn several_orders(f: &Facts) -> Vec<Warning> {
    let orders = &f.school.contract.orders;
    if orders.len() < 2 {
        return Vec::new();
    }
    let args = [("orders", orders.join(", ")), ("contract", f.school.contract.number.clone())];
    warning(f, "several_orders", Severity::Note, "vertrag-waehlen", &args)
}

fn licenses(f: &Facts) -> Vec<Warning> {
    let licenses = &f.school.licenses;
    if licenses.is_empty() {
        return warning(f, "no_licenses", Severity::Warning, "keys-kopieren", &[]);
    }
    licenses
        .iter()
        .filter(|l| l.quantity == 0)
        .flat_map(|l| warning(f, "license_zero", Severity::Warning, "keys-kopieren", &[("product", l.product.clone())]))
        .collect()
}

fn shared_tenant(f: &Facts) -> Vec<Warning> {
    let others = SchoolIndex::others(&f.all.by_tenant, &f.school.tenant.domain, &f.school.slug);
    if others.is_empty() {
        return Vec::new();
    }
    let args = [("tenant", f.school.tenant.domain.clone()), ("others", others.join(", "))];
    warning(f, "shared_tenant", Severity::Warning, "setup365-anmelden", &args)
}

fn shared_contract(f: &Facts) -> Vec<Warning> {
    let others = SchoolIndex::others(&f.all.by_contract, &f.school.contract.number, &f.school.slug);
    if others.is_empty() {
        return Vec::new();
    }
    let args = [("contract", f.school.contract.number.clone()), ("others", others.join(", "))];
    warning(f, "shared_contract", Severity::Danger, "vertrag-waehlen", &args)
}

fn provider_no_access(f: &Facts) -> Vec<Warning> {
    if f.school.contract.provider_access {
        return Vec::new();
    }
    warning(f, "provider_no_access", Severity::Note, "vlsc-benutzer", &[("provider", f.config.provider.name.clone())])
}

fn assignment(f: &Facts) -> Vec<Warning> {
    match f.school.assignment.mode {
        AssignmentMode::Mnspro => warning(f, "assignment_mnspro", Severity::Note, "lizenzen-zuweisen", &[]),
        AssignmentMode::Manual => warning(f, "assignment_manual", Severity::Note, "lizenzen-zuweisen", &[]),
    }
}
