//! Raw HTML in a chapter stays in its chapter and never brings script to the page; the
//! PDF accepts every chapter the HTML accepts.

mod common;

use common::Project;

/// A chapter between the fixture's two, with `body` as its Markdown.
fn with_chapter(body: &str) -> Project {
    let p = Project::fixture("basic");
    p.write(
        "content/guide/de/01a-roh.md",
        &format!("+++\ntitle = \"Roh\"\nid = \"roh\"\n+++\n\n{body}"),
    );
    p
}

/// The HTML of chapter `id`: from its `<section class="chapter">` to the next chapter's.
fn chapter_html<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section class=\"chapter\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no chapter {id}"));
    let end = page[start + 1..]
        .find("<section class=\"chapter")
        .map_or(page.len(), |e| start + 1 + e);
    &page[start..end]
}

/// Every element opened in `html` is closed in it, in order, and no end tag closes
/// an element opened before it: the fragment cannot wrap or end what is around it.
fn assert_balanced(html: &str) {
    const VOID: [&str; 8] = ["br", "img", "input", "hr", "wbr", "col", "meta", "link"];
    let mut open: Vec<String> = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("tag ends")];
        if let Some(name) = tag.strip_prefix('/') {
            let top = open.pop();
            assert_eq!(top.as_deref(), Some(name.trim()), "unbalanced in:\n{html}");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !name.is_empty() && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open {open:?} in:\n{html}");
}

/// The next chapter's step, the collected checklist and the footer are all on the page.
fn assert_rest_of_page_intact(page: &str) {
    assert!(page.contains("<section class=\"step\" id=\"dritter-schritt\">"));
    assert!(
        page.contains("<section class=\"chapter collected-checklist\" id=\"handbook-checklist\">")
    );
    assert!(page.contains("<label for=\"all-dritter-schritt-1\">Alles erledigt</label>"));
    assert!(page.contains("<footer class=\"site-footer\">"));
}

#[test]
fn an_unclosed_style_element_swallows_nothing_after_its_chapter() {
    let p = with_chapter("## Stil\n\n<style>\nmain { display: none }\n\nMehr Text.\n");
    p.built_html();
    let page = p.page("de", "manual");
    assert!(!page.contains("display: none"), "style reached the page");
    assert_balanced(chapter_html(&page, "roh"));
    assert_rest_of_page_intact(&page);
}

#[test]
fn an_unclosed_div_wraps_nothing_after_its_chapter() {
    let p = with_chapter("## Kasten\n\n<div class=\"kasten\">\n\nText im Kasten.\n");
    p.built_html();
    let page = p.page("de", "manual");
    let chapter = chapter_html(&page, "roh");
    assert!(chapter.contains("<div class=\"kasten\">"), "{chapter}");
    assert_balanced(chapter);
    assert_rest_of_page_intact(&page);
}

#[test]
fn an_unclosed_link_wraps_nothing_after_its_chapter() {
    let p = with_chapter(
        "## Link\n\nHier <a href=\"https://example.org/\">ein offener Link.\n\n- [ ] Erledigt\n",
    );
    p.built_html();
    let page = p.page("de", "manual");
    let chapter = chapter_html(&page, "roh");
    assert!(chapter.contains("<a href=\"https://example.org/\">ein offener Link."));
    assert_balanced(chapter);
    assert_rest_of_page_intact(&page);
}

#[test]
fn stray_end_tags_close_nothing_outside_the_chapter() {
    let p = with_chapter("## Schluss\n\n</section></main>\n\nText </div></section> weiter.\n");
    p.built_html();
    let page = p.page("de", "manual");
    assert_balanced(chapter_html(&page, "roh"));
    assert_rest_of_page_intact(&page);
}

