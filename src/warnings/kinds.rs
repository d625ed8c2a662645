//! One declaration per kind of school warning, like cargo's lint table: its id, how
//! bad it is, the step it is shown at and its Fluent message. Everything else that
//! names a kind (the chapters' `warnings.<id>` flags, `[warnings.steps]` in
//! handbuch.toml, the build warning about missing steps) reads this table.

use serde::Serialize;

use super::Severity;
use crate::config::WarningsConfig;

/// A kind of school warning. Rules produce findings of a kind; nothing else spells
/// an id, a severity or a message key.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct WarningKind {
    /// Stable id: chapters test `{% if warnings.<id> %}`, handbuch.toml remaps its step
    /// under `[warnings.steps]`, the page marks it as `data-warning="<id>"`.
    pub id: &'static str,
    pub severity: Severity,
    /// The step id of the guide it is shown at (besides the top of the handbook),
    /// unless handbuch.toml moves it.
    pub default_step: &'static str,
    /// The theme's Fluent message with its words: `warn_<id>`.
    pub message: &'static str,
    /// The arguments its findings carry, which its message may use (besides `$edition`,
    /// which every message gets). Checked against the theme's messages when they load.
    pub args: &'static [&'static str],
}

impl WarningKind {
    /// The step it is shown at in this project: `[warnings.steps]` or the default.
    pub fn step<'a>(&self, config: &'a WarningsConfig) -> &'a str {
        config
            .steps
            .get(self.id)
            .map_or(self.default_step, String::as_str)
    }
}

/// Declares each kind as a constant and lists them all in `KINDS`, so an id and its
/// message key are written once.
macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $name:ident = $id:ident, $severity:ident, $step:literal, [$($arg:ident),*];)*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) const $name: WarningKind = WarningKind {
                id: stringify!($id),
                severity: Severity::$severity,
                default_step: $step,
                message: concat!("warn_", stringify!($id)),
                args: &[$(stringify!($arg)),*],
            };
        )*
        /// Every kind, each once.
        pub(crate) const KINDS: &[&WarningKind] = &[$(&$name),*];
    };
}

kinds! {
    /// The yearly online activation is due within `renewal_warn_days`.
    RENEWAL_DUE = renewal_due, Warning, "jaehrliche-aktivierung", [date, days];
    /// The yearly online activation date has passed.
    RENEWAL_OVERDUE = renewal_overdue, Danger, "jaehrliche-aktivierung", [date, days];
    /// No activation date is on file.
    RENEWAL_UNKNOWN = renewal_unknown, Note, "jaehrliche-aktivierung", [];
    /// The subscription's end date has passed.
    SUBSCRIPTION_EXPIRED = subscription_expired, Danger, "jaehrliche-aktivierung", [date, days];
    /// The admin account is at a domain the tenant does not own.
    ADMIN_OUTSIDE_TENANT = admin_outside_tenant, Danger, "organisationskonto", [admin, tenant];
    /// No admin account is on file.
    ADMIN_UNKNOWN = admin_unknown, Warning, "zugangsdaten", [tenant];
    /// The order e-mail is not on file.
    ORDER_EMAIL_UNKNOWN = order_email_unknown, Warning, "bestellbestaetigung", [];
    /// VLSC edition: whether the VLSC login is a work or a Microsoft account is unknown.
    VLSC_ACCOUNT_UNKNOWN = vlsc_account_unknown, Note, "anmelden", [];
    /// Current edition: the account on file is a personal one.
    PERSONAL_ACCOUNT = personal_account, Danger, "anmelden", [kind, email, provider];
    /// The tenant id is not on file.
    TENANT_ID_UNKNOWN = tenant_id_unknown, Note, "konto-pruefen", [tenant, provider];
    /// Several order numbers belong to the one contract.
    SEVERAL_ORDERS = several_orders, Note, "vertrag-waehlen", [orders, contract];
    /// No licences are on file.
    NO_LICENSES = no_licenses, Warning, "lizenzen-pruefen", [];
    /// A licence is on file with quantity 0 (one finding per product).
    LICENSE_ZERO = license_zero, Warning, "lizenzen-pruefen", [product];
    /// Other schools are on file with the same tenant.
    SHARED_TENANT = shared_tenant, Warning, "konto-pruefen", [tenant, others];
    /// Other schools are on file with the same contract number.
    SHARED_CONTRACT = shared_contract, Danger, "vertrag-waehlen", [contract, others];
    /// The provider has no access to the contract.
    PROVIDER_NO_ACCESS = provider_no_access, Note, "benutzer", [provider];
    /// Fewer than two volume-licensing admins are on file.
    FEW_VL_ADMINS = few_vl_admins, Note, "benutzer", [kind, names, provider];
    /// Licences are assigned with MNSpro.
    ASSIGNMENT_MNSPRO = assignment_mnspro, Note, "lizenzen-zuweisen", [];
    /// Licences are assigned by hand.
    ASSIGNMENT_MANUAL = assignment_manual, Note, "lizenzen-zuweisen", [];
}

/// The kind whose message is `message`, if there is one.
pub(crate) fn by_message(message: &str) -> Option<&'static WarningKind> {
    KINDS.iter().copied().find(|k| k.message == message)
}

/// The kind with this id, if there is one.
pub(crate) fn kind(id: &str) -> Option<&'static WarningKind> {
    KINDS.iter().copied().find(|k| k.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::slug::is_valid_id;

    #[test]
    fn ids_are_unique_and_message_keys_follow_them() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(
                KINDS[..i].iter().all(|other| other.id != k.id),
                "{} twice",
                k.id
            );
            assert_eq!(k.message, format!("warn_{}", k.id));
            assert!(is_valid_id(k.default_step), "{}: {}", k.id, k.default_step);
        }
    }

    #[test]
    fn a_remapped_step_replaces_the_default_of_that_kind_only() {
        let mut config = WarningsConfig::default();
        config
            .steps
            .insert("renewal_due".into(), "verlaengern".into());
        assert_eq!(RENEWAL_DUE.step(&config), "verlaengern");
        assert_eq!(RENEWAL_OVERDUE.step(&config), "jaehrliche-aktivierung");
    }

    #[test]
    fn kinds_are_found_by_id() {
        assert_eq!(kind("license_zero"), Some(&LICENSE_ZERO));
        assert_eq!(kind("licenses"), None);
    }
}
