//! Issue 9: the handbook stays true to today's Microsoft portals. The VLSC was retired in
//! April 2024; a dated, localized note at every step that names it gives today's path in
//! the Microsoft 365 admin center, `[portal]` in handbuch.toml turns the notes off or
//! dates them, and the rules for personal accounts, tenant ids, expired subscriptions and
//! volume-licensing admins come with the school data. No handbook ever carries a key.

mod common;

use common::{step_section, text_of, Project};

const GYM: &str = "content/schools/gymnasium-am-stadtpark.toml";
const CONFIG: &str = "handbuch.toml";

/// Every step that names the VLSC, its login, "Verwaltung" or "Onlinedienstaktivierung",
/// with a phrase of its note in German and in English.
const NOTES: [(&str, &str, &str); 12] = [
    (
        "bestellbestaetigung",
        "admin.microsoft.com › Abrechnung › Ihre Produkte › Volumenlizenzierung",
        "admin.microsoft.com › Billing › Your products › Volume licensing",
    ),
    (
        "zugangsdaten",
        "mit einem Geschäfts- oder Schulkonto",
        "with a work or school account",
    ),
    (
        "vlsc-aufrufen",
        "Die Adresse oben führt nicht mehr zum VLSC",
        "The address above no longer leads to the VLSC",
    ),
    (
        "vlsc-login",
        "Persönliche Microsoft-Konten können sich an der Volumenlizenzierung nicht mehr anmelden",
        "Personal Microsoft accounts can no longer sign in to volume licensing",
    ),
    (
        "vlsc-registrierung",
        "Einladungen zum VLSC, die vor April 2024 verschickt wurden, gelten nicht mehr",
        "Invitations to the VLSC that were sent before April 2024 are no longer valid",
    ),
    (
        "vlsc-benutzer",
        "Abrechnung › Ihre Produkte › Volumenlizenzierung › Rollenzuweisungen",
        "Role assignments (Rollenzuweisungen)",
    ),
    (
        "onlinedienstaktivierung",
        "Einen Reiter „Onlinedienstaktivierung“ gibt es nicht mehr",
        "There is no “Online Services Activation” tab any more",
    ),
    (
        "organisationskonto",
        "Nach jedem Vertrag meldet Sie das Aktivierungsfenster ab",
        "The activation window signs you out after each contract",
    ),
    (
        "keys-kopieren",
        "„Aktivierung starten“ ein Aktivierungsfenster",
        "“Start activation” opens an activation window",
    ),
    (
        "keys-eingeben",
        "Mit dem „VLSC-Fenster“ ist heute das Fenster der Volumenlizenzierung",
        "The “VLSC window” today means the volume licensing window",
    ),
    ("lizenzen-pruefen", "bis zu 24 Stunden", "up to 24 hours"),
    (
        "jaehrliche-aktivierung",
        "„Am VLSC anmelden“ heißt heute",
        "“Sign in to the VLSC” today means",
    ),
];

const NEW_DE: &str = "Neu seit April 2024:";
const NEW_EN: &str = "New since April 2024:";

/// The HTML pages only: PDFs are checked in pdf.rs and would only slow these tests.
fn build_html(p: &Project) {
    let mut options = p.options();
    options.pdf = false;
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
}

fn errors_of(p: &Project) -> String {
    let mut options = p.options();
    options.pdf = false;
    match handbuch::build(&options) {
        Ok(_) => panic!("build unexpectedly succeeded"),
        Err(e) => format!("{e}{}", e.summary()),
    }
}

fn step_text(p: &Project, locale: &str, slug: &str, step: &str) -> String {
    text_of(step_section(&p.page(locale, slug), step))
}

fn set_portal(p: &Project, portal: &str) {
    let config = p.read(CONFIG);
    let start = config.find("[portal]").expect("the example has [portal]");
    p.write(CONFIG, &format!("{}[portal]\n{portal}\n", &config[..start]));
}

fn edit(p: &Project, file: &str, from: &str, to: &str) {
    let text = p.read(file);
    assert!(text.contains(from), "{file} has no {from:?}");
    p.write(file, &text.replacen(from, to, 1));
}

// --- 1. the dated "what has changed" layer ---

