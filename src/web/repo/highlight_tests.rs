//! Highlighting: grammars chosen by extension and first line, classed spans only, escaping, and
//! the plain fallbacks (no grammar, too large, a very long line).

use super::*;

fn html_of(shown: Shown) -> String {
    match shown {
        Shown::Html { html, .. } => html,
        Shown::Plain => panic!("expected highlighted HTML"),
    }
}

#[test]
fn rust_is_highlighted_with_classed_spans_and_escaped() {
    let h = Highlighter::new();
    let shown = h.show("src/main.rs", "// <hi>\nfn main() { let s = \"&\"; }\n");
    let Shown::Html { ref language, .. } = shown else {
        panic!("not highlighted");
    };
    assert_eq!(language, "Rust");
    let html = html_of(shown);
    assert!(html.contains("<span class=\"hl-"), "{html}");
    assert!(html.contains("hl-comment"), "{html}");
    assert!(
        html.contains("hl-keyword") || html.contains("hl-storage"),
        "{html}"
    );
    assert!(
        html.contains("&lt;hi&gt;") && html.contains("&amp;"),
        "{html}"
    );
    assert!(!html.contains("style="), "no inline styles: {html}");
    assert!(!html.contains("<hi>"));
}

#[test]
fn a_shebang_names_the_grammar() {
    let h = Highlighter::new();
    let Shown::Html { language, .. } = h.show("bin/run", "#!/bin/sh\necho hi\n") else {
        panic!("not highlighted");
    };
    assert!(
        language.contains("Shell") || language.contains("Bash"),
        "{language}"
    );
}

#[test]
fn text_without_a_grammar_is_plain() {
    let h = Highlighter::new();
    assert_eq!(h.show("NOTES", "just words\n"), Shown::Plain);
    assert_eq!(h.show("a.unknownext", "x\n"), Shown::Plain);
}

#[test]
fn huge_files_and_long_lines_are_plain() {
    let h = Highlighter::new();
    let big = "let x = 1;\n".repeat(MAX_BYTES / 10);
    assert_eq!(h.show("big.rs", &big), Shown::Plain);
    let long = format!("var a = \"{}\";\n", "x".repeat(MAX_LINE));
    assert_eq!(h.show("min.js", &long), Shown::Plain);
}

#[test]
fn line_count_counts_a_last_line_without_newline() {
    assert_eq!(line_count("a\nb"), 2);
    assert_eq!(line_count("a\nb\n"), 2);
    assert_eq!(line_count(""), 0);
}

#[test]
fn a_blob_is_highlighted_once_and_kept() {
    let h = Highlighter::new();
    let first = h.show_blob("abc", "src/a.rs", "fn a() {}\n");
    let again = h.show_blob("abc", "other/a.rs", "not even read\n");
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "kept by blob id and name"
    );
    assert!(first.html().is_some());
    let other_name = h.show_blob("abc", "a.txt", "fn a() {}\n");
    assert_eq!(*other_name, Shown::Plain, "the name chooses the grammar");
}
