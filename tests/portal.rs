//! The bundled example, end to end, in both editions of the guide (issue 12). The
//! default edition walks staff through today's procedure in the Microsoft 365 admin
//! center; `[portal] vlsc_retired = false` builds the guide's original VLSC procedure.
//! Each corrected fact is at its step in both languages, the wrong statements of the
//! old notes appear nowhere, and the warnings fit the edition. No handbook carries a key.

mod common;

use common::{headings, step_ids, step_section, text_of, Project, EXAMPLE_STEP_IDS};

const GYM: &str = "content/schools/gymnasium-am-stadtpark.toml";
const CONFIG: &str = "handbuch.toml";
const SCHOOLS: [&str; 6] = [
    "berufskolleg-am-hafen",
    "foerderzentrum-am-wald",
    "gesamtschule-nord",
    "grundschule-am-lindenweg",
    "gymnasium-am-stadtpark",
    "realschule-am-rheinufer",
];

fn set_portal(p: &Project, portal: &str) {
    let config = p.read(CONFIG);
    let start = config.find("[portal]").expect("the example has [portal]");
    p.write(CONFIG, &format!("{}[portal]\n{portal}\n", &config[..start]));
}

fn vlsc_edition(p: &Project) {
    set_portal(p, "vlsc_retired = false");
}

// --- 1. both editions build, the current one names no VLSC in a heading ---

#[test]
fn both_editions_build_for_every_school_in_both_languages() {
    let p = Project::fixture("example");
    for vlsc in [false, true] {
        if vlsc {
            vlsc_edition(&p);
        }
        p.built_html();
        for slug in SCHOOLS {
            let locales: &[&str] = if slug == "grundschule-am-lindenweg" {
                &["de"]
            } else {
                &["de", "en"]
            };
            for locale in locales {
                let page = p.page(locale, slug);
                assert!(
                    page.contains("id=\"jaehrliche-aktivierung\""),
                    "{vlsc} {locale}/{slug}"
                );
            }
        }
    }
}

#[test]
fn no_heading_of_the_current_edition_names_the_vlsc() {
    let p = Project::fixture("example");
    p.built_html();
    for slug in SCHOOLS {
        for locale in ["de", "en"] {
            let Ok(page) =
                std::fs::read_to_string(p.path(&format!("public/{locale}/{slug}/index.html")))
            else {
                continue;
            };
            let headings = headings(&page);
            assert!(headings.len() > 15, "{locale}/{slug}: {headings:?}");
            for h in &headings {
                assert!(
                    !h.contains("VLSC") && !h.contains("Volume Licensing Service Center"),
                    "{locale}/{slug}: {h}"
                );
            }
        }
    }
}

#[test]
fn steps_of_both_editions_share_their_ids() {
    let p = Project::fixture("example");
    p.built_html();
    let current = step_ids(&p.page("de", "gymnasium-am-stadtpark"));
    vlsc_edition(&p);
    p.built_html();
    let vlsc = step_ids(&p.page("de", "gymnasium-am-stadtpark"));
    // Every step of the current edition is in the VLSC edition too, with the same id.
    for shared in EXAMPLE_STEP_IDS {
        assert!(current.contains(&shared.to_string()), "current: {shared}");
        assert!(vlsc.contains(&shared.to_string()), "vlsc: {shared}");
    }
    for vlsc_only in [
        "onlinedienstaktivierung",
        "keys-kopieren",
        "setup365-oeffnen",
        "setup365-anmelden",
        "keys-eingeben",
    ] {
        assert!(!current.contains(&vlsc_only.to_string()), "{vlsc_only}");
        assert!(vlsc.contains(&vlsc_only.to_string()), "{vlsc_only}");
    }
    // The English handbook has the same steps in the same order.
    assert_eq!(step_ids(&p.page("en", "gymnasium-am-stadtpark")), vlsc);
}

// --- 2. today's facts, each at its step in both languages ---