#[test]
fn each_note_appears_at_its_step_in_german_and_english() {
    let p = Project::fixture("example");
    build_html(&p);
    for (locale, marker) in [("de", NEW_DE), ("en", NEW_EN)] {
        let page = p.page(locale, "gymnasium-am-stadtpark");
        for (step, de, en) in NOTES {
            let text = text_of(step_section(&page, step));
            let phrase = if locale == "de" { de } else { en };
            assert!(text.contains(marker), "{locale}/{step}: no note in {text}");
            assert!(
                text.contains(phrase),
                "{locale}/{step}: {phrase:?} not in {text}"
            );
        }
        // One note per such step, each an alert whose first line is the bold marker.
        let bold = format!(
            "<p class=\"alert-title\">{}</p>\n<p><strong>{marker}</strong> ",
            if locale == "de" {
                "Wichtig"
            } else {
                "Important"
            }
        );
        assert_eq!(page.matches(&bold).count(), NOTES.len(), "{locale}");
        // Steps that do not name the VLSC get none.
        for step in [
            "vertrag-waehlen",
            "setup365-oeffnen",
            "setup365-anmelden",
            "konto-pruefen",
            "buchung-abschliessen",
            "lizenzen-zuweisen",
        ] {
            assert!(
                !text_of(step_section(&page, step)).contains(marker),
                "{locale}/{step}"
            );
        }
    }
}

#[test]
fn notes_disappear_when_turned_off_and_every_step_stays() {
    let p = Project::fixture("example");
    build_html(&p);
    let before: Vec<String> = ["de", "en"]
        .iter()
        .map(|l| p.page(l, "gymnasium-am-stadtpark"))
        .collect();
    set_portal(&p, "vlsc_retired = false");
    build_html(&p);
    for (i, (locale, marker)) in [("de", NEW_DE), ("en", NEW_EN)].into_iter().enumerate() {
        let page = p.page(locale, "gymnasium-am-stadtpark");
        assert!(!page.contains(marker), "{locale}: a note is left");
        for (step, de, en) in NOTES {
            let phrase = if locale == "de" { de } else { en };
            assert!(
                !text_of(step_section(&page, step)).contains(phrase),
                "{locale}/{step}"
            );
        }
        // Same steps, same checklist: the notes add no step and no item.
        let count = |html: &str, what: &str| html.matches(what).count();
        for what in ["<section class=\"step\"", "type=\"checkbox\""] {
            assert_eq!(
                count(&page, what),
                count(&before[i], what),
                "{locale}: {what}"
            );
        }
    }
}

#[test]
fn as_of_dates_every_note() {
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retired = true\nas_of = 2026-11-01");
    build_html(&p);
    let de = p.page("de", "gymnasium-am-stadtpark");
    let en = p.page("en", "gymnasium-am-stadtpark");
    assert_eq!(
        de.matches("<strong>Neu seit April 2024 (Stand: 01.11.2026):</strong>")
            .count(),
        NOTES.len()
    );
    assert_eq!(
        en.matches("<strong>New since April 2024 (as of 1 November 2026):</strong>")
            .count(),
        NOTES.len()
    );
}

#[test]
fn portal_settings_are_checked() {
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retired = true\nas_of = 2026-11-01T10:00:00");
    let errors = errors_of(&p);
    assert!(
        errors.contains("`as_of` must be a date without a time, like 2026-11-01")
            && errors.contains("handbuch.toml:"),
        "{errors}"
    );
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retierd = false");
    let errors = errors_of(&p);
    assert!(
        errors.contains("unknown field `vlsc_retierd`")
            && errors.contains("did you mean `vlsc_retired`?"),
        "{errors}"
    );
}

#[test]
fn without_a_portal_table_the_notes_are_on() {
    let p = Project::fixture("example");
    let config = p.read(CONFIG);
    p.write(CONFIG, &config[..config.find("[portal]").expect("portal")]);
    build_html(&p);
    assert_eq!(
        p.page("de", "gymnasium-am-stadtpark")
            .matches(NEW_DE)
            .count(),
        NOTES.len()
    );
}

