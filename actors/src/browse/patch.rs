//! A commit as `git format-patch` writes it (an mbox message `git am` applies): `From <hash>`,
//! `From:`, `Date:` (RFC 2822), `Subject: [PATCH] ...` (RFC 2047 when not ASCII, with MIME
//! headers), the body, `---`, a diffstat summary, the diff against the first parent (the empty
//! tree for a root commit; merges too are shown against their first parent) and a `-- `
//! signature. A commit whose diff passes `PATCH_LIMITS` is refused rather than cut.

use super::commit_diff::first_parent_diff;
use super::diff::{DiffLimits, TreeDiff};
use super::revision::{open, resolve_commit};
use crate::base::error::{ActorError, Result};
use crate::git::git_err;
use std::path::Path;

/// Bounds of a patch: 3,000 files, 16 MiB of diff, blobs up to 8 MiB.
pub const PATCH_LIMITS: DiffLimits = DiffLimits {
    max_files: 3000,
    max_file_bytes: 16 * 1024 * 1024,
    max_total_bytes: 16 * 1024 * 1024,
    max_blob_bytes: 8 * 1024 * 1024,
};

/// The commit `hash` (a full hex hash) of the bare repository at `dir` as a patch.
pub fn format_patch(dir: &Path, hash: &str) -> Result<String> {
    let repo = open(dir)?;
    let is_hash = hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hash {
        return Err(ActorError::Invalid(format!(
            "{:?} is not a full commit hash",
            hash.chars().take(80).collect::<String>()
        )));
    }
    let id = resolve_commit(&repo, hash)?;
    let commit = repo.find_commit(id).map_err(git_err)?;
    let diff = first_parent_diff(&repo, id, &PATCH_LIMITS)?;
    if diff.truncated {
        return Err(ActorError::Invalid(format!(
            "commit {hash} is too large to serve as a patch"
        )));
    }
    let author = commit.author().map_err(git_err)?;
    let time = author.time().map_err(git_err)?;
    let message = commit.message_raw().map_err(git_err)?.to_string();
    let (subject, body) = split_message(&message);
    let mut diff_text = String::new();
    for file in &diff.files {
        if file.binary {
            diff_text.push_str(&super::binary_patch::binary_text(&repo, file)?);
        } else {
            diff_text.push_str(&file.text());
        }
    }
    let mut out = format!("From {id} Mon Sep 17 00:00:00 2001\n");
    out.push_str(&format!(
        "From: {} <{}>\n",
        display_name(&author.name.to_string()),
        author.email
    ));
    out.push_str(&format!("Date: {}\n", rfc2822(time.seconds, time.offset)));
    out.push_str(&format!("Subject: [PATCH] {}\n", encode_word(&subject)));
    if !message.is_ascii() || !diff_text.is_ascii() || !author.name.is_ascii() {
        out.push_str("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n");
        out.push_str("Content-Transfer-Encoding: 8bit\n");
    }
    out.push('\n');
    out.push_str(&body);
    out.push_str(&format!("---\n{}\n", diffstat(&diff)));
    out.push_str(&diff_text);
    out.push_str("-- \nOrchard\n\n");
    Ok(out)
}

/// Git's subject (the first paragraph, lines joined by spaces) and body (the rest).
fn split_message(message: &str) -> (String, String) {
    let trimmed = message.trim_start_matches('\n');
    let (first, rest) = trimmed.split_once("\n\n").unwrap_or((trimmed, ""));
    let subject = first.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let body = rest.trim_start_matches('\n').trim_end().to_string();
    let body = if body.is_empty() { body } else { body + "\n" };
    (subject, body)
}

/// RFC 2047 Q-encoding of a header value that is not plain ASCII.
fn encode_word(text: &str) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.to_string();
    }
    let mut out = String::from("=?UTF-8?q?");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    out.push_str("?=");
    out
}

/// A display name as an RFC 5322 header holds it: encoded, quoted, or as it is.
fn display_name(name: &str) -> String {
    if !name.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return encode_word(name);
    }
    if name.bytes().any(|b| b"()<>[]:;@\\,.\"".contains(&b)) {
        return format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    }
    name.to_string()
}

/// `Fri, 2 Jan 2026 03:04:05 +0000`, in the author's own offset.
fn rfc2822(seconds: i64, offset: i32) -> String {
    let Ok(format) = time::format_description::parse_borrowed::<1>(
        "[weekday repr:short], [day padding:none] [month repr:short] [year] \
         [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]",
    ) else {
        return String::new();
    };
    let offset = time::UtcOffset::from_whole_seconds(offset).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| t.to_offset(offset))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// ` 2 files changed, 3 insertions(+), 1 deletion(-)`, as git words it.
fn diffstat(diff: &TreeDiff) -> String {
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let files = diff.files.len() as u32;
    let adds: u32 = diff.files.iter().filter_map(|f| f.additions).sum();
    let dels: u32 = diff.files.iter().filter_map(|f| f.deletions).sum();
    let mut line = format!(" {}", plural(files, "file changed", "files changed"));
    if adds > 0 || dels == 0 {
        line.push_str(&format!(
            ", {}",
            plural(adds, "insertion(+)", "insertions(+)")
        ));
    }
    if dels > 0 || adds == 0 {
        line.push_str(&format!(
            ", {}",
            plural(dels, "deletion(-)", "deletions(-)")
        ));
    }
    line + "\n"
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