/// `(step, German phrases, English phrases)` of the current edition.
const FACTS: &[(&str, &[&str], &[&str])] = &[
    (
        "portal-oeffnen",
        &[
            "https://admin.microsoft.com",
            "Abrechnung › Ihre Produkte",
            "Volumenlizenzierung",
            "Alle anzeigen",
        ],
        &[
            "https://admin.microsoft.com",
            "Billing › Your products",
            "Volume licensing",
            "View all",
        ],
    ),
    (
        "zugangsdaten",
        &[
            "„Product keys reader“",
            "„Online services manager“",
            "Nur diese drei Rollen dürfen Onlinedienste aktivieren",
            "mehrstufige Authentifizierung (MFA)",
        ],
        &[
            "“Product keys reader”",
            "“Online services manager”",
            "multifactor authentication (MFA)",
        ],
    ),
    (
        "anmelden",
        &[
            "(MFA) ist für das Admin Center Pflicht",
            "Nur Geschäfts- oder Schulkonten können sich an der Volumenlizenzierung anmelden",
            "Auch ein Globaler Administrator sieht die Verträge nicht von selbst",
        ],
        &[
            "multifactor authentication (MFA) is mandatory",
            "Only work or school accounts can sign in to volume licensing",
        ],
    ),
    (
        "erstzugang",
        &[
            "Action required: Sign in to manage your volume licensing assets",
            "etwa zwei Stunden",
            "vor April 2024",
        ],
        &[
            "Action required: Sign in to manage your volume licensing assets",
            "about two hours",
            "before April 2024",
        ],
    ),
    (
        "benutzer",
        &[
            "Rollenzuweisungen",
            "Product keys reader",
            "Online services manager",
            "„External user“",
            "zweiten Administrator",
        ],
        &[
            "Role assignments",
            "Product keys reader",
            "Online services manager",
            "External user",
            "second administrator",
        ],
    ),
    (
        "vertrag-waehlen",
        &[
            "Verträge",
            "Lizenz-ID",
            "V1234567",
            "Aktivierung verwalten",
            "Manage activation",
        ],
        &["Contracts", "License ID", "V1234567", "Manage activation"],
    ),
    (
        "organisationskonto",
        &[
            "Aktivierung starten",
            "Start activation",
            "„Globaler Administrator“",
            "in einer eigenen Sitzung",
        ],
        &[
            "Start activation",
            "“Global Administrator”",
            "separate session",
        ],
    ),
    (
        "konto-pruefen",
        &[
            "oben rechts",
            "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
            "„Mandanten-ID“",
            "Zurückholen kann ihn nur der Support von Microsoft",
        ],
        &[
            "top right",
            "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
            "“Tenant ID”",
        ],
    ),
    (
        "buchung-abschliessen",
        &[
            "schon eingetragen",
            "nur ein einziges Mal einlösen",
            "12 Monate später",
            "https://microsoft365.com/setupbusiness",
            "7QX2K",
        ],
        &[
            "already filled in",
            "redeemed only once",
            "12 months later",
            "https://microsoft365.com/setupbusiness",
            "7QX2K",
        ],
    ),
    (
        "lizenzen-pruefen",
        &[
            "Abrechnung › Lizenzen",
            "sofort bereit",
            "bis zu 24 Stunden",
        ],
        &["Billing › Licenses", "up to 24 hours"],
    ),
    ("lizenzen-zuweisen", &["MNSpro"], &["MNSpro"]),
    (
        "jaehrliche-aktivierung",
        &[
            "jedes Jahr wiederholt",
            "30 Tage",
            "90 Tage lang",
            "Gelöscht",
            "nicht nach dem Bestelldatum",
        ],
        &["every year", "30 days", "for 90 days", "Deleted"],
    ),
];

#[test]
fn each_current_fact_is_at_its_step_in_german_and_english() {
    let p = Project::fixture("example");
    p.built_html();
    for (step, de, en) in FACTS {
        for (locale, phrases) in [("de", de), ("en", en)] {
            let text = p.step_text(locale, "gymnasium-am-stadtpark", step);
            for phrase in *phrases {
                assert!(
                    text.contains(phrase),
                    "{locale}/{step}: {phrase:?} not in {text}"
                );
            }
        }
    }
}

#[test]
fn manual_assignment_names_the_admin_center_labels() {
    let p = Project::fixture("example");
    p.built_html();
    let de = p.step_text("de", "realschule-am-rheinufer", "lizenzen-zuweisen");
    for label in [
        "„Aktive Benutzer“",
        "„Lizenzen und Apps“",
        "„Änderungen speichern“",
    ] {
        assert!(de.contains(label), "{label}: {de}");
    }
    let en = p.step_text("en", "realschule-am-rheinufer", "lizenzen-zuweisen");
    for label in ["Active users", "Licenses and apps", "Save changes"] {
        assert!(en.contains(label), "{label}: {en}");
    }
}

