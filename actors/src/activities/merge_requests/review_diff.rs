//! What a review can be checked against without reading git: the files a merge request version
//! changes and their hunks, read from the `git format-patch` text of the Patches it was offered
//! with (`cqHunk` of a quoted line). A version known only by its commit (fetched from a branch)
//! gives neither, and is not checked.

use std::collections::BTreeSet;

use schema::DiffSide;
use serde_json::Value;

/// The path a `--- a/x`, `+++ b/x`, `rename from x` or `rename to x` line names.
fn path_of(line: &str) -> Option<&str> {
    let named = line
        .strip_prefix("--- a/")
        .or_else(|| line.strip_prefix("+++ b/"))
        .or_else(|| line.strip_prefix("rename from "))
        .or_else(|| line.strip_prefix("rename to "))?;
    // git ends a name holding spaces with a tab.
    Some(named.split('\t').next().unwrap_or(named))
}

/// The files the Patches of a version change (old and new names), or None when one of them
/// has no `git format-patch` text or none names a file (the version is then not checked).
pub fn changed_files(patches: &[Value]) -> Option<BTreeSet<String>> {
    if patches.is_empty() {
        return None;
    }
    let mut files = BTreeSet::new();
    for patch in patches {
        let text = patch.get("content").and_then(Value::as_str)?;
        let mut in_header = false;
        for line in text.lines() {
            if line.starts_with("diff --git ") {
                in_header = true;
            } else if line.starts_with("@@") {
                in_header = false;
            }
            if in_header {
                if let Some(path) = path_of(line) {
                    files.insert(path.to_string());
                }
            }
        }
    }
    // A text without any diff header (an abridged example) tells nothing either.
    (!files.is_empty()).then_some(files)
}

/// One hunk of a patch: its file (new name), where it starts and how long it is on each side,
/// and its text (header line included).
struct Hunk {
    file: String,
    old: (u64, u64),
    new: (u64, u64),
    text: String,
}

/// `a,b` (or `a`) of a hunk header.
fn span(s: &str) -> Option<(u64, u64)> {
    let (start, len) = s.split_once(',').unwrap_or((s, "1"));
    Some((start.parse().ok()?, len.parse().ok()?))
}

/// The old and new spans of a `@@ -a,b +c,d @@` line.
fn header(line: &str) -> Option<((u64, u64), (u64, u64))> {
    let rest = line.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let (new, _) = rest.split_once(" @@")?;
    Some((span(old)?, span(new)?))
}

/// The hunks of a `git format-patch` text, each read to its line counts.
fn hunks(text: &str) -> Vec<Hunk> {
    let (mut out, mut file) = (Vec::new(), None::<String>);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(f) = line
            .strip_prefix("+++ b/")
            .or_else(|| line.strip_prefix("--- a/"))
        {
            file = Some(f.split('\t').next().unwrap_or(f).to_string());
        }
        let (Some((old, new)), Some(f)) = (header(line), file.as_ref()) else {
            continue;
        };
        let (mut left_old, mut left_new, mut body) = (old.1, new.1, vec![line]);
        while left_old + left_new > 0 {
            let Some(l) = lines.next() else { break };
            body.push(l);
            match l.as_bytes().first() {
                Some(b'-') => left_old = left_old.saturating_sub(1),
                Some(b'+') => left_new = left_new.saturating_sub(1),
                Some(b'\\') => {}
                _ => {
                    left_old = left_old.saturating_sub(1);
                    left_new = left_new.saturating_sub(1);
                }
            }
        }
        let text = body.join("\n");
        out.push(Hunk {
            file: f.clone(),
            old,
            new,
            text,
        });
    }
    out
}

/// The hunk of the newest patch (patches are newest first) that holds line `line` of `file` on
/// `side`: the `cqHunk` of a quote of that line. None when no hunk holds it.
pub fn hunk_of(patches: &[Value], file: &str, line: u64, side: DiffSide) -> Option<String> {
    patches.iter().find_map(|p| {
        let text = p.get("content").and_then(Value::as_str)?;
        hunks(text).into_iter().find_map(|h| {
            let (start, len) = if side == DiffSide::Old { h.old } else { h.new };
            (h.file == file && start <= line && line < start + len).then_some(h.text)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn files_of_a_format_patch() {
        let text = "From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\n---\n\
            diff --git a/src/main.c b/src/main.c\nindex 1..2 100644\n--- a/src/main.c\n\
            +++ b/src/main.c\n@@ -1 +1 @@\n-a\n+b\n--- a/not/a/header\n\
            diff --git a/old.txt b/new.txt\nsimilarity index 90%\nrename from old.txt\n\
            rename to new.txt\ndiff --git a/gone b/gone\ndeleted file mode 100644\n\
            --- a/gone\n+++ /dev/null\n";
        let files = changed_files(&[json!({"type": "Patch", "content": text})]).unwrap();
        let expected = ["gone", "new.txt", "old.txt", "src/main.c"];
        assert_eq!(files.into_iter().collect::<Vec<_>>(), expected);
        assert_eq!(changed_files(&[]), None);
        assert_eq!(changed_files(&[json!({"type": "Patch"})]), None);
        let abridged = json!({"type": "Patch", "content": "From c9ae5f4ff4a330b6e1196ceb7db..."});
        assert_eq!(changed_files(&[abridged]), None);
        let patch = [json!({"type": "Patch", "content": text})];
        let hunk = "@@ -1 +1 @@\n-a\n+b";
        assert_eq!(
            hunk_of(&patch, "src/main.c", 1, DiffSide::New).as_deref(),
            Some(hunk)
        );
        assert_eq!(
            hunk_of(&patch, "src/main.c", 1, DiffSide::Old).as_deref(),
            Some(hunk)
        );
        assert_eq!(hunk_of(&patch, "src/main.c", 2, DiffSide::New), None);
        assert_eq!(hunk_of(&patch, "gone", 1, DiffSide::New), None);
    }
}
