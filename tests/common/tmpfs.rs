//! A small tmpfs for the full-disk tests: mounted on a directory, unmounted on drop, and skipped
//! (with the reason printed) where mounting is not permitted. Also the free space it has left.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs; unmounts on drop (after everything on it is gone).
pub struct Mounted(PathBuf);

impl Mounted {
    /// Mounts a tmpfs of `mb` MiB on `dir`; None (with the reason printed) when not permitted.
    pub fn tmpfs(dir: &Path, mb: u64) -> Option<Mounted> {
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Mounted(dir.to_path_buf())),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Bytes free for an unprivileged writer on the filesystem of `path` (statvfs `f_bavail`).
pub fn free_bytes(path: &Path) -> u64 {
    let out = Command::new("stat")
        .args(["-f", "-c", "%a %S"])
        .arg(path)
        .output()
        .expect("stat runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .map(|n| n.parse::<u64>().expect("a number"));
    let (blocks, size) = (parts.next().expect("blocks"), parts.next().expect("size"));
    blocks * size
}
