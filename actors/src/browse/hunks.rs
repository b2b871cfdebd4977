//! The line diff of two blobs as git prints it: Myers with git's indent heuristic (imara-diff,
//! through gix), hunks of 3 context lines merged when at most 6 lines apart, `@@ -a,b +c,d @@`
//! headers with git's default function line, `\ No newline at end of file` markers, and the
//! added/removed line counts. Also git's binary test (a NUL in the first 8000 bytes).

use gix::diff::blob::unified_diff::{ConsumeHunk, ContextSize, DiffLineKind, HunkHeader};
use gix::diff::blob::{Algorithm, Diff, InternedInput, UnifiedDiff};
use serde::Serialize;

/// Lines of context around each change, git's default.
pub const CONTEXT: u32 = 3;
/// How far git looks for a NUL byte to call a blob binary.
const BINARY_SNIFF: usize = 8000;
/// The longest function line git shows after a hunk header.
const FUNC_LINE: usize = 80;

/// One hunk: where it sits in the old and new file, and its text (header line included).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hunk {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    pub text: String,
}

/// The hunks of a blob pair and how many lines were added and removed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LineDiff {
    pub hunks: Vec<Hunk>,
    pub additions: u32,
    pub deletions: u32,
}

/// Git's test: a blob is binary when its first 8000 bytes hold a NUL.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(BINARY_SNIFF)].contains(&0)
}

/// The unified diff of `old` to `new` (both text), hunks as git prints them.
pub fn line_diff(old: &[u8], new: &[u8]) -> LineDiff {
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Myers, &input);
    diff.postprocess_lines(&input);
    let old_lines: Vec<&[u8]> = old.split_inclusive(|b| *b == b'\n').collect();
    let collector = Collector {
        old_lines,
        searched_to: None,
        func: Vec::new(),
        out: LineDiff::default(),
    };
    UnifiedDiff::new(&diff, &input, collector, ContextSize::symmetrical(CONTEXT))
        .consume()
        .unwrap_or_default()
}

struct Collector<'a> {
    old_lines: Vec<&'a [u8]>,
    /// The lowest old line the function-line search has covered (git's `funclineprev`).
    searched_to: Option<usize>,
    func: Vec<u8>,
    out: LineDiff,
}

impl Collector<'_> {
    /// Git's default function line: the nearest line above the hunk (not above the previous
    /// hunk's search) starting with a letter, `_` or `$`, kept from the previous hunk otherwise.
    fn function_line(&mut self, first_old: usize) {
        let start = first_old.checked_sub(1);
        let mut line = start;
        while let Some(l) = line {
            if Some(l) == self.searched_to {
                break;
            }
            let text = self.old_lines.get(l).copied().unwrap_or_default();
            if text
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$')
            {
                let cut = &text[..text.len().min(FUNC_LINE)];
                let end = cut
                    .iter()
                    .rposition(|c| !c.is_ascii_whitespace())
                    .map_or(0, |i| i + 1);
                self.func = cut[..end].to_vec();
                break;
            }
            line = l.checked_sub(1);
        }
        self.searched_to = start;
    }
}

fn range(start: u32, len: u32) -> String {
    match len {
        0 => format!("{},0", start.saturating_sub(1)),
        1 => start.to_string(),
        _ => format!("{start},{len}"),
    }
}

impl ConsumeHunk for Collector<'_> {
    type Out = LineDiff;

    fn consume_hunk(
        &mut self,
        header: HunkHeader,
        lines: &[(DiffLineKind, &[u8])],
    ) -> std::io::Result<()> {
        self.function_line(header.before_hunk_start.saturating_sub(1) as usize);
        let mut text = format!(
            "@@ -{} +{} @@",
            range(header.before_hunk_start, header.before_hunk_len),
            range(header.after_hunk_start, header.after_hunk_len)
        );
        if !self.func.is_empty() {
            text.push(' ');
            text.push_str(&String::from_utf8_lossy(&self.func));
        }
        text.push('\n');
        for (kind, content) in lines {
            match kind {
                DiffLineKind::Add => self.out.additions += 1,
                DiffLineKind::Remove => self.out.deletions += 1,
                DiffLineKind::Context => {}
            }
            text.push(kind.to_prefix());
            text.push_str(&String::from_utf8_lossy(content));
            if !content.ends_with(b"\n") {
                text.push_str("\n\\ No newline at end of file\n");
            }
        }
        self.out.hunks.push(Hunk {
            old_start: header.before_hunk_start,
            old_lines: header.before_hunk_len,
            new_start: header.after_hunk_start,
            new_lines: header.after_hunk_len,
            text,
        });
        Ok(())
    }

    fn finish(self) -> LineDiff {
        self.out
    }
}

#[cfg(test)]
#[path = "hunks_tests.rs"]
mod tests;