#[test]
fn script_and_event_handlers_never_reach_the_page() {
    let p = with_chapter(
        "## Skript\n\n<script>alert(1)</script>\n\n\
         Ein <span onclick=\"alert(2)\">Knopf</span> und \
         <a href=\"javascript:alert(3)\">ein Link</a>.\n\n\
         <img src=\"x.png\" onerror=\"alert(4)\">\n",
    );
    p.built_html();
    let page = p.page("de", "manual");
    for bad in [
        "alert(1)", "alert(2)", "alert(3)", "alert(4)", "onclick", "onerror",
    ] {
        assert!(!page.contains(bad), "{bad} reached the page");
    }
    let chapter = chapter_html(&page, "roh");
    assert!(
        chapter.contains("Ein <span>Knopf</span> und <a>ein Link</a>."),
        "{chapter}"
    );
}

#[test]
fn harmless_inline_html_is_kept() {
    let p = with_chapter(
        "## Tasten\n\nDrücken Sie <kbd>Strg</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, m<sup>2</sup>.\n\n\
         <details><summary>Mehr</summary>\n\nVersteckt.\n\n</details>\n",
    );
    p.built_html();
    let page = p.page("de", "manual");
    let chapter = chapter_html(&page, "roh");
    assert!(
        chapter
            .contains("Drücken Sie <kbd>Strg</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, m<sup>2</sup>."),
        "{chapter}"
    );
    assert!(
        chapter.contains("<details><summary>Mehr</summary>\n<p>Versteckt.</p>\n</details>"),
        "{chapter}"
    );
}

#[test]
fn a_chapter_with_raw_html_keeps_handbuchs_own_markup() {
    let p = with_chapter(
        "## Gemischt {#gemischt}\n\n<kbd>F5</kbd> drücken, siehe [](#erster).\n\n\
         | Links | Rechts |\n|:--|--:|\n| a | b |\n\n\
         > [!NOTE]\n> Hinweis.\n\n- [ ] Aufgabe <kbd>X</kbd>\n",
    );
    p.built_html();
    let page = p.page("de", "manual");
    let chapter = chapter_html(&page, "roh");
    for kept in [
        "<a class=\"xref xref-step\" href=\"#erster\">",
        "<th class=\"align-left\">Links</th>",
        "<aside class=\"alert alert-note\" role=\"note\" aria-label=",
        "<input type=\"checkbox\" id=\"check-gemischt-1\" data-task=\"gemischt-1\">",
        "<label for=\"check-gemischt-1\">Aufgabe <kbd>X</kbd></label>",
    ] {
        assert!(chapter.contains(kept), "{kept} missing in:\n{chapter}");
    }
}

