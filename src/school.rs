//! One school's data file (`content/schools/<slug>.toml`): loading and validation.
//! The rest of the code only ever sees a [`School`] that passed validation.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::config::Config;
use crate::diagnostics::{is_unsafe_char, Diagnostic, Diagnostics};
use crate::limits::{FileKind, NAME_CHARS};
use crate::render::glyphs;
use crate::{secrets, toml_file};

/// A validated school, as chapters (`school.…`) and templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct School {
    pub slug: String,
    /// The data file as messages name it (`content/schools/…/<slug>.toml`).
    #[serde(skip)]
    pub file: PathBuf,
    pub name: String,
    /// The locales this school's handbook is built in (site locales, narrowed).
    pub locales: Vec<String>,
    pub tenant: Tenant,
    pub contract: Contract,
    pub licenses: Vec<License>,
    pub assignment: Assignment,
    /// SHA-256 of the text this school was read from, for the build cache's key: the text
    /// as it was loaded, without reading the file a second time.
    #[serde(skip)]
    pub source_digest: [u8; 32],
}

#[derive(Debug, Clone, Serialize)]
pub struct Tenant {
    pub domain: String,
    /// The tenant id (a GUID, lowercase), to compare with what the admin center shows.
    pub id: Option<String>,
    pub admin: Option<String>,
    pub verified_domains: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub number: String,
    pub orders: Vec<String>,
    pub order_email: Option<String>,
    pub vlsc_account: VlscAccount,
    pub anniversary: Option<NaiveDate>,
    pub provider_access: bool,
    /// The end date of the current subscription, if known.
    pub subscription_end: Option<NaiveDate>,
    /// Names or e-mail addresses of the people with volume-licensing admin rights.
    pub vl_admins: Vec<String>,
    /// The last five characters of each product key, for tracking (never a full key).
    pub key_suffixes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct License {
    pub product: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub mode: AssignmentMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssignmentMode {
    Mnspro,
    Manual,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VlscAccount {
    Work,
    Microsoft,
    #[default]
    Unknown,
}

// --- the file as written, with spans for the values that are validated ---

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchool {
    name: Spanned<String>,
    locales: Option<Vec<Spanned<String>>>,
    tenant: RawTenant,
    contract: RawContract,
    #[serde(default)]
    licenses: Vec<RawLicense>,
    assignment: Assignment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicense {
    product: Spanned<String>,
    quantity: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTenant {
    domain: Spanned<String>,
    id: Option<Spanned<String>>,
    admin: Option<Spanned<String>>,
    #[serde(default)]
    verified_domains: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    number: Spanned<String>,
    #[serde(default)]
    orders: Vec<Spanned<String>>,
    order_email: Option<Spanned<String>>,
    #[serde(default)]
    vlsc_account: VlscAccount,
    anniversary: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    provider_access: bool,
    subscription_end: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    vl_admins: Vec<Spanned<String>>,
    #[serde(default)]
    key_suffixes: Vec<Spanned<String>>,
}

/// Load one school file; `shown_as` is the path used in messages.
pub(crate) fn load(path: &Path, shown_as: &Path, config: &Config) -> Result<School, Diagnostics> {
    if let Some(error) = secrets::check_file_name(shown_as) {
        return Err(error.into());
    }
    let source = toml_file::read_source(path, shown_as, FileKind::School)?;
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    validate_source(&source, slug, shown_as, config)
}

/// Every check of a school file, on its text: `handbuch import` sends each spreadsheet
/// row through here too, so a row and a file are held to the same rules.
pub(crate) fn validate_source(
    source: &Arc<str>,
    slug: String,
    shown_as: &Path,
    config: &Config,
) -> Result<School, Diagnostics> {
    // Parsed once for all checks: at 40,000 schools each parse is ~2 % of a build.
    let raw: RawSchool = toml_file::parse_checked(source, shown_as, &[("name", NAME_CHARS)])?;
    Validator {
        source,
        shown_as,
        problems: Diagnostics::default(),
    }
    .validate(slug, raw, config)
}

struct Validator<'a> {
    source: &'a Arc<str>,
    shown_as: &'a Path,
    problems: Diagnostics,
}

impl Validator<'_> {
    fn validate(
        mut self,
        slug: String,
        mut raw: RawSchool,
        config: &Config,
    ) -> Result<School, Diagnostics> {
        self.clean_texts(&mut raw);
        if !is_slug(&slug) {
            self.problems.push(
                Diagnostic::error(self.shown_as, format!("`{slug}` cannot be used as a school slug"))
                    .with_code("school.bad-slug")
                    .with_note("the file name becomes part of the URL: use lowercase letters, digits, `-` and `_`"),
            );
        }
        self.check(
            &raw.name,
            !raw.name.get_ref().trim().is_empty(),
            "the school's name is empty",
            "a name",
        );
        let locales = self.locales(raw.locales, config);
        let tenant = self.tenant(raw.tenant);
        let contract = self.contract(raw.contract);
        if self.problems.is_empty() {
            Ok(School {
                slug,
                file: self.shown_as.to_path_buf(),
                source_digest: Sha256::digest(self.source.as_bytes()).into(),
                name: raw.name.into_inner(),
                locales,
                tenant,
                contract,
                licenses: raw
                    .licenses
                    .into_iter()
                    .map(|l| License {
                        product: l.product.into_inner(),
                        quantity: l.quantity,
                    })
                    .collect(),
                assignment: raw.assignment,
            })
        } else {
            Err(self.problems)
        }
    }

    /// Every text value as it is used: without surrounding whitespace (a trailing
    /// space would keep `**name**` from closing), and free of control characters.
    fn clean_texts(&mut self, raw: &mut RawSchool) {
        self.clean(&mut raw.name, "the school's name");
        for locale in raw.locales.iter_mut().flatten() {
            self.clean(locale, "a locale");
        }
        let tenant = &mut raw.tenant;
        self.clean(&mut tenant.domain, "the tenant domain");
        if let Some(id) = &mut tenant.id {
            self.clean(id, "the tenant id");
        }
        if let Some(admin) = &mut tenant.admin {
            self.clean(admin, "the tenant admin");
        }
        for domain in &mut tenant.verified_domains {
            self.clean(domain, "a verified domain");
        }
        let contract = &mut raw.contract;
        self.clean(&mut contract.number, "the contract number");
        for order in &mut contract.orders {
            self.clean(order, "an order number");
        }
        if let Some(email) = &mut contract.order_email {
            self.clean(email, "the order e-mail");
        }
        for admin in &mut contract.vl_admins {
            self.clean(admin, "a volume-licensing admin");
        }
        // Not checked for control characters: anything but five letters or digits is
        // refused by `key_suffix`, with the value blanked out of the message.
        for suffix in &mut contract.key_suffixes {
            trim(suffix);
        }
        for license in &mut raw.licenses {
            self.clean(&mut license.product, "a license's product");
            let product = &license.product;
            self.check(
                product,
                !product.get_ref().is_empty(),
                "a license's product is empty",
                "a product name",
            );
        }
    }

    fn clean(&mut self, value: &mut Spanned<String>, what: &str) {
        trim(value);
        let Some(c) = value.get_ref().chars().find(|c| is_unsafe_char(*c)) else {
            self.printable(value, what);
            return;
        };
        let message = match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => format!("{what} contains a line break"),
            c => format!(
                "{what} contains the control character U+{:04X}",
                u32::from(c)
            ),
        };
        let span = written_at(self.source, value.span(), c);
        self.problems.push(
            Diagnostic::error(self.shown_as, message)
                .with_code("school.control-character")
                .at(self.source, span)
                .with_label("control characters, line breaks and text-direction overrides are not allowed")
                .with_note("school data is printed in handbooks and on the terminal: write plain text on one line"),
        );
    }

    /// School data is printed on the handout: a character its fonts lack is an error
    /// of the school file, for both outputs alike.
    fn printable(&mut self, value: &Spanned<String>, what: &str) {
        let Some((_, c)) = glyphs::first_missing(value.get_ref()) else {
            return;
        };
        let span = written_at(self.source, value.span(), c);
        self.problems.push(
            Diagnostic::error(self.shown_as, format!("{what}: {}", glyphs::message(c)))
                .with_kind("no-glyph")
                .at(self.source, span)
                .with_label("not in the handout's fonts")
                .with_note(glyphs::note()),
        );
    }

    fn check<T>(&mut self, value: &Spanned<T>, ok: bool, message: &str, expected: &str) {
        if !ok {
            self.problems.push(
                Diagnostic::error(self.shown_as, message)
                    .with_code("school.bad-value")
                    .at(self.source, value.span())
                    .with_label(format!("expected {expected}")),
            );
        }
    }

    fn locales(&mut self, wanted: Option<Vec<Spanned<String>>>, config: &Config) -> Vec<String> {
        let Some(wanted) = wanted else {
            return config.locales.clone();
        };
        for locale in &wanted {
            let known = config.locales.contains(locale.get_ref());
            let message = format!("unknown locale `{}`", locale.get_ref());
            let expected = format!("one of the site's locales {:?}", config.locales);
            self.check(locale, known, &message, &expected);
        }
        // Keep the site's order so output and language switchers are stable.
        config
            .locales
            .iter()
            .filter(|l| wanted.iter().any(|w| w.get_ref() == *l))
            .cloned()
            .collect()
    }

    fn tenant(&mut self, raw: RawTenant) -> Tenant {
        self.check(
            &raw.domain,
            is_domain(raw.domain.get_ref()),
            "the tenant domain is not a domain name",
            "a domain like `schule.onmicrosoft.com`",
        );
        if let Some(admin) = &raw.admin {
            self.check(
                admin,
                is_email(admin.get_ref()),
                "the tenant admin is not an e-mail address",
                "an address like `admin@schule.onmicrosoft.com`",
            );
        }
        if let Some(id) = &raw.id {
            self.check(
                id,
                is_guid(id.get_ref()),
                "the tenant id is not a GUID",
                "a GUID like `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hexadecimal digits)",
            );
        }
        for domain in &raw.verified_domains {
            self.check(
                domain,
                is_domain(domain.get_ref()),
                "a verified domain is not a domain name",
                "a domain like `schule.de`",
            );
        }
        Tenant {
            domain: raw.domain.into_inner().to_ascii_lowercase(),
            id: raw.id.map(|id| id.into_inner().to_ascii_lowercase()),
            admin: raw.admin.map(Spanned::into_inner),
            verified_domains: raw
                .verified_domains
                .into_iter()
                .map(|d| d.into_inner().to_ascii_lowercase())
                .collect(),
        }
    }

    fn contract(&mut self, raw: RawContract) -> Contract {
        self.check(
            &raw.number,
            is_contract_number(raw.number.get_ref()),
            "the contract number must start with V followed by digits",
            "`V` and digits, like `V1234567`",
        );
        for order in &raw.orders {
            let ok =
                !order.get_ref().is_empty() && order.get_ref().bytes().all(|b| b.is_ascii_digit());
            self.check(
                order,
                ok,
                "an order number must consist of digits",
                "digits, like `12345678`",
            );
        }
        if let Some(email) = &raw.order_email {
            self.check(
                email,
                is_email(email.get_ref()),
                "the order e-mail is not an e-mail address",
                "an address like `verwaltung@schule.de`",
            );
        }
        let anniversary = raw.anniversary.and_then(|d| {
            let date = crate::toml_file::as_date(d.get_ref());
            self.check(
                &d,
                date.is_some(),
                "the anniversary must be a date without a time",
                "a date like `2027-08-01`",
            );
            date
        });
        let subscription_end = raw.subscription_end.and_then(|d| {
            let date = crate::toml_file::as_date(d.get_ref());
            self.check(
                &d,
                date.is_some(),
                "the subscription end must be a date without a time",
                "a date like `2027-07-31`",
            );
            date
        });
        for admin in &raw.vl_admins {
            self.check(
                admin,
                !admin.get_ref().trim().is_empty(),
                "a volume-licensing admin is empty",
                "a name or an e-mail address",
            );
        }
        for suffix in &raw.key_suffixes {
            self.key_suffix(suffix);
        }
        Contract {
            number: raw.number.into_inner(),
            orders: raw.orders.into_iter().map(Spanned::into_inner).collect(),
            order_email: raw.order_email.map(Spanned::into_inner),
            vlsc_account: raw.vlsc_account,
            anniversary,
            provider_access: raw.provider_access,
            subscription_end,
            vl_admins: raw
                .vl_admins
                .into_iter()
                .map(|a| a.into_inner().trim().to_string())
                .collect(),
            key_suffixes: raw
                .key_suffixes
                .into_iter()
                .map(|k| k.into_inner().to_ascii_uppercase())
                .collect(),
        }
    }

    /// Only the last five characters of a key may be recorded. Anything else might be
    /// (part of) a key, so the error shows the line with the value blanked out.
    fn key_suffix(&mut self, suffix: &Spanned<String>) {
        if is_key_suffix(suffix.get_ref()) {
            return;
        }
        let span = suffix.span();
        let mut bytes = self.source.as_bytes().to_vec();
        if let Some(value) = bytes.get_mut(span.clone()) {
            value.fill(b'*');
        }
        let redacted: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
        self.problems.push(
            Diagnostic::error(
                self.shown_as,
                "a key suffix must be the last five characters of a product key, nothing more",
            )
            .with_code("school.bad-key-suffix")
            .at(&redacted, span)
            .with_label("expected five letters or digits, like `7QX2K`")
            .with_note("a handbook never carries a product key: record only the last five characters of each key"),
        );
    }
}

fn trim(value: &mut Spanned<String>) {
    let text = value.get_ref();
    if text.trim() != text {
        *value.get_mut() = text.trim().to_string();
    }
}

/// Where `c` is written inside the value at `span`: the character itself, or one of
/// the TOML escapes for it (`\u001B`, `\e`, `\n`, …); else the whole value.
fn written_at(source: &str, span: Range<usize>, c: char) -> Range<usize> {
    let Some(written) = source.get(span.clone()) else {
        return span;
    };
    // A line break right after `"""` is not part of a multi-line string's value.
    let opening = ["\"\"\"\r\n", "\"\"\"\n", "'''\r\n", "'''\n"]
        .iter()
        .find(|o| written.starts_with(**o))
        .map_or(0, |o| o.len());
    let value = &written[opening..];
    let code = u32::from(c);
    let short = match c {
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        '\u{8}' => Some("\\b"),
        '\u{C}' => Some("\\f"),
        '\u{1B}' => Some("\\e"),
        _ => None,
    };
    let spellings = [
        c.to_string(),
        format!("\\u{code:04X}"),
        format!("\\u{code:04x}"),
        format!("\\U{code:08X}"),
        format!("\\U{code:08x}"),
        format!("\\x{code:02X}"),
        format!("\\x{code:02x}"),
    ];
    spellings
        .iter()
        .map(String::as_str)
        .chain(short)
        .filter_map(|s| value.find(s).map(|at| (at, s.len())))
        .min()
        .map_or(span.clone(), |(at, len)| {
            let start = span.start + opening + at;
            start..start + len
        })
}

/// Safe as one path segment and in a URL without escaping.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with(['-', '_'])
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with hexadecimal digits.
pub(crate) fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The last five characters of a product key: exactly five letters or digits.
pub(crate) fn is_key_suffix(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub(crate) fn is_contract_number(s: &str) -> bool {
    s.strip_prefix('V')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && s.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

pub(crate) fn is_email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !local.contains(char::is_whitespace)
            && !domain.contains('@')
            && is_domain(domain)
    })
}

impl School {
    /// The domain part of the admin account, if one is known.
    pub fn admin_domain(&self) -> Option<&str> {
        self.tenant
            .admin
            .as_deref()
            .and_then(|a| a.rsplit_once('@'))
            .map(|(_, d)| d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_numbers() {
        assert!(is_contract_number("V1234567"));
        assert!(!is_contract_number("1234567"));
        assert!(!is_contract_number("V"));
        assert!(!is_contract_number("V12a"));
    }

    #[test]
    fn domains_and_emails() {
        assert!(is_domain("gym.onmicrosoft.com"));
        assert!(!is_domain("gym"));
        assert!(!is_domain("gym..de"));
        assert!(is_email("admin@gym.onmicrosoft.com"));
        assert!(!is_email("admin gym.de"));
        assert!(!is_email("@gym.de"));
    }

    #[test]
    fn guids() {
        assert!(is_guid("3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21"));
        assert!(is_guid("3F2B8C1E-7A4D-4E2F-9B6A-1C0D5E8F7A21"));
        assert!(!is_guid("3f2b8c1e7a4d4e2f9b6a1c0d5e8f7a21"));
        assert!(!is_guid("3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a2"));
        assert!(!is_guid("zf2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21"));
        assert!(!is_guid("{3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21}"));
    }

    #[test]
    fn key_suffixes() {
        assert!(is_key_suffix("7QX2K"));
        assert!(is_key_suffix("7qx2k"));
        assert!(!is_key_suffix("7QX2"));
        assert!(!is_key_suffix("A7QX2K"));
        assert!(!is_key_suffix("-7QX2K"));
        assert!(!is_key_suffix("ABCDE-7QX2K"));
        assert!(!is_key_suffix("7QX2Ä"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("gym-am-stadtpark"));
        assert!(!is_slug("Gym"));
        assert!(!is_slug("../x"));
        assert!(!is_slug(""));
    }
}
