//! The header git prints before a file's hunks (`diff --git`, mode lines, similarity and
//! rename/copy lines, `index`, `---`/`+++` or `Binary files ... differ`), with git's quoting of
//! unusual path bytes (`core.quotePath`, C-style octal escapes).

use gix::bstr::BStr;
use gix::objs::tree::EntryMode;

/// One side of a file change.
#[derive(Debug, Clone)]
pub struct Side {
    pub path: gix::bstr::BString,
    pub mode: EntryMode,
    pub id: gix::ObjectId,
    /// The id as the header shows it (abbreviated like git's `index` line).
    pub short: String,
}

/// What the header must say about a file.
pub struct HeaderFacts<'a> {
    pub old: Option<&'a Side>,
    pub new: Option<&'a Side>,
    /// `Some((similarity percent, is_copy))` for a rename or a copy.
    pub rewrite: Option<(u8, bool)>,
    pub binary: bool,
    /// Whether hunks follow (then `---`/`+++` lines are printed).
    pub has_hunks: bool,
}

/// The mode as git prints it (`100644`, `120000`).
pub fn mode_string(mode: EntryMode) -> String {
    format!("{:06o}", mode.value())
}

/// `prefix` + `path`, quoted as git quotes a path holding control, quote, backslash or
/// non-ASCII bytes.
pub fn quote(prefix: &str, path: &BStr) -> String {
    let needs = path
        .iter()
        .any(|b| *b < 0x20 || *b >= 0x7f || *b == b'"' || *b == b'\\');
    if !needs {
        return format!("{prefix}{path}");
    }
    let mut out = String::from("\"");
    out.push_str(prefix);
    for &b in path.iter() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b if !(0x20..0x7f).contains(&b) => out.push_str(&format!("\\{b:03o}")),
            b => out.push(b as char),
        }
    }
    out.push('"');
    out
}

/// Git's header for one file change, each line ending in `\n`.
pub fn header(f: &HeaderFacts<'_>) -> String {
    let (old, new) = (f.old.or(f.new), f.new.or(f.old));
    let (Some(old_side), Some(new_side)) = (old, new) else {
        return String::new();
    };
    let mut h = format!(
        "diff --git {} {}\n",
        quote("a/", old_side.path.as_ref()),
        quote("b/", new_side.path.as_ref())
    );
    match (f.old, f.new) {
        (None, Some(n)) => h.push_str(&format!("new file mode {}\n", mode_string(n.mode))),
        (Some(o), None) => h.push_str(&format!("deleted file mode {}\n", mode_string(o.mode))),
        (Some(o), Some(n)) if o.mode != n.mode => h.push_str(&format!(
            "old mode {}\nnew mode {}\n",
            mode_string(o.mode),
            mode_string(n.mode)
        )),
        _ => {}
    }
    if let Some((similarity, copy)) = f.rewrite {
        let word = if copy { "copy" } else { "rename" };
        h.push_str(&format!(
            "similarity index {similarity}%\n{word} from {}\n{word} to {}\n",
            quote("", old_side.path.as_ref()),
            quote("", new_side.path.as_ref())
        ));
    }
    h.push_str(&index_line(f));
    h.push_str(&labels(f));
    h
}

fn index_line(f: &HeaderFacts<'_>) -> String {
    let zeros = |s: &Side| "0".repeat(s.short.len());
    let (a, b, mode) = match (f.old, f.new) {
        (Some(o), Some(n)) if o.id == n.id => return String::new(),
        (Some(o), Some(n)) if o.mode == n.mode => (
            o.short.clone(),
            n.short.clone(),
            format!(" {}", mode_string(o.mode)),
        ),
        (Some(o), Some(n)) => (o.short.clone(), n.short.clone(), String::new()),
        (None, Some(n)) => (zeros(n), n.short.clone(), String::new()),
        (Some(o), None) => (o.short.clone(), zeros(o), String::new()),
        (None, None) => return String::new(),
    };
    format!("index {a}..{b}{mode}\n")
}

fn labels(f: &HeaderFacts<'_>) -> String {
    let same = matches!((f.old, f.new), (Some(o), Some(n)) if o.id == n.id);
    let label = |side: Option<&Side>, prefix: &str| {
        side.map_or_else(
            || "/dev/null".to_string(),
            |s| quote(prefix, s.path.as_ref()),
        )
    };
    let (a, b) = (label(f.old, "a/"), label(f.new, "b/"));
    if f.binary && !same {
        format!("Binary files {a} and {b} differ\n")
    } else if f.has_hunks {
        // Git ends a label holding a space with a tab.
        let tab = |l: &str| if l.contains(' ') { "\t" } else { "" };
        format!("--- {a}{}\n+++ {b}{}\n", tab(&a), tab(&b))
    } else {
        String::new()
    }
}
