//! What a review can be checked against without reading git: the files a merge request version
//! changes, read from the `git format-patch` text of the Patches it was offered with. A version
//! known only by its commit (fetched from a branch) gives no list, and is not checked.

use std::collections::BTreeSet;

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
    }
}
