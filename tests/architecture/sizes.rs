//! Size limits: a source file stays under `MAX_FILE_LINES` lines and a function under
//! `MAX_FN_LINES`. Function lengths are measured on the text (from the line of `fn` to the line
//! of its closing brace), since syn here carries no line numbers.

use super::modules::CrateTree;

pub const MAX_FILE_LINES: usize = 300;
pub const MAX_FN_LINES: usize = 60;

/// One line per file or function over its limit.
pub fn oversized(tree: &CrateTree, name: &dyn Fn(&std::path::Path) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for file in &tree.files {
        let file_name = name(&file.path);
        if file.lines > MAX_FILE_LINES {
            out.push(format!(
                "{file_name}: {} lines (limit {MAX_FILE_LINES})",
                file.lines
            ));
        }
        let text = std::fs::read_to_string(&file.path).unwrap_or_default();
        for (fn_name, lines) in function_lengths(&text) {
            if lines > MAX_FN_LINES {
                out.push(format!(
                    "{file_name}: fn {fn_name} has {lines} lines (limit {MAX_FN_LINES})"
                ));
            }
        }
    }
    out
}

/// Every `fn` with a body, and its length in lines.
pub fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let code = blank_comments_and_strings(text);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(pos) = code[search..].find("fn ") {
        let start = search + pos;
        search = start + 3;
        let word_start = start == 0 || !is_ident(bytes[start - 1]);
        if !word_start {
            continue;
        }
        let name: String = code[start + 3..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let Some(open) = body_start(bytes, start) else {
            continue;
        };
        let Some(close) = matching_brace(bytes, open) else {
            continue;
        };
        let first = line_of(bytes, start);
        let last = line_of(bytes, close);
        found.push((name, last - first + 1));
    }
    found
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The `{` opening the body of the `fn` at `start`, or None for a declaration (`;` first).
fn body_start(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, b) in bytes.iter().enumerate().skip(start) {
        match b {
            b'(' | b'<' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'>' if i > 0 && bytes[i - 1] != b'-' && bytes[i - 1] != b'=' => depth -= 1,
            b'{' if depth <= 0 => return Some(i),
            b';' if depth <= 0 => return None,
            _ => {}
        }
    }
    None
}

fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|b| **b == b'\n').count() + 1
}

/// The text with comments, string and char literals replaced by spaces (newlines kept), so
/// braces inside them are not counted.
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = blank_block_comment(&chars, i, &mut out);
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && raw_string_len(&chars, i) > 0
        {
            let len = raw_string_len(&chars, i);
            for ch in &chars[i..i + len] {
                out.push(blank(*ch));
            }
            i += len;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                for ch in chars.iter().skip(i).take(skip) {
                    out.push(blank(*ch));
                }
                i += skip;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            let end = chars[i + 1..]
                .iter()
                .position(|c| *c == '\'')
                .map_or(i, |p| i + 1 + p);
            for _ in i..=end {
                out.push(' ');
            }
            i = end + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Blanks the (nested) block comment starting at `i`; answers the index after it.
fn blank_block_comment(chars: &[char], mut i: usize, out: &mut String) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            out.push_str("  ");
            i += 2;
            if depth == 0 {
                break;
            }
            continue;
        }
        out.push(if chars[i] == '\n' { '\n' } else { ' ' });
        i += 1;
    }
    i
}

/// Length of a raw string literal `r#"..."#` starting at `i`, or 0 when it is not one.
fn raw_string_len(chars: &[char], i: usize) -> usize {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return 0;
    }
    let mut j = i + 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return 0;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
            return j + 1 + hashes - i;
        }
        j += 1;
    }
    0
}

/// A `'` that opens a char literal ('a', '\n', '\u{..}') rather than a lifetime.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    matches!(
        (chars.get(i + 1), chars.get(i + 2)),
        (Some('\\'), _) | (Some(_), Some('\''))
    )
}