#[test]
fn raw_html_is_left_out_of_the_pdf_with_one_warning_per_chapter() {
    let p = with_chapter("Text.\n\n## Roher Schritt\n\nA <kbd>B</kbd>.\n\n<div>\nC\n</div>\n");
    let report = p.built();
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(|w| w.render(false))
        .filter(|w| w.contains("raw HTML"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("content/guide/de/01a-roh.md:10:3"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].contains("raw HTML is left out of the PDF (its text is kept where it is written between tags in a paragraph)"),
        "{}",
        warnings[0]
    );
}

#[test]
fn no_raw_html_warning_without_pdfs() {
    let p = with_chapter("A <kbd>B</kbd>.\n");
    let report = p.built_html();
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.render(false).contains("raw HTML")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn an_empty_link_target_prints_as_its_text() {
    let p = with_chapter("## Leer\n\n[ohne Ziel]() und [leer][foo] und [nur](<>).\n\n[foo]: <>\n");
    p.built();
    let page = p.page("de", "manual");
    assert!(page.contains("<a href=\"\">ohne Ziel</a>"), "{page}");
}

#[test]
fn a_link_to_a_level_three_heading_prints() {
    let p = with_chapter(
        "## Oben\n\n[siehe unten](#unter) und [](#unter).\n\n### Unter {#unter}\n\nText.\n\n#### Tiefer\n\n[auch](#tiefer)\n",
    );
    p.built();
    assert!(p
        .page("de", "manual")
        .contains("<a href=\"#unter\">siehe unten</a>"));
}

/// The first error of a failed full build (HTML and PDF), as text.
fn first_error(p: &Project) -> String {
    let errors = p.errors();
    let start = errors.find("error:").expect("an error");
    errors[start..].to_string()
}

#[test]
fn a_broken_svg_is_an_error_at_the_image_for_both_outputs() {
    let p = with_chapter("## Bild\n\n![Plan](img/kaputt.svg)\n");
    p.write("static/img/kaputt.svg", "<svg");
    let html = p.html_errors();
    let both = first_error(&p);
    for errors in [&html, &both] {
        assert!(
            errors.contains(
                "error: image `img/kaputt.svg` cannot be shown: the file is not a valid SVG image"
            ),
            "{errors}"
        );
        assert!(
            errors.contains("content/guide/de/01a-roh.md:8:9"),
            "{errors}"
        );
        assert!(!errors.contains("handbook.typ"), "{errors}");
    }
}

#[test]
fn an_undecodable_png_is_an_error_at_the_image_for_both_outputs() {
    let p = with_chapter("## Bild\n\nText ![Plan](img/leer.png)\n");
    p.write("static/img/leer.png", "");
    let errors = first_error(&p);
    assert!(
        errors.contains("error: image `img/leer.png` cannot be shown: failed to decode image (unexpected end of file)"),
        "{errors}"
    );
    assert!(
        errors.contains("content/guide/de/01a-roh.md:8:14"),
        "{errors}"
    );
    assert!(p.html_errors().contains("content/guide/de/01a-roh.md:8:14"));
}

#[test]
fn a_file_of_no_image_format_is_an_error_at_the_image_for_both_outputs() {
    let p = with_chapter("## Bild\n\n![Notiz](img/notiz.txt)\n");
    p.write("static/img/notiz.txt", "hallo");
    let errors = p.html_errors();
    assert!(
        errors.contains("error: image `img/notiz.txt` cannot be shown: not an image format both outputs show (PNG, JPEG, GIF, WebP or SVG)"),
        "{errors}"
    );
    assert!(
        errors.contains("content/guide/de/01a-roh.md:8:10"),
        "{errors}"
    );
    assert_eq!(
        first_error(&p),
        errors[errors.find("error:").expect("error")..]
    );
}

#[test]
fn an_image_without_extension_is_read_by_its_content() {
    let p = with_chapter("## Bild\n\n![Plan](img/plan)\n");
    p.write("static/img/plan", &p.read("static/img/lizenzen.svg"));
    p.built();
}

#[test]
fn odd_markdown_that_the_page_takes_prints_too() {
    let p = with_chapter(
        "## `code` im Titel\n\n\
         ## ![Bild](img/lizenzen.svg)\n\n\
         ### ![Logo](img/lizenzen.svg)\n\n\
         ### {#nur-id}\n\n[a](#nur-id)\n\n\
         ### Titel {#a.b}\n\n[a](#a.b) [](#a.b)\n\n\
         - | a | b |\n  |---|---|\n  | 1 | 2 |\n\n\
         > [!NOTE]\n> ### In Hinweis {#im-hinweis}\n\n[a](#im-hinweis)\n\n\
         - [ ] x [](#sub)\n\n  ### Sub {#sub}\n\n\
         EinsehrsehrlangeswortohneleerzeichendasnichtaufeinezeilepasstEinsehrsehrlangeswortohneleerzeichendasnichtaufeinezeilepasst\n\n\
         0. null\n1. eins\n\n\
         | a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n\n\
         ```weird lang $%@#\nx\n```\n\n\
         [![a](img/lizenzen.svg)]() [x](http://) [x](mailto:) <https://example.org>\n\n\
         \\# \\[ #set page(width: 1cm) ] ) \" \\\\\n",
    );
    p.built();
}
