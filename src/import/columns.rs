//! The column mapping: which header (German or English, any case, spaces and
//! dashes ignored) fills which field of a school file.

use crate::secrets::is_secret_name;

/// A field of a school file, as one column fills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Field {
    Name,
    Slug,
    Locales,
    Domain,
    TenantId,
    Admin,
    VerifiedDomains,
    Contract,
    Orders,
    OrderEmail,
    Account,
    Anniversary,
    SubscriptionEnd,
    ProviderAccess,
    VlAdmins,
    KeySuffixes,
    Assignment,
    /// The `n`th licence's product (`Produkt`, `Produkt 2`, …), 1-based.
    Product(u8),
    /// The `n`th licence's quantity (`Anzahl`, `Anzahl 2`, …), 1-based.
    Quantity(u8),
}

/// Every plain field: the German header the template writes, the English one, more
/// names that are read too, and the key it fills in the school file.
pub(crate) const COLUMNS: [(Field, &str, &str, &[&str], &str); 17] = [
    (
        Field::Name,
        "Schule",
        "Name",
        &["Schulname", "School"],
        "name",
    ),
    (Field::Slug, "Kürzel", "Slug", &[], "(file name)"),
    (
        Field::Locales,
        "Sprachen",
        "Locales",
        &["Sprache"],
        "locales",
    ),
    (
        Field::Domain,
        "Tenant-Domain",
        "Tenant domain",
        &["Domain"],
        "tenant.domain",
    ),
    (Field::TenantId, "Tenant-ID", "Tenant ID", &[], "tenant.id"),
    (
        Field::Admin,
        "Administrator",
        "Admin",
        &["Tenant-Admin"],
        "tenant.admin",
    ),
    (
        Field::VerifiedDomains,
        "Verifizierte Domains",
        "Verified domains",
        &[],
        "tenant.verified_domains",
    ),
    (
        Field::Contract,
        "Vertragsnummer",
        "Contract",
        &["Contract number", "Vertrag"],
        "contract.number",
    ),
    (
        Field::Orders,
        "Bestellnummern",
        "Orders",
        &["Bestellnummer", "Order numbers"],
        "contract.orders",
    ),
    (
        Field::OrderEmail,
        "Bestelladresse",
        "Order e-mail",
        &["Order email"],
        "contract.order_email",
    ),
    (
        Field::Account,
        "Kontotyp",
        "Account type",
        &["VLSC-Konto", "VLSC account"],
        "contract.vlsc_account",
    ),
    (
        Field::Anniversary,
        "Nächste Aktivierung",
        "Next activation",
        &["Anniversary", "Jahrestag"],
        "contract.anniversary",
    ),
    (
        Field::SubscriptionEnd,
        "Abo-Ende",
        "Subscription end",
        &["Vertragsende"],
        "contract.subscription_end",
    ),
    (
        Field::ProviderAccess,
        "Dienstleisterzugang",
        "Provider access",
        &["Dienstleister-Zugang"],
        "contract.provider_access",
    ),
    (
        Field::VlAdmins,
        "VL-Admins",
        "VL admins",
        &["Volumenlizenz-Admins"],
        "contract.vl_admins",
    ),
    (
        Field::KeySuffixes,
        "Key-Enden",
        "Key suffixes",
        &["Schlüsselenden"],
        "contract.key_suffixes",
    ),
    (
        Field::Assignment,
        "Zuweisung",
        "Assignment",
        &["Assignment mode"],
        "assignment.mode",
    ),
];

/// Headers of the licence columns; a number after them (`Produkt 2`) counts licences.
pub(crate) const PRODUCT: [&str; 2] = ["Produkt", "Product"];
pub(crate) const QUANTITY: [&str; 2] = ["Anzahl", "Quantity"];
/// Licence pairs in one row: `Produkt 1` … `Produkt 20`.
pub(crate) const MAX_LICENSES: u8 = 20;

/// What a header cell says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Header {
    Field(Field),
    /// Named like a password or key: its values must never be read.
    Secret,
    /// No known column; the closest known header, if one is close.
    Unknown(Option<String>),
}

