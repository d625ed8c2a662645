//! School values are text, never markup: in Markdown, HTML, titles and the overview.

mod common;

use common::{step_section, text_of, Project};

const HOSTILE: &str = "<script>alert(1)</script> & *Co*";
const HOSTILE_HTML: &str = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *Co*";

#[test]
fn hostile_school_name_is_shown_as_text_everywhere() {
    let p = Project::fixture("basic");
    p.built();
    let page = p.page("de", "evil");
    let index = p.read("public/index.html");
    for html in [&page, &index] {
        assert!(!html.contains("<script>alert"), "raw script tag in output");
        assert!(!html.contains("<em>Co</em>"), "name became emphasis");
    }
    // <title>, <h1>, and the chapter text that inserts {{ school.name }}.
    assert!(page.contains(&format!("<title>Test-Handbuch – {HOSTILE_HTML}</title>")));
    assert!(page.contains(&format!("<h1>{HOSTILE_HTML}</h1>")));
    assert!(page.contains(&format!("<p>Einleitung für {HOSTILE_HTML}.</p>")));
    assert!(index.contains(&format!(">{HOSTILE_HTML}</a>")));
    assert!(text_of(&page).contains(
        &HOSTILE
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    ));
}

#[test]
fn markup_in_licence_names_stays_literal() {
    let p = Project::fixture("basic");
    p.built();
    let step = step_section(&p.page("de", "evil"), "dritter-schritt").to_string();
    assert!(
        step.contains("A3 &lt;b&gt;bold&lt;/b&gt; [link](http://x): 3"),
        "{step}"
    );
    assert!(!step.contains("<a href=\"http://x\""));
}

#[test]
fn markdown_escape_covers_every_special_character() {
    use handbuch::escape_markdown as escaped;
    for special in [
        "*", "_", "`", "[", "]", "<", ">", "#", "!", "|", "\\", "&", "~",
    ] {
        assert_eq!(escaped(special), format!("\\{special}"));
    }
    assert_eq!(escaped("a\nb"), "a b", "a value cannot start a new block");
}