#[test]
fn overview_says_which_portal_the_handbooks_describe() {
    let p = Project::fixture("example");
    build_html(&p);
    assert!(p
        .read("public/index.html")
        .contains("Microsoft 365 Admin Center: Abrechnung › Ihre Produkte › Volumenlizenzierung"));
    set_portal(&p, "vlsc_retired = false");
    build_html(&p);
    let index = p.read("public/index.html");
    assert!(index.contains(
        "Die Handbücher beschreiben die Schritte im Volume Licensing Service Center (VLSC)."
    ));
    assert!(!index.contains("Abrechnung › Ihre Produkte › Volumenlizenzierung"));
}

// --- 2. facts worth a note, each at its step in both languages ---

/// `(step, German phrases, English phrases, still there with vlsc_retired = false)`.
const FACTS: [(&str, &[&str], &[&str], bool); 7] = [
    // Personal Microsoft accounts can no longer sign in: work or school account only.
    ("vlsc-login", &["Persönliche Microsoft-Konten können sich an der Volumenlizenzierung nicht mehr anmelden", "nur mit einem Geschäfts- oder Schulkonto"], &["Personal Microsoft accounts can no longer sign in to volume licensing", "only with a work or school account"], false),
    // Online-services product keys are single-use.
    ("keys-kopieren", &["lässt sich nur ein einziges Mal einlösen", "auch nicht in einem anderen Tenant"], &["can be redeemed only once", "not even in another tenant"], true),
    ("keys-eingeben", &["Jeder Key gilt nur einmal"], &["each key is valid only once"], true),
    // Redeeming needs the Global Administrator role; seeing the keys a VL role.
    ("organisationskonto", &["braucht dieses Konto die Rolle „Globaler Administrator“ im Tenant gymstadtpark.onmicrosoft.com"], &["this account needs the “Global Administrator” role in the tenant gymstadtpark.onmicrosoft.com"], true),
    ("vlsc-benutzer", &["Wer die Product Keys sehen soll, braucht eine dieser Rollen", "„Globaler Administrator“ im Tenant allein reicht dafür nicht"], &["Anyone who is to see the product keys needs one of these roles", "“Global Administrator” role alone is not enough"], false),
    // Signed out after each agreement, so that licences do not land in the wrong tenant.
    ("organisationskonto", &["Nach jedem Vertrag meldet Sie das Aktivierungsfenster ab", "damit die Lizenzen nicht im falschen Tenant landen"], &["The activation window signs you out after each contract", "so that the licenses do not end up in the wrong tenant"], false),
    // At once under Billing › Licenses; the VL pages take up to 24 hours.
    ("lizenzen-pruefen", &["unter „Abrechnung → Lizenzen“ sofort bereit", "bis zu 24 Stunden"], &["available under “Billing → Licenses” straight away", "up to 24 hours"], false),
];

#[test]
fn each_fact_is_a_note_at_its_step_in_german_and_english() {
    let p = Project::fixture("example");
    build_html(&p);
    for (step, de, en, _) in FACTS {
        for (locale, phrases) in [("de", de), ("en", en)] {
            let text = step_text(&p, locale, "gymnasium-am-stadtpark", step);
            for phrase in phrases {
                assert!(
                    text.contains(phrase),
                    "{locale}/{step}: {phrase:?} not in {text}"
                );
            }
        }
    }
}

#[test]
fn facts_that_hold_for_any_portal_stay_when_the_notes_are_off() {
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retired = false");
    build_html(&p);
    for (step, de, en, stays) in FACTS {
        for (locale, phrases) in [("de", de), ("en", en)] {
            let text = step_text(&p, locale, "gymnasium-am-stadtpark", step);
            for phrase in phrases {
                assert_eq!(text.contains(phrase), stays, "{locale}/{step}: {phrase:?}");
            }
        }
    }
}

#[test]
fn redeeming_into_an_existing_subscription_offers_add_or_renew() {
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retired = false");
    build_html(&p);
    let de = step_text(&p, "de", "gymnasium-am-stadtpark", "buchung-abschliessen");
    let en = step_text(&p, "en", "gymnasium-am-stadtpark", "buchung-abschliessen");
    for phrase in [
        "Lizenzen hinzufügen: mehr Lizenzen im bestehenden Abonnement, das Enddatum bleibt gleich",
        "Verlängern: Das bestehende Abonnement bekommt ein neues Enddatum, 12 Monate später",
        "läuft das Abonnement Ihrer Schule bis 31.07.2027",
    ] {
        assert!(de.contains(phrase), "{phrase:?} not in {de}");
    }
    for phrase in [
        "Add licenses: more licenses in the existing subscription; the end date stays the same",
        "Renew: the existing subscription gets a new end date, 12 months later",
        "subscription runs until 31 July 2027",
    ] {
        assert!(en.contains(phrase), "{phrase:?} not in {en}");
    }
}