/// Lowercase letters and digits only: `Tenant-ID`, `tenant id` and `TenantID` are one.
fn normal(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn header(text: &str) -> Header {
    if is_secret_name(text) {
        return Header::Secret;
    }
    let wanted = normal(text);
    for (field, german, english, more, key) in COLUMNS {
        let names = [german, english, key]
            .into_iter()
            .chain(more.iter().copied());
        if names.map(normal).any(|n| n == wanted) {
            return Header::Field(field);
        }
    }
    if let Some(field) = licence_column(&wanted) {
        return Header::Field(field);
    }
    Header::Unknown(closest(&wanted))
}

/// `produkt`, `produkt2`, `anzahl 3`: a licence column and its number.
fn licence_column(wanted: &str) -> Option<Field> {
    let digits = wanted.trim_start_matches(|c: char| !c.is_ascii_digit());
    let word = &wanted[..wanted.len() - digits.len()];
    let n: u8 = if digits.is_empty() {
        1
    } else {
        digits.parse().ok()?
    };
    if n == 0 || n > MAX_LICENSES {
        return None;
    }
    if PRODUCT.iter().any(|p| normal(p) == word) {
        Some(Field::Product(n))
    } else if QUANTITY.iter().any(|q| normal(q) == word) {
        Some(Field::Quantity(n))
    } else {
        None
    }
}

/// The known header nearest to an unknown one, for "did you mean".
fn closest(wanted: &str) -> Option<String> {
    let known = COLUMNS
        .iter()
        .flat_map(|(_, german, english, _, _)| [*german, *english])
        .chain(PRODUCT)
        .chain(QUANTITY);
    known
        .map(|name| (strsim::levenshtein(wanted, &normal(name)), name))
        .filter(|(d, name)| *d <= 2.max(normal(name).len() / 3))
        .min()
        .map(|(_, name)| name.to_string())
}

/// How a header is shown in messages: `Produkt 2`, `Tenant-Domain`.
pub(crate) fn shown(field: Field) -> String {
    match field {
        Field::Product(1) => PRODUCT[0].to_string(),
        Field::Product(n) => format!("{} {n}", PRODUCT[0]),
        Field::Quantity(1) => QUANTITY[0].to_string(),
        Field::Quantity(n) => format!("{} {n}", QUANTITY[0]),
        field => COLUMNS
            .iter()
            .find(|c| c.0 == field)
            .map_or_else(String::new, |c| c.1.to_string()),
    }
}

/// Columns a sheet must have: a school file cannot do without these.
pub(crate) const REQUIRED: [Field; 4] = [
    Field::Name,
    Field::Domain,
    Field::Contract,
    Field::Assignment,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english_headers_in_any_spelling() {
        assert_eq!(header("Schule"), Header::Field(Field::Name));
        assert_eq!(header(" name "), Header::Field(Field::Name));
        assert_eq!(header("TENANT-ID"), Header::Field(Field::TenantId));
        assert_eq!(header("Tenant ID"), Header::Field(Field::TenantId));
        assert_eq!(header("tenant.domain"), Header::Field(Field::Domain));
        assert_eq!(
            header("Nächste Aktivierung"),
            Header::Field(Field::Anniversary)
        );
        assert_eq!(header("Produkt"), Header::Field(Field::Product(1)));
        assert_eq!(header("Anzahl 2"), Header::Field(Field::Quantity(2)));
        assert_eq!(header("Quantity 3"), Header::Field(Field::Quantity(3)));
    }

    #[test]
    fn unknown_and_secret_headers() {
        assert_eq!(header("Kennwort"), Header::Secret);
        assert_eq!(header("Admin-Passwort"), Header::Secret);
        assert_eq!(header("Produktschlüssel"), Header::Secret);
        assert_eq!(
            header("Vertragsnumer"),
            Header::Unknown(Some("Vertragsnummer".into()))
        );
        assert_eq!(header("Farbe"), Header::Unknown(None));
        assert_eq!(
            header("Produkt 99"),
            Header::Unknown(Some("Produkt".into()))
        );
    }

    #[test]
    fn every_header_maps_back_to_its_field() {
        for (field, german, english, _, _) in COLUMNS {
            assert_eq!(header(german), Header::Field(field), "{german}");
            assert_eq!(header(english), Header::Field(field), "{english}");
            assert_eq!(header(&shown(field)), Header::Field(field));
        }
    }
}
