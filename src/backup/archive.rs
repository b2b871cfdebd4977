//! The backup archive on disk: one `.tar.gz` whose first member is `manifest.json`, then the
//! database dump and the repositories' files. `write` packs a staging directory, writing
//! `FILE.partial` (mode 0600: the archive holds private keys and password hashes) and renaming
//! it when complete; `read` walks an archive, checking every member against the manifest.

use super::manifest::{self, Manifest};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A refused archive or target: the message says what is wrong.
pub fn refused(message: impl Into<String>) -> Error {
    Error::BadRequest(message.into())
}

fn hex(bytes: &[u8]) -> String {
    actors::base::hex::hex(bytes)
}

/// Every file under `dir`, as archive paths (relative, `/`-separated), sorted.
fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let rel = entry.path();
                let rel = rel.strip_prefix(dir).unwrap_or(&rel);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn sha256_file(path: &Path) -> Result<String> {
    let mut f = File::open(path)?;
    let mut hash = Sha256::new();
    std::io::copy(&mut f, &mut hash)?;
    Ok(hex(&hash.finalize()))
}

/// `FILE.partial`.
fn partial_of(to: &Path) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn create_private(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    Ok(std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?)
}

fn header(size: u64, mode: u32, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// Packs `staging` (holding `db/...` and `repos/...`) into the archive `to`, with `manifest`
/// (its `members` filled in here) first. Blocking.
pub fn write(staging: &Path, mut manifest: Manifest, to: &Path) -> Result<Manifest> {
    let files = files_under(staging)?;
    let mut members = BTreeMap::new();
    for f in &files {
        members.insert(f.clone(), sha256_file(&staging.join(f))?);
    }
    manifest.members = members;
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| refused(e.to_string()))?;
    let partial = partial_of(to);
    let file = create_private(&partial)?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mtime = manifest.snapshot_ms / 1000;
    let mut h = header(json.len() as u64, 0o600, mtime);
    tar.append_data(&mut h, manifest::NAME, json.as_slice())?;
    for f in &files {
        let path = staging.join(f);
        let mut src = File::open(&path)?;
        let meta = src.metadata()?;
        let mode = if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o100 != 0 {
            0o700
        } else {
            0o600
        };
        let mut h = header(meta.len(), mode, mtime);
        tar.append_data(&mut h, f, &mut src)?;
    }
    let file = tar.into_inner()?.finish()?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, to)?;
    if let Some(dir) = to.parent().and_then(|p| File::open(p).ok()) {
        let _ = dir.sync_all();
    }
    Ok(manifest)
}

/// One member of an archive, handed to `read`'s visitor: its path, whether it is executable,
/// and its content.
pub struct Member<'a> {
    pub path: &'a str,
    pub executable: bool,
    pub content: &'a mut dyn Read,
}

/// Reads through, hashing what it reads.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

fn damaged(e: impl std::fmt::Display) -> Error {
    refused(format!("the archive is damaged or cut short ({e})"))
}

fn read_manifest(entry: &mut dyn Read, path: &str) -> Result<Manifest> {
    if path != manifest::NAME {
        return Err(refused(format!(
            "not an Orchard backup: its first member is {path:?}, not {}",
            manifest::NAME
        )));
    }
    let mut bytes = Vec::new();
    entry
        .take(manifest::MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(damaged)?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| refused(format!("its manifest does not parse: {e}")))?;
    m.validate().map_err(refused)?;
    Ok(m)
}

/// Walks the archive `from`: reads its manifest (refusing an unknown format or unsafe paths),
/// then hands every member to `visit` and checks its SHA-256 against the manifest afterwards;
/// refuses a member the manifest does not list, a member listed twice or missing, and an
/// archive cut short or damaged anywhere (up to the compressed stream's own checksum at its end).
/// Answers the manifest. Blocking.
pub fn read(from: &Path, visit: &mut dyn FnMut(Member<'_>) -> Result<()>) -> Result<Manifest> {
    let file =
        File::open(from).map_err(|e| refused(format!("cannot open {}: {e}", from.display())))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut seen = std::collections::BTreeSet::new();
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(m) = &manifest else {
            manifest = Some(read_manifest(&mut entry, &path)?);
            continue;
        };
        let Some(want) = m.members.get(&path) else {
            return Err(refused(format!(
                "the archive holds {path:?}, which its manifest does not list"
            )));
        };
        if entry.header().entry_type() != tar::EntryType::Regular || !seen.insert(path.clone()) {
            return Err(refused(format!(
                "the archive member {path:?} is not one plain file"
            )));
        }
        let executable = entry.header().mode().map_err(damaged)? & 0o100 != 0;
        let mut content = Hashing {
            inner: &mut entry,
            hash: Sha256::new(),
        };
        visit(Member {
            path: &path,
            executable,
            content: &mut content,
        })?;
        std::io::copy(&mut content, &mut std::io::sink()).map_err(damaged)?;
        if hex(&content.hash.finalize()) != *want {
            return Err(refused(format!(
                "the archive member {path} does not match its checksum (damaged)"
            )));
        }
    }
    // The rest of the compressed stream, to its CRC: a cut or a damaged trailer shows here.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink()).map_err(damaged)?;
    let manifest = manifest.ok_or_else(|| damaged("it is empty"))?;
    if let Some(missing) = manifest.members.keys().find(|p| !seen.contains(*p)) {
        return Err(damaged(format!("{missing} is missing")));
    }
    Ok(manifest)
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