// --- 3. the new warning rules, each firing and staying quiet ---

/// The ids of the warnings shown inline at `step`.
fn warnings_at(p: &Project, locale: &str, slug: &str, step: &str) -> Vec<String> {
    step_section(&p.page(locale, slug), step)
        .split("data-warning=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("quote")].to_string())
        .collect()
}

/// The inline warning `id` at `step` as text, or "" if there is none.
fn warning_text(p: &Project, locale: &str, slug: &str, step: &str, id: &str) -> String {
    let page = p.page(locale, slug);
    let section = step_section(&page, step);
    let Some(start) = section.find(&format!("data-warning=\"{id}\"")) else {
        return String::new();
    };
    let end = section[start..]
        .find("</p>")
        .map_or(section.len(), |e| start + e);
    text_of(&format!("<x {}", &section[start..end]))
}

#[test]
fn a_microsoft_account_is_a_danger_at_the_vlsc_login() {
    let p = Project::fixture("example");
    build_html(&p);
    let de = warning_text(
        &p,
        "de",
        "realschule-am-rheinufer",
        "vlsc-login",
        "personal_account",
    );
    assert!(de.starts_with("Gefahr: Der VLSC-Zugang Ihrer Schule ist als Microsoft-Konto vermerkt, also als persönliches Konto.") && de.contains("nur ein Geschäfts- oder Schulkonto"), "{de}");
    let en = warning_text(
        &p,
        "en",
        "realschule-am-rheinufer",
        "vlsc-login",
        "personal_account",
    );
    assert!(
        en.starts_with("Danger: Your school")
            && en.contains("VLSC login is recorded as a Microsoft account")
            && en.contains("only a work or school account can"),
        "{en}"
    );
    // The handbook says it in the step as well.
    assert!(step_text(&p, "de", "realschule-am-rheinufer", "vlsc-login").contains("Für Ihre Schule ist ein Microsoft-Konto vermerkt: Klären Sie vorher mit Beispiel IT-Service GmbH"));
    // A work account is fine.
    assert!(
        !warnings_at(&p, "de", "gymnasium-am-stadtpark", "vlsc-login")
            .contains(&"personal_account".to_string())
    );
}

#[test]
fn an_order_email_at_a_consumer_domain_is_a_personal_account() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "verwaltung@gym-stadtpark.de",
        "gym.stadtpark@GMX.de",
    );
    build_html(&p);
    let de = warning_text(
        &p,
        "de",
        "gymnasium-am-stadtpark",
        "vlsc-login",
        "personal_account",
    );
    assert!(de.starts_with("Gefahr: Die Bestelladresse gym.stadtpark@GMX.de ist die Adresse eines privaten Postfachs."), "{de}");
    let en = warning_text(
        &p,
        "en",
        "gymnasium-am-stadtpark",
        "vlsc-login",
        "personal_account",
    );
    assert!(
        en.starts_with("Danger: The ordering address gym.stadtpark@GMX.de is a personal mailbox."),
        "{en}"
    );
}

#[test]
fn personal_account_stays_quiet_while_the_handbook_describes_the_vlsc() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "verwaltung@gym-stadtpark.de",
        "gym.stadtpark@gmail.com",
    );
    set_portal(&p, "vlsc_retired = false");
    build_html(&p);
    for slug in ["gymnasium-am-stadtpark", "realschule-am-rheinufer"] {
        assert!(
            !p.page("de", slug)
                .contains("data-warning=\"personal_account\""),
            "{slug}"
        );
    }
}

