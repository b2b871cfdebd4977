//! The database as one stream, for backups: `export` writes every tree of a store (taken under
//! `Store::freeze` by the caller, so the stream is one point in time), `verify` checks a stream
//! without writing anything, `import` loads one into an empty store.
//!
//! Format (all integers big-endian): the magic `ORCHARD-DUMP\n`, a u32 version (1), then records:
//! `T u32 len name` opens a tree; `E u32 len key u32 len value` is one entry of it; `S u64 count
//! [32] sha256` closes it with its number of entries and the SHA-256 of its name and entries (as
//! `u64 len bytes` each); `Z u64 trees u64 entries` ends the stream. The instance tree's integrity
//! generation (`layout::GENERATION_KEY`) belongs to the database files, not their content: it is
//! neither exported nor imported.

use crate::base::error::{ActorError, Result};
use crate::base::hex::hex;
use crate::storage::engine::Batch;
use crate::storage::layout::{GENERATION_KEY, INSTANCE_TREE};
use crate::storage::store::Store;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

const MAGIC: &[u8] = b"ORCHARD-DUMP\n";
const VERSION: u32 = 1;
/// Largest key or value a stream may hold (a corrupt length allocates no more).
const MAX_ITEM: u32 = 256 * 1024 * 1024;

/// One tree of a dump: its name, entries and checksum (hex).
#[derive(Debug, Clone, PartialEq)]
pub struct TreeSummary {
    pub name: String,
    pub entries: u64,
    pub sha256: String,
}

/// What a dump holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub trees: Vec<TreeSummary>,
}

impl Summary {
    /// Entries of every tree.
    pub fn entries(&self) -> u64 {
        self.trees.iter().map(|t| t.entries).sum()
    }
}

fn corrupt(what: &str) -> ActorError {
    ActorError::Corrupt(format!("database dump: {what}"))
}

fn write_err(e: std::io::Error) -> ActorError {
    ActorError::Storage(e)
}

fn hash_item(hash: &mut Sha256, bytes: &[u8]) {
    hash.update((bytes.len() as u64).to_be_bytes());
    hash.update(bytes);
}

fn skipped(tree: &str, key: &[u8]) -> bool {
    tree == INSTANCE_TREE && key == GENERATION_KEY
}

fn put_item(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| corrupt("an entry over 4 GiB"))?;
    out.write_all(&len.to_be_bytes()).map_err(write_err)?;
    out.write_all(bytes).map_err(write_err)
}

/// Writes every tree of `store` to `out`. Call it under `Store::freeze` for one point in time.
/// Blocking.
pub fn export(store: &Store, out: &mut dyn Write) -> Result<Summary> {
    out.write_all(MAGIC).map_err(write_err)?;
    out.write_all(&VERSION.to_be_bytes()).map_err(write_err)?;
    let mut summary = Summary::default();
    for name in store.tree_names() {
        let tree = store.tree(&name)?;
        out.write_all(b"T").map_err(write_err)?;
        put_item(out, name.as_bytes())?;
        let mut hash = Sha256::new();
        hash_item(&mut hash, name.as_bytes());
        let mut entries = 0u64;
        for entry in tree.iter() {
            let (k, v) = entry?;
            if skipped(&name, &k) {
                continue;
            }
            out.write_all(b"E").map_err(write_err)?;
            put_item(out, &k)?;
            put_item(out, &v)?;
            hash_item(&mut hash, &k);
            hash_item(&mut hash, &v);
            entries += 1;
        }
        let sha: [u8; 32] = hash.finalize().into();
        out.write_all(b"S").map_err(write_err)?;
        out.write_all(&entries.to_be_bytes()).map_err(write_err)?;
        out.write_all(&sha).map_err(write_err)?;
        summary.trees.push(TreeSummary {
            name,
            entries,
            sha256: hex(&sha),
        });
    }
    out.write_all(b"Z").map_err(write_err)?;
    out.write_all(&(summary.trees.len() as u64).to_be_bytes())
        .map_err(write_err)?;
    out.write_all(&summary.entries().to_be_bytes())
        .map_err(write_err)?;
    out.flush().map_err(write_err)?;
    Ok(summary)
}

fn read_exact<const N: usize>(input: &mut dyn Read) -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    input
        .read_exact(&mut buf)
        .map_err(|e| corrupt(&format!("cut short or unreadable ({e})")))?;
    Ok(buf)
}

