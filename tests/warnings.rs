//! Tenant warnings on the bundled example: at the top, at their step, on the overview,
//! in chapter templates, and in `handbuch check`.

mod common;

use std::process::Command;

use common::{step_section, Project, TODAY};

#[test]
fn warnings_are_listed_at_the_top_most_severe_first() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("de", "realschule-am-rheinufer");
    let start = page
        .find("<section class=\"school-warnings\"")
        .expect("warnings block");
    let block = &page[start..start + page[start..].find("</section>").expect("end")];
    assert!(block.contains("<h2 id=\"school-warnings-title\">Hinweise für Ihre Schule</h2>"));
    let order: Vec<&str> = block
        .split("data-warning=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').expect("quote")])
        .collect();
    assert_eq!(
        order,
        [
            "renewal_overdue",
            "admin_outside_tenant",
            "personal_account",
            "order_email_unknown",
            "several_orders",
            "assignment_manual"
        ]
    );
    assert!(block.contains("<strong class=\"severity\">Gefahr:</strong> Die jährliche Onlineaktivierung war am 01.10.2026 fällig und ist seit 55 Tagen überfällig."));
    assert!(block.contains("<a href=\"#organisationskonto\">(siehe Schritt 8)</a>"));
    // The block comes before the first chapter.
    assert!(start < page.find("<section class=\"chapter\"").expect("chapter"));
}

#[test]
fn each_warning_is_repeated_at_its_step() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("de", "realschule-am-rheinufer");
    let sign_in = step_section(&page, "organisationskonto");
    assert!(sign_in.contains("<p class=\"warning warning-danger\" role=\"note\" data-warning=\"admin_outside_tenant\"><strong class=\"severity\">Gefahr:</strong> Das hinterlegte Administratorkonto it@realschule-rheinufer.de gehört nicht zur Domain des Tenants rs-rheinufer.onmicrosoft.com."));
    assert!(
        step_section(&page, "bestellbestaetigung").contains("data-warning=\"order_email_unknown\"")
    );
    assert!(step_section(&page, "vertrag-waehlen").contains("data-warning=\"several_orders\""));
    assert!(!step_section(&page, "portal-oeffnen").contains("data-warning"));
}

#[test]
fn english_handbook_has_english_warnings() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("en", "realschule-am-rheinufer");
    assert!(page.contains("<h2 id=\"school-warnings-title\">Notes for your school</h2>"));
    assert!(page.contains("<strong class=\"severity\">Danger:</strong> The yearly online activation was due on 1 October 2026 and is 55 days overdue."));
}

#[test]
fn chapters_can_test_a_warning() {
    let p = Project::fixture("example");
    p.built();
    let overdue = p.step_text("de", "realschule-am-rheinufer", "jaehrliche-aktivierung");
    assert!(
        overdue.contains("ist überfällig. Erledigen Sie sie sofort"),
        "{overdue}"
    );
    let fine = p.step_text("de", "gymnasium-am-stadtpark", "jaehrliche-aktivierung");
    assert!(
        fine.contains("ist die nächste Aktivierung am 01.08.2027 fällig")
            && !fine.contains("überfällig"),
        "{fine}"
    );
}

#[test]
fn overview_counts_warnings_by_severity() {
    let p = Project::fixture("example");
    p.built();
    let index = p.read("public/index.html");
    let row_start = index
        .find("id=\"school-realschule-am-rheinufer\"")
        .expect("row");
    let row = &index[row_start..row_start + index[row_start..].find("</tr>").expect("end")];
    assert!(row.contains("<td class=\"counts\" data-sort=\"3001002\" title=\"3 Gefahren, 1 Warnung, 2 Hinweise\">"), "{row}");
    assert!(row.contains("<span class=\"count count-danger\" aria-hidden=\"true\">3</span> <span class=\"count count-warning\" aria-hidden=\"true\">1</span> <span class=\"count count-note\" aria-hidden=\"true\">2</span>"), "{row}");
    assert!(
        row.contains("<td data-sort=\"2026-10-01\">01.10.2026</td>"),
        "{row}"
    );
    assert!(index.contains("assets/overview.js"));
}

#[test]
fn check_lists_warnings_and_deny_fails_the_run() {
    let p = Project::fixture("example");
    let root = p.root().to_str().expect("utf-8");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args(["check", "--root", root, "--today", TODAY])
            .args(extra)
            .output()
            .expect("run")
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("realschule-am-rheinufer: danger[admin_outside_tenant] Das hinterlegte Administratorkonto it@realschule-rheinufer.de"), "{stdout}");
    assert!(stdout.contains("grundschule-am-lindenweg: warning[renewal_due] Die jährliche Onlineaktivierung ist am 18.12.2026 fällig, in 23 Tagen."), "{stdout}");
    let denied = run(&["--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("denied by --deny warnings"));
}
