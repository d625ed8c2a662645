//! A large project for the search tests: thousands of schools with German names (umlauts,
//! `ß`, compounds), written as school files into a copy of the `basic` fixture.

use std::fs;

use super::Project;

const KINDS: [&str; 8] = [
    "Grundschule",
    "Gymnasium",
    "Realschule",
    "Gesamtschule",
    "Förderschule",
    "Berufskolleg",
    "Städtische Hauptschule",
    "Oberschule",
];
const FIRST: [&str; 16] = [
    "Alt", "Neu", "Groß", "Klein", "Ober", "Unter", "Bad", "Sankt", "Hohen", "Nieder", "Mühl",
    "Lind", "Eich", "Stein", "Rosen", "Weiß",
];
const MIDDLE: [&str; 12] = [
    "", "bach", "au", "brück", "wies", "kirch", "ried", "hof", "münd", "lau", "wald", "see",
];
const LAST: [&str; 12] = [
    "berg", "heim", "feld", "stadt", "dorf", "hausen", "burg", "ingen", "rode", "hagen", "büttel",
    "tal",
];
const STREETS: [&str; 6] = [
    "am Park",
    "an der Lindenstraße",
    "Mitte",
    "Nord",
    "im Grünen",
    "am Mühlenweg",
];

/// The schools the test looks for, last in the list (file names sort after the rest).
pub const SPECIAL: [(&str, &str, &str); 3] = [
    ("zz-goethe", "Goethe-Gymnasium Mülheim", "V9999991"),
    (
        "zz-strasse",
        "Grundschule an der Hauptstraße Gießen",
        "V9999992",
    ),
    (
        "zz-verwaltung",
        "Schule für Schulverwaltung Schwäbisch Hall",
        "V9999993",
    ),
];

/// A school file as the bench corpus writes them.
pub fn school_toml(name: &str, domain: &str, contract: &str, n: usize) -> String {
    format!(
        "name = \"{name}\"\n\n[tenant]\ndomain = \"{domain}.onmicrosoft.com\"\n\
         admin = \"admin@{domain}.onmicrosoft.com\"\n\n[contract]\nnumber = \"{contract}\"\n\
         orders = [\"{order}\"]\norder_email = \"sekretariat@{domain}.de\"\nvlsc_account = \"work\"\n\
         anniversary = 2027-03-01\n\n[[licenses]]\nproduct = \"Microsoft 365 A3 für Schüler\"\n\
         quantity = {quantity}\n\n[assignment]\nmode = \"mnspro\"\n",
        order = 80_000_000 + n * 7,
        quantity = 100 + n % 400,
    )
}

/// `schools` schools with German names of varied towns, then the [`SPECIAL`] ones.
pub fn project(schools: usize) -> Project {
    let p = Project::fixture("basic");
    let dir = p.path("content/schools");
    for n in 0..schools {
        let town = format!(
            "{}{}{}",
            FIRST[n % 16],
            MIDDLE[(n / 16) % 12],
            LAST[(n / 192 + n) % 12]
        );
        let name = format!("{} {town} {}", KINDS[(n * 7) % 8], STREETS[(n / 3) % 6]);
        let domain = format!("s{n}{}", ascii(&town));
        let text = school_toml(&name, &domain, &format!("V{}", 3_000_000 + n * 13), n);
        fs::write(dir.join(format!("s{n:05}.toml")), text).expect("write school");
    }
    for (n, (slug, name, contract)) in SPECIAL.iter().enumerate() {
        let text = school_toml(name, slug, contract, n);
        fs::write(dir.join(format!("{slug}.toml")), text).expect("write school");
    }
    p
}

/// ASCII letters and digits of a name, for domains.
fn ascii(s: &str) -> String {
    s.to_lowercase()
        .replace('ä', "a")
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('ß', "ss")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}