fn read_item(input: &mut dyn Read) -> Result<Vec<u8>> {
    let len = u32::from_be_bytes(read_exact::<4>(input)?);
    if len > MAX_ITEM {
        return Err(corrupt("an entry length is out of range"));
    }
    let mut buf = Vec::new();
    input
        .take(u64::from(len))
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(&format!("unreadable ({e})")))?;
    if buf.len() != len as usize {
        return Err(corrupt("cut short inside an entry"));
    }
    Ok(buf)
}

/// Reads one tree's entries after its `T` record, up to and with its `S` record; answers them
/// once their count and checksum are right.
fn read_tree(input: &mut dyn Read, name: &str) -> Result<(Batch, TreeSummary)> {
    let mut hash = Sha256::new();
    hash_item(&mut hash, name.as_bytes());
    let mut batch = Batch::default();
    loop {
        match read_exact::<1>(input)? {
            [b'E'] => {
                let (k, v) = (read_item(input)?, read_item(input)?);
                hash_item(&mut hash, &k);
                hash_item(&mut hash, &v);
                batch.insert(k, v);
            }
            [b'S'] => break,
            _ => return Err(corrupt(&format!("an unknown record in tree {name}"))),
        }
    }
    let count = u64::from_be_bytes(read_exact::<8>(input)?);
    let sha = read_exact::<32>(input)?;
    let got: [u8; 32] = hash.finalize().into();
    if count != batch.writes.len() as u64 || sha != got {
        return Err(corrupt(&format!(
            "tree {name} does not match its checksum (changed or damaged)"
        )));
    }
    let summary = TreeSummary {
        name: name.to_string(),
        entries: count,
        sha256: hex(&sha),
    };
    Ok((batch, summary))
}

/// Reads a whole stream, handing each tree, once verified, to `take`.
fn parse(input: &mut dyn Read, take: &mut dyn FnMut(&str, Batch) -> Result<()>) -> Result<Summary> {
    if read_exact::<13>(input)? != MAGIC[..] {
        return Err(corrupt("not an Orchard database dump"));
    }
    let version = u32::from_be_bytes(read_exact::<4>(input)?);
    if version != VERSION {
        return Err(corrupt(&format!("format version {version} is not known")));
    }
    let mut summary = Summary::default();
    loop {
        match read_exact::<1>(input)? {
            [b'T'] => {
                let name = String::from_utf8(read_item(input)?)
                    .map_err(|_| corrupt("a tree name is not UTF-8"))?;
                let (batch, tree) = read_tree(input, &name)?;
                take(&name, batch)?;
                summary.trees.push(tree);
            }
            [b'Z'] => break,
            _ => return Err(corrupt("an unknown record")),
        }
    }
    let trees = u64::from_be_bytes(read_exact::<8>(input)?);
    let entries = u64::from_be_bytes(read_exact::<8>(input)?);
    if trees != summary.trees.len() as u64 || entries != summary.entries() {
        return Err(corrupt("its totals do not match its trees"));
    }
    Ok(summary)
}

/// Checks a whole stream (format, every tree's count and checksum, totals); writes nothing.
pub fn verify(input: &mut dyn Read) -> Result<Summary> {
    parse(input, &mut |_, _| Ok(()))
}

/// True when the store holds nothing but its own integrity generation.
fn is_empty(store: &Store) -> Result<bool> {
    for name in store.tree_names() {
        for entry in store.tree(&name)?.iter() {
            let (k, _) = entry?;
            if !skipped(&name, &k) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Loads a stream into an empty store (refused otherwise): each tree is written once its
/// checksum is verified, and everything is flushed at the end. A damaged stream stops the import
/// at the tree that is wrong: check the whole stream with `verify` first to write nothing then.
/// Blocking.
pub fn import(store: &Store, input: &mut dyn Read) -> Result<Summary> {
    if !is_empty(store)? {
        return Err(ActorError::Conflict(
            "the database to import into is not empty".into(),
        ));
    }
    let summary = parse(input, &mut |name, mut batch| {
        if name == INSTANCE_TREE {
            batch.writes.retain(|(k, _)| k.as_slice() != GENERATION_KEY);
        }
        store.tree(name)?.apply_batch(batch)
    })?;
    store.flush_blocking()?;
    Ok(summary)
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
