//! Binary files in a patch as `git format-patch` writes them (`GIT binary patch`, a `literal`
//! of the new content and one of the old, zlib-compressed and base85-encoded in lines of 52
//! bytes) with the full-length `index` line `git apply` requires.

use super::diff::FileDiff;
use crate::base::error::Result;
use crate::git::git_err;
use std::io::Write;

const BASE85: &[u8; 85] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
const ZERO: &str = "0000000000000000000000000000000000000000";

fn blob(repo: &gix::Repository, id: Option<&str>) -> Result<Vec<u8>> {
    let Some(hex) = id else {
        return Ok(Vec::new());
    };
    let id = gix::ObjectId::from_hex(hex.as_bytes()).map_err(git_err)?;
    Ok(repo.find_blob(id).map_err(git_err)?.take_data())
}

/// `literal <size>` and the compressed data in git's base85 lines.
fn literal(data: &[u8]) -> Result<String> {
    let mut z = gix::zlib::stream::deflate::Write::new(Vec::new(), gix::zlib::Compression::BEST);
    z.write_all(data).map_err(git_err)?;
    z.flush().map_err(git_err)?;
    let packed = z.into_inner();
    let mut out = format!("literal {}\n", data.len());
    for chunk in packed.chunks(52) {
        let n = chunk.len() as u8;
        out.push(if n <= 26 { b'A' + n - 1 } else { b'a' + n - 27 } as char);
        for group in chunk.chunks(4) {
            let mut word = [0u8; 4];
            word[..group.len()].copy_from_slice(group);
            let mut acc = u32::from_be_bytes(word);
            let mut five = [0u8; 5];
            for c in five.iter_mut().rev() {
                *c = BASE85[(acc % 85) as usize];
                acc /= 85;
            }
            out.push_str(std::str::from_utf8(&five).unwrap_or_default());
        }
        out.push('\n');
    }
    Ok(out)
}

/// The text of a binary `file` that `git apply` can apply.
pub fn binary_text(repo: &gix::Repository, file: &FileDiff) -> Result<String> {
    let mut out = String::new();
    for line in file.header.lines() {
        if let Some(rest) = line.strip_prefix("index ") {
            let mode = rest
                .split_once(' ')
                .map(|(_, m)| format!(" {m}"))
                .unwrap_or_default();
            let (a, b) = (file.old_id.as_deref(), file.new_id.as_deref());
            out.push_str(&format!(
                "index {}..{}{mode}\n",
                a.unwrap_or(ZERO),
                b.unwrap_or(ZERO)
            ));
        } else if line.starts_with("Binary files ") {
            let (old, new) = (
                blob(repo, file.old_id.as_deref())?,
                blob(repo, file.new_id.as_deref())?,
            );
            out.push_str(&format!(
                "GIT binary patch\n{}\n{}\n",
                literal(&new)?,
                literal(&old)?
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}