#[test]
fn the_tenant_id_is_shown_at_the_account_check_or_its_absence_noted() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
        "5A79EF94-096D-4E74-85BB-86B5EE280C0E",
    );
    build_html(&p);
    let de = step_text(&p, "de", "gymnasium-am-stadtpark", "konto-pruefen");
    assert!(
        de.contains("Die ID Ihres Tenants ist 5a79ef94-096d-4e74-85bb-86b5ee280c0e")
            && de.contains("„Mandanten-ID“"),
        "{de}"
    );
    let en = step_text(&p, "en", "gymnasium-am-stadtpark", "konto-pruefen");
    assert!(
        en.contains("ID is 5a79ef94-096d-4e74-85bb-86b5ee280c0e") && en.contains("“Tenant ID”"),
        "{en}"
    );
    assert!(warnings_at(&p, "de", "gymnasium-am-stadtpark", "konto-pruefen").is_empty());
    // grundschule-am-lindenweg has no tenant id: a note at the same step, no ID sentence.
    let note = warning_text(
        &p,
        "de",
        "grundschule-am-lindenweg",
        "konto-pruefen",
        "tenant_id_unknown",
    );
    assert!(
        note.starts_with(
            "Hinweis: Die Tenant-ID von gs-lindenweg.onmicrosoft.com ist nicht hinterlegt."
        ),
        "{note}"
    );
    assert!(
        !step_text(&p, "de", "grundschule-am-lindenweg", "konto-pruefen")
            .contains("Die ID Ihres Tenants")
    );
    let note = warning_text(
        &p,
        "en",
        "foerderzentrum-am-wald",
        "konto-pruefen",
        "tenant_id_unknown",
    );
    assert!(
        note.starts_with("Note: The tenant ID of fz-amwald.onmicrosoft.com is not recorded."),
        "{note}"
    );
}

#[test]
fn a_tenant_id_that_is_not_a_guid_is_refused_at_its_place() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
        "5a79ef94096d4e7485bb86b5ee280c0e",
    );
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the tenant id is not a GUID"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/gymnasium-am-stadtpark.toml:5:6"),
        "{errors}"
    );
    assert!(
        errors.contains("expected a GUID like `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`"),
        "{errors}"
    );
}

#[test]
fn a_passed_subscription_end_is_a_danger_that_spells_out_the_consequence() {
    let p = Project::fixture("example");
    build_html(&p);
    let de = warning_text(
        &p,
        "de",
        "foerderzentrum-am-wald",
        "jaehrliche-aktivierung",
        "subscription_expired",
    );
    for part in ["Gefahr: Das Abonnement Ihrer Schule ist laut unseren Unterlagen am 31.08.2026 abgelaufen, vor 86 Tagen.", "Die Lizenzen können mit dem Enddatum erlöschen", "nach einer Karenzzeit wird das Abonnement deaktiviert", "schließlich werden seine Daten gelöscht", "Prüfen Sie sofort"] {
        assert!(de.contains(part), "{part:?} not in {de}");
    }
    let en = warning_text(
        &p,
        "en",
        "foerderzentrum-am-wald",
        "jaehrliche-aktivierung",
        "subscription_expired",
    );
    for part in [
        "subscription ended on 31 August 2026, 86 days ago",
        "the licenses can lapse at the end date",
        "after a grace period the subscription is disabled",
        "eventually its data is deleted",
        "Check at once",
    ] {
        assert!(en.contains(part), "{part:?} not in {en}");
    }
    assert!(
        step_text(&p, "de", "foerderzentrum-am-wald", "jaehrliche-aktivierung")
            .contains("ist das Abonnement Ihrer Schule am 31.08.2026 abgelaufen")
    );
    // An end date still ahead: no danger, the date is shown.
    assert!(warning_text(
        &p,
        "de",
        "gymnasium-am-stadtpark",
        "jaehrliche-aktivierung",
        "subscription_expired"
    )
    .is_empty());
    assert!(
        step_text(&p, "de", "gymnasium-am-stadtpark", "jaehrliche-aktivierung")
            .contains("läuft das Abonnement Ihrer Schule bis 31.07.2027")
    );
}