/// What the old notes said wrongly, in either language: none of it may appear.
const WRONG: &[&str] = &[
    "office.com/setup365",
    "können mit dem Enddatum erlöschen",
    "can lapse at the end date",
    "Probieren Sie beide Kontotypen",
    "Try both account types",
    "kommt niemand mehr an Verträge",
    "Neu seit April 2024",
    "New since April 2024",
    "Onlinedienstaktivierung“ öffnen",
    "Microsoft/Licensing/servicecenter",
    // Text of the VLSC branches of shared chapters, which the search index must drop too.
    "Mit dieser Adresse melden Sie sich am VLSC an",
    "You use this address to sign in to the VLSC",
];

#[test]
fn the_wrong_statements_appear_nowhere_in_the_current_edition() {
    let p = Project::fixture("example");
    p.built_html();
    for (path, bytes) in p.tree("public") {
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        for wrong in WRONG {
            assert!(!text.contains(wrong), "{}: {wrong:?}", path.display());
        }
        // Only "Formerly in the VLSC" remarks and the note on its retirement name it.
        for line in text.lines().filter(|l| l.contains("VLSC")) {
            assert!(
                [
                    "Früher im VLSC",
                    "Formerly in the VLSC",
                    "(VLSC)",
                    "VLSC, die vor April 2024",
                    "VLSC that were sent before April 2024",
                    "im VLSC registriert",
                    "register in the VLSC",
                    "registered in the VLSC"
                ]
                .iter()
                .any(|ok| line.contains(ok)),
                "{}: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn a_former_personal_account_is_told_how_to_get_a_new_profile() {
    let p = Project::fixture("example");
    p.built_html();
    let de = p.step_text("de", "realschule-am-rheinufer", "anmelden");
    for part in [
        "ein persönliches Microsoft-Konto war",
        "die frühere Anmelde-ID, das neue Geschäfts- oder Schulkonto, die Vertragsnummer V3345012",
    ] {
        assert!(de.contains(part), "{part:?} not in {de}");
    }
    assert!(!p
        .step_text("de", "gymnasium-am-stadtpark", "anmelden")
        .contains("neues Profil ein"));
}

// --- 3. the VLSC edition is the guide as written ---

/// Facts of "Buchung der Lizenzen" (shared/seed), each somewhere in the VLSC edition.
const SEED_FACTS: &[&str] = &[
    "Open Value Order Confirmation",
    "beginnt immer mit dem Buchstaben V",
    "Volume Licensing Service Center (VLSC)",
    "https://www.microsoft.com/Licensing/servicecenter/default.aspx",
    "mit der E-Mail-Adresse an, mit der die Lizenzen bestellt wurden",
    "„Arbeitskonto“",
    "„Microsoft-Konto“",
    "früher „Live ID“",
    "Xbox",
    "Probieren Sie es einfach aus",
    "Code",
    "„Verwaltung“",
    "Geben Sie auch Beispiel IT-Service GmbH Zugriff",
    "„Onlinedienstaktivierung“",
    "„Aktivierung verwalten“",
    "„Ich verfüge über ein Konto für meine Organisation“",
    "https://www.office.com/setup365",
    "InPrivate",
    "Inkognito",
    "oben rechts",
    "sofort auf Gültigkeit geprüft",
    "„Weiter“",
    "„Unternehmensadresse“",
    "„Abrechnung → Lizenzen“",
    "MNSpro",
    "jedes Jahr wiederholt",
];

#[test]
fn the_vlsc_edition_keeps_every_fact_of_the_guide_and_no_dated_note() {
    let p = Project::fixture("example");
    vlsc_edition(&p);
    p.built_html();
    let page = text_of(&p.page("de", "grundschule-am-lindenweg"));
    for fact in SEED_FACTS {
        assert!(page.contains(fact), "{fact:?} missing");
    }
    for gone in [
        "Neu seit April 2024",
        "Früher im VLSC",
        "admin.microsoft.com",
    ] {
        assert!(!page.contains(gone), "{gone:?}");
    }
    assert!(text_of(&p.page("en", "gymnasium-am-stadtpark"))
        .contains("https://www.office.com/setup365"));
}

#[test]
fn portal_settings_are_checked() {
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retired = true\nas_of = 2026-11-01T10:00:00");
    let errors = p.html_errors();
    assert!(
        errors.contains("`as_of` must be a date without a time, like 2026-11-01")
            && errors.contains("handbuch.toml:"),
        "{errors}"
    );
    let p = Project::fixture("example");
    set_portal(&p, "vlsc_retierd = false");
    let errors = p.html_errors();
    assert!(
        errors.contains("unknown field `vlsc_retierd`")
            && errors.contains("did you mean `vlsc_retired`?"),
        "{errors}"
    );
}

#[test]
fn without_a_portal_table_the_current_edition_is_built() {
    let p = Project::fixture("example");
    let config = p.read(CONFIG);
    p.write(CONFIG, &config[..config.find("[portal]").expect("portal")]);
    p.built_html();
    assert!(p
        .page("de", "gymnasium-am-stadtpark")
        .contains("id=\"portal-oeffnen\""));
    assert!(!p
        .page("de", "gymnasium-am-stadtpark")
        .contains("id=\"keys-kopieren\""));
}

#[test]
fn overview_says_which_portal_the_handbooks_describe() {
    let p = Project::fixture("example");
    p.built_html();
    assert!(p
        .read("public/index.html")
        .contains("Die Handbücher beschreiben die Aktivierung im Microsoft 365 Admin Center: Abrechnung › Ihre Produkte › Volumenlizenzierung."));
    vlsc_edition(&p);
    p.built_html();
    let index = p.read("public/index.html");
    assert!(index.contains(
        "Die Handbücher beschreiben die Schritte im Volume Licensing Service Center (VLSC)"
    ));
    assert!(!index.contains("Abrechnung › Ihre Produkte › Volumenlizenzierung"));
}

#[test]
fn the_handbook_ends_with_its_sources() {
    let p = Project::fixture("example");
    p.built_html();
    let page = p.page("de", "gymnasium-am-stadtpark");
    let sources = &page[page.find("id=\"handbook-sources\"").expect("sources")..];
    for url in [
        "https://learn.microsoft.com/de-de/microsoft-365/commerce/licenses/vl-sign-in",
        "https://learn.microsoft.com/de-de/microsoft-365/commerce/licenses/online-service-activation-open-programs",
        "https://learn.microsoft.com/de-de/microsoft-365/commerce/licenses/manage-user-roles-vl",
    ] {
        assert!(sources.contains(url), "{url}");
    }
    assert!(sources.contains("geprüft am 26.11.2026"));
    let en = p.page("en", "gymnasium-am-stadtpark");
    assert!(en.contains("<h2>Sources</h2>") && en.contains("checked 26 November 2026"));
}

// --- 3. the new warning rules, each firing and staying quiet ---

#[test]
fn a_microsoft_account_is_a_danger_at_the_sign_in() {
    let p = Project::fixture("example");
    p.built_html();
    let de = p.warning_text(
        "de",
        "realschule-am-rheinufer",
        "anmelden",
        "personal_account",
    );
    assert!(de.starts_with("Gefahr: Der frühere Zugang Ihrer Schule ist als Microsoft-Konto vermerkt, also als persönliches Konto.") && de.contains("An der Volumenlizenzierung können sich nur Geschäfts- oder Schulkonten anmelden") && !de.contains("VLSC"), "{de}");
    let en = p.warning_text(
        "en",
        "realschule-am-rheinufer",
        "anmelden",
        "personal_account",
    );
    assert!(
        en.starts_with("Danger: Your school's former access is recorded as a Microsoft account")
            && en.contains("Only work or school accounts can sign in to volume licensing")
            && !en.contains("VLSC"),
        "{en}"
    );
    // The handbook says it in the step as well.
    assert!(p.step_text("de", "realschule-am-rheinufer", "anmelden").contains("Für Ihre Schule ist vermerkt, dass der frühere Zugang ein persönliches Microsoft-Konto war"));
    // A work account is fine.
    assert!(!p
        .warnings_at("de", "gymnasium-am-stadtpark", "anmelden")
        .contains(&"personal_account".to_string()));
}

#[test]
fn an_order_email_at_a_consumer_domain_is_a_personal_account() {
    let p = Project::fixture("example");
    p.edit(GYM, "verwaltung@gym-stadtpark.de", "gym.stadtpark@GMX.de");
    p.built_html();
    let de = p.warning_text(
        "de",
        "gymnasium-am-stadtpark",
        "anmelden",
        "personal_account",
    );
    assert!(de.starts_with("Gefahr: Die Bestelladresse gym.stadtpark@GMX.de ist die Adresse eines privaten Postfachs."), "{de}");
    let en = p.warning_text(
        "en",
        "gymnasium-am-stadtpark",
        "anmelden",
        "personal_account",
    );
    assert!(
        en.starts_with("Danger: The ordering address gym.stadtpark@GMX.de is the address of a personal mailbox."),
        "{en}"
    );
}

#[test]
fn personal_account_stays_quiet_in_the_vlsc_edition() {
    let p = Project::fixture("example");
    p.edit(
        GYM,
        "verwaltung@gym-stadtpark.de",
        "gym.stadtpark@gmail.com",
    );
    set_portal(&p, "vlsc_retired = false");
    p.built_html();
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
    p.edit(
        GYM,
        "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
        "5A79EF94-096D-4E74-85BB-86B5EE280C0E",
    );
    p.built_html();
    let de = p.step_text("de", "gymnasium-am-stadtpark", "konto-pruefen");
    assert!(
        de.contains("Die ID Ihres Tenants ist 5a79ef94-096d-4e74-85bb-86b5ee280c0e")
            && de.contains("„Mandanten-ID“"),
        "{de}"
    );
    let en = p.step_text("en", "gymnasium-am-stadtpark", "konto-pruefen");
    assert!(
        en.contains("ID is 5a79ef94-096d-4e74-85bb-86b5ee280c0e") && en.contains("“Tenant ID”"),
        "{en}"
    );
    assert!(p
        .warnings_at("de", "gymnasium-am-stadtpark", "konto-pruefen")
        .is_empty());
    // grundschule-am-lindenweg has no tenant id: a note at the same step, no ID sentence.
    let note = p.warning_text(
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
    assert!(!p
        .step_text("de", "grundschule-am-lindenweg", "konto-pruefen")
        .contains("Die ID Ihres Tenants"));
    let note = p.warning_text(
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
    p.edit(
        GYM,
        "5a79ef94-096d-4e74-85bb-86b5ee280c0e",
        "5a79ef94096d4e7485bb86b5ee280c0e",
    );
    let errors = p.html_errors();
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
    p.built_html();
    let de = p.warning_text(
        "de",
        "foerderzentrum-am-wald",
        "jaehrliche-aktivierung",
        "subscription_expired",
    );
    for part in ["Gefahr: Das Abonnement Ihrer Schule ist laut unseren Unterlagen am 31.08.2026 abgelaufen, vor 86 Tagen.", "zunächst abgelaufen (bei Open Value 30 Tage): Alle arbeiten weiter", "90 Tage deaktiviert: Nur Administratoren erreichen noch die Daten", "Dann werden die Daten gelöscht", "Prüfen Sie sofort"] {
        assert!(de.contains(part), "{part:?} not in {de}");
    }
    let en = p.warning_text(
        "en",
        "foerderzentrum-am-wald",
        "jaehrliche-aktivierung",
        "subscription_expired",
    );
    for part in [
        "subscription expired on 31 August 2026, 86 days ago",
        "first expired (30 days for Open Value): everyone keeps working",
        "disabled for 90 days: only administrators can still reach the data",
        "Then the data is deleted",
        "Check at once",
    ] {
        assert!(en.contains(part), "{part:?} not in {en}");
    }
    assert!(p
        .step_text("de", "foerderzentrum-am-wald", "jaehrliche-aktivierung")
        .contains("ist das Abonnement Ihrer Schule am 31.08.2026 abgelaufen"));
    // An end date still ahead: no danger, the date is shown.
    assert!(p
        .warning_text(
            "de",
            "gymnasium-am-stadtpark",
            "jaehrliche-aktivierung",
            "subscription_expired"
        )
        .is_empty());
    assert!(p
        .step_text("de", "gymnasium-am-stadtpark", "jaehrliche-aktivierung")
        .contains("läuft das Abonnement Ihrer Schule bis 31.07.2027"));
}

#[test]
fn fewer_than_two_vl_admins_is_a_note() {
    let p = Project::fixture("example");
    p.built_html();
    let one = p.warning_text("de", "berufskolleg-am-hafen", "benutzer", "few_vl_admins");
    assert!(one.starts_with("Hinweis: Für Ihre Schule ist nur verwaltung@bk-am-hafen.de als Administrator der Volumenlizenzierung vermerkt."), "{one}");
    let none = p.warning_text("en", "foerderzentrum-am-wald", "benutzer", "few_vl_admins");
    assert!(
        none.starts_with(
            "Note: Nobody is recorded as a volume licensing administrator for your school."
        ),
        "{none}"
    );
    // Two recorded: quiet, and the step names them.
    assert!(!p
        .warnings_at("de", "gymnasium-am-stadtpark", "benutzer")
        .contains(&"few_vl_admins".to_string()));
    assert!(p
        .step_text("de", "gymnasium-am-stadtpark", "benutzer")
        .contains("vermerkt: Dr. Petra Lange (Schulleitung), it-koordination@gym-stadtpark.de"));
    assert!(
        p.step_text("en", "gymnasium-am-stadtpark", "benutzer").contains(
            "with the “Administrator” role: Dr. Petra Lange (Schulleitung), it-koordination@gym-stadtpark.de"
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
    p.edit(
        GYM,
        "key_suffixes = [\"7QX2K\"]",
        &format!("key_suffixes = [\"{}\"]", full_key()),
    );
    let errors = p.html_errors();
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
        p.edit(
            GYM,
            "key_suffixes = [\"7QX2K\"]",
            &format!("key_suffixes = [\"7QX2K\", \"{value}\"]"),
        );
        let errors = p.html_errors();
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
    p.edit(
        GYM,
        "key_suffixes = [\"7QX2K\"]",
        "key_suffixes = [\"7QX2K\", \"m4b8z\"]",
    );
    p.built_html();
    let de = p.step_text("de", "gymnasium-am-stadtpark", "buchung-abschliessen");
    assert!(
        de.contains("Keys mit diesen Endungen gehören zu Ihrer Schule: 7QX2K, M4B8Z"),
        "{de}"
    );
    let en = p.step_text("en", "gymnasium-am-stadtpark", "buchung-abschliessen");
    assert!(
        en.contains("Keys ending in these characters belong to your school: 7QX2K, M4B8Z"),
        "{en}"
    );
    // A school without suffixes gets no such sentence.
    assert!(!p
        .step_text("de", "realschule-am-rheinufer", "buchung-abschliessen")
        .contains("Endungen"));
}

#[test]
fn no_output_file_contains_anything_shaped_like_a_key() {
    let p = Project::fixture("example");
    p.built_html();
    for (path, bytes) in p.tree("public") {
        if let Ok(text) = String::from_utf8(bytes) {
            let keys = handbuch::product_keys(&text);
            assert!(
                keys.is_empty(),
                "{} carries a key-shaped value",
                path.display()
            );
        }
    }
}

// --- 5. school values and branches in the example guide (moved from example.rs) ---

#[test]
fn school_values_appear_in_the_right_steps() {
    let p = Project::fixture("example");
    p.built_html();
    let page = p.page("de", "gymnasium-am-stadtpark");
    let text = |id| text_of(step_section(&page, id));
    assert!(
        text("vertrag-waehlen").contains("V1234567"),
        "contract number where the contract is chosen"
    );
    assert!(
        text("konto-pruefen").contains("admin@gymstadtpark.onmicrosoft.com"),
        "tenant admin at the account check"
    );
    assert!(
        text("organisationskonto").contains("admin@gymstadtpark.onmicrosoft.com"),
        "tenant admin in the activation window"
    );
    assert!(
        text("bestellbestaetigung").contains("verwaltung@gym-stadtpark.de"),
        "order e-mail where the confirmation arrives"
    );
    let keys = text("buchung-abschliessen");
    assert!(
        keys.contains("Microsoft 365 A3 für Lehrkräfte") && keys.contains("85"),
        "licence list: {keys}"
    );
}

#[test]
fn mnspro_and_manual_assignment_branches() {
    let p = Project::fixture("example");
    p.built_html();
    let mnspro = p.step_text("de", "gymnasium-am-stadtpark", "lizenzen-zuweisen");
    let manual = p.step_text("de", "realschule-am-rheinufer", "lizenzen-zuweisen");
    assert!(mnspro.contains("Ihre Schule nutzt MNSpro"), "{mnspro}");
    assert!(!mnspro.contains("Aktive Benutzer"));
    assert!(
        manual.contains("von Hand") && manual.contains("„Aktive Benutzer“"),
        "{manual}"
    );
    assert!(!manual.contains("Ihre Schule nutzt MNSpro"));
}

#[test]
fn missing_admin_gets_generic_wording() {
    let p = Project::fixture("example");
    p.built_html();
    let text = p.step_text("de", "grundschule-am-lindenweg", "organisationskonto");
    assert!(
        text.contains("kein Administratorkonto hinterlegt"),
        "{text}"
    );
}
