//! Inexact rename detection for `diff` (exact renames, same blob id, are found by gix while it
//! walks the trees): which deleted file became which added one. Like git, files whose name is
//! unique on both sides are paired by name first (one similarity check each); only what is left
//! goes through the full matrix (every deletion against every addition), and only when that
//! matrix is at most `MAX_MATRIX_CHECKS` pairs (git's `diff.renameLimit` plays this part). A pair
//! is a rename when at least half of it is the same (gix's measure: the bytes of the old file
//! kept, over the larger size). Empty, binary and non-regular files are never paired.

use super::diff_file::Pair;
use super::diff_header::Side;
use crate::base::error::Result;
use crate::git::git_err;
use gix::diff::blob::{Algorithm, Diff, InternedInput};
use gix::ObjectId;
use std::collections::{HashMap, HashSet};

/// Least similarity of a rename, git's default (`-M50%`).
const MIN_SIMILARITY: f32 = 0.5;
/// Largest deletions × additions matrix searched after the pairing by name.
pub const MAX_MATRIX_CHECKS: usize = 10_000;

/// `pairs` with deleted and added files that are one file renamed merged into rename pairs.
pub(crate) fn track(repo: &gix::Repository, pairs: Vec<Pair>) -> Result<Vec<Pair>> {
    let mut out = Vec::with_capacity(pairs.len());
    let (mut deleted, mut added) = (Vec::new(), Vec::new());
    for pair in pairs {
        match (&pair.old, &pair.new) {
            (Some(old), None) if old.mode.is_blob() => deleted.push(old.clone()),
            (None, Some(new)) if new.mode.is_blob() => added.push(new.clone()),
            _ => out.push(pair),
        }
    }
    let mut blobs = Blobs {
        repo,
        data: HashMap::new(),
    };
    let mut matched = Matches::default();
    by_name(&mut blobs, &deleted, &added, &mut matched)?;
    if (deleted.len() - matched.deleted.len()) * (added.len() - matched.added.len())
        <= MAX_MATRIX_CHECKS
    {
        by_matrix(&mut blobs, &deleted, &added, &mut matched)?;
    }
    for (d, a, similarity) in &matched.pairs {
        let percent = (similarity * 100.0).floor() as u8;
        out.push(pair(
            Some(&deleted[*d]),
            Some(&added[*a]),
            Some((percent, false)),
        ));
    }
    for (i, old) in deleted.iter().enumerate() {
        if !matched.deleted.contains(&i) {
            out.push(pair(Some(old), None, None));
        }
    }
    for (i, new) in added.iter().enumerate() {
        if !matched.added.contains(&i) {
            out.push(pair(None, Some(new), None));
        }
    }
    Ok(out)
}

fn pair(old: Option<&Side>, new: Option<&Side>, rewrite: Option<(u8, bool)>) -> Pair {
    Pair {
        old: old.cloned(),
        new: new.cloned(),
        rewrite,
    }
}

/// The renames found so far, by index into the deleted and added lists.
#[derive(Default)]
struct Matches {
    pairs: Vec<(usize, usize, f32)>,
    deleted: HashSet<usize>,
    added: HashSet<usize>,
}

impl Matches {
    fn push(&mut self, d: usize, a: usize, similarity: f32) {
        self.pairs.push((d, a, similarity));
        self.deleted.insert(d);
        self.added.insert(a);
    }
}

/// Blob contents, each read once; None for what is never paired (empty, binary, unreadable).
struct Blobs<'r> {
    repo: &'r gix::Repository,
    data: HashMap<ObjectId, Option<Vec<u8>>>,
}

impl Blobs<'_> {
    fn similarity(&mut self, old: &Side, new: &Side) -> Result<f32> {
        self.load(old.id)?;
        self.load(new.id)?;
        match (&self.data[&old.id], &self.data[&new.id]) {
            (Some(o), Some(n)) => Ok(similarity(o, n)),
            _ => Ok(0.0),
        }
    }

    fn load(&mut self, id: ObjectId) -> Result<()> {
        if !self.data.contains_key(&id) {
            let blob = self.repo.find_blob(id).map_err(git_err)?;
            let data = &blob.data;
            let usable = !data.is_empty() && !super::hunks::is_binary(data);
            self.data.insert(id, usable.then(|| data.to_vec()));
        }
        Ok(())
    }
}

/// The share of `old` kept in `new`, over the larger size (0 when it cannot reach the minimum).
fn similarity(old: &[u8], new: &[u8]) -> f32 {
    let (small, large) = (old.len().min(new.len()), old.len().max(new.len()));
    if (small as f32) < MIN_SIMILARITY * large as f32 {
        return 0.0;
    }
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Myers, &input);
    let removed: usize = diff
        .hunks()
        .map(|hunk| {
            input.before[hunk.before.start as usize..hunk.before.end as usize]
                .iter()
                .map(|token| input.interner[*token].len())
                .sum::<usize>()
        })
        .sum();
    old.len().saturating_sub(removed) as f32 / large as f32
}

fn basename(side: &Side) -> &[u8] {
    let path: &[u8] = side.path.as_ref();
    path.rsplit(|b| *b == b'/').next().unwrap_or(path)
}

fn counts(sides: &[Side]) -> HashMap<&[u8], usize> {
    let mut counts = HashMap::new();
    for side in sides {
        *counts.entry(basename(side)).or_insert(0) += 1;
    }
    counts
}

/// Git's basename pass: a file name found once among the deletions and once among the additions.
fn by_name(blobs: &mut Blobs, deleted: &[Side], added: &[Side], m: &mut Matches) -> Result<()> {
    let (gone, new) = (counts(deleted), counts(added));
    let unique: HashMap<&[u8], usize> = deleted
        .iter()
        .enumerate()
        .filter(|(_, d)| gone[basename(d)] == 1)
        .map(|(i, d)| (basename(d), i))
        .collect();
    for (a, side) in added.iter().enumerate() {
        let name = basename(side);
        let Some(&d) = unique.get(name).filter(|_| new[name] == 1) else {
            continue;
        };
        let s = blobs.similarity(&deleted[d], side)?;
        if s >= MIN_SIMILARITY {
            m.push(d, a, s);
        }
    }
    Ok(())
}

/// The full matrix over what the name pass left: each addition, in path order, takes the most
/// similar deletion not yet taken (a same-named one on a tie).
fn by_matrix(blobs: &mut Blobs, deleted: &[Side], added: &[Side], m: &mut Matches) -> Result<()> {
    for (a, new) in added.iter().enumerate() {
        if m.added.contains(&a) {
            continue;
        }
        let mut best: Option<(usize, f32, bool)> = None;
        for (d, old) in deleted.iter().enumerate() {
            if m.deleted.contains(&d) {
                continue;
            }
            let s = blobs.similarity(old, new)?;
            let same_name = basename(old) == basename(new);
            let better = best.is_none_or(|(_, bs, bn)| s > bs || (s == bs && same_name && !bn));
            if s >= MIN_SIMILARITY && better {
                best = Some((d, s, same_name));
            }
        }
        if let Some((d, s, _)) = best {
            m.push(d, a, s);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn similarity_is_the_share_kept_over_the_larger_size() {
        assert_eq!(similarity(b"a\nb\n", b"a\nb\n"), 1.0);
        assert_eq!(similarity(b"a\nb\nc\nd\n", b"a\nb\nc\nx\n"), 0.75);
        assert_eq!(similarity(b"a\n", b"a\nb\nc\nd\ne\n"), 0.0);
        assert_eq!(similarity(b"a\nb\n", b"c\nd\n"), 0.0);
    }
}