#[test]
fn fewer_than_two_vl_admins_is_a_note() {
    let p = Project::fixture("example");
    build_html(&p);
    let one = warning_text(
        &p,
        "de",
        "berufskolleg-am-hafen",
        "vlsc-benutzer",
        "few_vl_admins",
    );
    assert!(one.starts_with("Hinweis: Für Ihre Schule ist nur verwaltung@bk-am-hafen.de als Administrator der Volumenlizenzierung vermerkt."), "{one}");
    let none = warning_text(
        &p,
        "en",
        "foerderzentrum-am-wald",
        "vlsc-benutzer",
        "few_vl_admins",
    );
    assert!(
        none.starts_with(
            "Note: Nobody is recorded as a volume-licensing administrator for your school."
        ),
        "{none}"
    );
    // Two recorded: quiet, and the step names them.
    assert!(
        !warnings_at(&p, "de", "gymnasium-am-stadtpark", "vlsc-benutzer")
            .contains(&"few_vl_admins".to_string())
    );
    assert!(
        step_text(&p, "de", "gymnasium-am-stadtpark", "vlsc-benutzer")
            .contains("vermerkt: Dr. Petra Lange (Schulleitung), it-koordination@gym-stadtpark.de")
    );
    assert!(
        step_text(&p, "en", "gymnasium-am-stadtpark", "vlsc-benutzer").contains(
            "admin rights: Dr. Petra Lange (Schulleitung), it-koordination@gym-stadtpark.de"
        )
    );
}

// --- 4. never a full product key ---

/// A key-shaped value, put together at run time so no source file carries one.
fn full_key() -> String {
    ["Q7W2E", "R9T4Y", "U3I8O", "P5A6S", "7QX2K"].join("-")
}

#[test]
fn a_full_key_in_a_school_file_is_refused_without_being_echoed() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "key_suffixes = [\"7QX2K\"]",
        &format!("key_suffixes = [\"{}\"]", full_key()),
    );
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: a product key must never be written into a handbook"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/gymnasium-am-stadtpark.toml:18:"),
        "{errors}"
    );
    assert!(
        !errors.contains(&full_key()) && !errors.contains("R9T4Y"),
        "{errors}"
    );
}

#[test]
fn anything_longer_than_a_five_character_suffix_is_refused() {
    for value in ["P5A6S-M4B8Z", "AM4B8Z", "M4B8", "M4-B8"] {
        let p = Project::fixture("example");
        edit(
            &p,
            GYM,
            "key_suffixes = [\"7QX2K\"]",
            &format!("key_suffixes = [\"7QX2K\", \"{value}\"]"),
        );
        let errors = errors_of(&p);
        assert!(errors.contains("error: a key suffix must be the last five characters of a product key, nothing more"), "{value}: {errors}");
        assert!(
            errors.contains("content/schools/gymnasium-am-stadtpark.toml:18:26"),
            "{value}: {errors}"
        );
        assert!(
            errors.contains("expected five letters or digits, like `7QX2K`"),
            "{value}: {errors}"
        );
        assert!(!errors.contains(value), "{value} is echoed: {errors}");
    }
}

#[test]
fn a_five_character_suffix_is_accepted_and_shown() {
    let p = Project::fixture("example");
    edit(
        &p,
        GYM,
        "key_suffixes = [\"7QX2K\"]",
        "key_suffixes = [\"7QX2K\", \"m4b8z\"]",
    );
    build_html(&p);
    let de = step_text(&p, "de", "gymnasium-am-stadtpark", "keys-eingeben");
    assert!(
        de.contains("Keys mit diesen Endungen gehören zu Ihrer Schule: 7QX2K, M4B8Z"),
        "{de}"
    );
    let en = step_text(&p, "en", "gymnasium-am-stadtpark", "keys-eingeben");
    assert!(
        en.contains("Keys ending in these characters belong to your school: 7QX2K, M4B8Z"),
        "{en}"
    );
    // A school without suffixes gets no such sentence.
    assert!(!step_text(&p, "de", "realschule-am-rheinufer", "keys-eingeben").contains("Endungen"));
}

#[test]
fn no_output_file_contains_anything_shaped_like_a_key() {
    let p = Project::fixture("example");
    build_html(&p);
    for (path, bytes) in p.tree("public") {
        if let Ok(text) = String::from_utf8(bytes) {
            let keys = handbuch::secrets::product_keys(&text);
            assert!(
                keys.is_empty(),
                "{} carries a key-shaped value",
                path.display()
            );
        }
    }
}
