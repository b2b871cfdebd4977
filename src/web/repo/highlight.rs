//! Syntax highlighting of the file view: syntect's default grammars (loaded once, on the first
//! file view, into a `Highlighter` made at start-up and passed explicitly), a file's syntax
//! chosen by its extension or its first line (`#!/bin/sh`), its text turned into
//! `<span class="hl-...">` (classes, never inline styles: the pages' Content-Security-Policy
//! forbids them; static/repo.css colours them). Bounded: a file over `MAX_BYTES`, or with a
//! line over `MAX_LINE` bytes (minified code), or whose grammar fails, or whose highlighting
//! takes over `BUDGET`, is shown as plain escaped text. What was made is kept by blob id
//! (`cache::Kept`, `MAX_KEPT` bytes): a blob never changes, so a file is highlighted once, not
//! on every view.

use super::cache::{Kept, Weight};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Largest text highlighted (bytes); larger files are shown plain.
pub const MAX_BYTES: usize = 128 * 1024;
/// Longest line highlighted (bytes); a file with a longer one is shown plain.
pub const MAX_LINE: usize = 2000;
/// Longest time spent highlighting one file (once: the result is kept); past it the file is
/// shown plain.
pub const BUDGET: Duration = Duration::from_millis(300);
/// Bytes of highlighted files kept.
pub const MAX_KEPT: usize = 32 * 1024 * 1024;
/// The prefix of every class the highlighter writes (`hl-comment`, `hl-string`, ...).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The grammars, loaded once, and the files highlighted so far.
pub struct Highlighter {
    /// Loaded on the first file view (an instance that shows no file never pays for it).
    syntaxes: OnceLock<SyntaxSet>,
    kept: Kept<Shown>,
}

/// A file's text as the file view shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// Highlighted HTML (already escaped), and the grammar's name.
    Html { html: String, language: String },
    /// Plain text, escaped by the template.
    Plain,
}

impl Shown {
    /// The highlighted HTML, if any.
    pub fn html(&self) -> Option<&str> {
        match self {
            Shown::Html { html, .. } => Some(html),
            Shown::Plain => None,
        }
    }

    /// The grammar's name, if highlighted.
    pub fn language(&self) -> Option<&str> {
        match self {
            Shown::Html { language, .. } => Some(language),
            Shown::Plain => None,
        }
    }
}

impl Weight for Shown {
    fn weight(&self) -> usize {
        self.html().map_or(0, str::len) + self.language().map_or(0, str::len) + 16
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// A highlighter with syntect's default grammars (those that expect lines with their
    /// newline), loaded when first needed.
    pub fn new() -> Highlighter {
        Highlighter {
            syntaxes: OnceLock::new(),
            kept: Kept::new(MAX_KEPT),
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// The grammar of the file `path` holding `text`; None for plain text.
    fn syntax_for(&self, path: &str, text: &str) -> Option<&SyntaxReference> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let by_name = match name.rsplit_once('.') {
            Some((_, ext)) => self.syntaxes().find_syntax_by_extension(ext),
            None => self.syntaxes().find_syntax_by_extension(name),
        };
        let first_line = text.lines().next().unwrap_or("");
        by_name
            .or_else(|| self.syntaxes().find_syntax_by_first_line(first_line))
            .filter(|s| s.name != "Plain Text")
    }

    /// `show` of the blob `id`, kept: made once per blob and file name.
    pub fn show_blob(&self, id: &str, path: &str, text: &str) -> Arc<Shown> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let key = format!("{id} {name}");
        if let Some(kept) = self.kept.get(&key) {
            return kept;
        }
        self.kept.put(key, self.show(path, text))
    }

    /// `text` (the file at `path`) highlighted, or `Shown::Plain` when it has no grammar, is
    /// past the bounds or takes over `BUDGET`.
    pub fn show(&self, path: &str, text: &str) -> Shown {
        let too_big = text.len() > MAX_BYTES || text.lines().any(|l| l.len() > MAX_LINE);
        if too_big {
            return Shown::Plain;
        }
        let Some(syntax) = self.syntax_for(path, text) else {
            return Shown::Plain;
        };
        let mut html =
            ClassedHTMLGenerator::new_with_class_style(syntax, self.syntaxes(), CLASS_STYLE);
        let started = Instant::now();
        for (n, line) in LinesWithEndings::from(text).enumerate() {
            let failed = html
                .parse_html_for_line_which_includes_newline(line)
                .is_err();
            if failed || (n % 32 == 31 && started.elapsed() > BUDGET) {
                return Shown::Plain;
            }
        }
        Shown::Html {
            html: html.finalize(),
            language: syntax.name.clone(),
        }
    }
}

/// The line numbers of `text`: one per line (a last line without a newline counts).
pub fn line_count(text: &str) -> usize {
    text.lines().count()
}

#[cfg(test)]
#[path = "highlight_tests.rs"]
mod tests;
