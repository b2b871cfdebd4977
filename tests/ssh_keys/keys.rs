//! Keys and tools for the SSH key tests: keys refused or with awkward fingerprints, fresh keys
//! made by ssh-keygen, OpenSSH's fingerprint of a key, `ssh` with extra options, and the host
//! keys ssh-keyscan reads.

use crate::common::git::{ssh_keygen, GitUser};
use std::path::Path;
use std::process::Command;

/// A DSA key (refused whatever its size).
pub const DSA: &str = "ssh-dss AAAAB3NzaC1kc3MAAACBAJXzTIWF8l+voT8T7DnmYTQTMsISuYhmmtB7UbhojIwveI31tyQqFRarqg+BNDfeZCPcgj0Xn2WswJuomitSXYnIsN/SIBtBlx0cNMqbQYcZHQ9QeWQWMR5md+ChNa8WQqdTSZI3p8fvw6D8nP6vVSJA36rGCWPAVEG5/SEdH7WjAAAAFQD5CAWZJ9l1aNgIyWn8qZdCDOBURQAAAIBLoFKirmf5iFTbrsopfPidDjbXaEAOqrkTjH3MaayUC29kL1sR8YY8wgeCiyuvXYKs9ZZsF9UGnt8VmR1/YULYaedZ5kY3knqSK0BIRgGjoUKyGiqKRfByRkWiCl9ybtujvgSMuKyPWx7PjMvZjKjg8RGPJ5SKn/Mw4ce4h6QRfwAAAIAgy4iwDMAekVFdzJY/NeSJFrFtPeU/a1WwWI3M8DsLzzjFAa9m5HSYHPG+MT+vQvX1MVheba+eZNnMHxpkSd0O4SDrfViMeX/NjmV8mfN6Iv2F5FdgQnSr9SFB+KS/9ZdAIq6w51SP77w2c2v+irim50hxkKkW2ewLK3pJBMrQJA== root@vm";
/// An RSA key of 1024 bits (too small).
pub const RSA_1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDnxpiV8VLRrIXfARPbNhyMCHGXmFRPz85alTP8+q16zIUPwaWazfuagglFtUfQGw+PP/FEhQqhKbdWH2BcTHSi0cj5klFm9pchONvwsySLlAe0oTK2AOBd6vMfps1/MsQrfOTiknXF+nDZa3pgiKyRyVNjweAZ1NgdbWDynxYv9Q== root@vm";

/// An ed25519 key whose fingerprint holds both `+` and `/` (URL-encoding matters).
pub const ED_SLASH: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWfR522N3j+pds8AXyDwQ0nbhCwZzhz3yyp5wv9puvi slash+plus";
pub const ED_SLASH_FINGERPRINT: &str = "SHA256:x312Xd50jZ7h9oLoHUfpSt7c+o7feRIFOLS5yK/rhdQ";

/// A fresh key of a type and size: (its directory, the .pub line).
pub fn public_key(kind: &str, bits: Option<&str>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id");
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", kind, "-N", "", "-C", "someone@host", "-f"])
        .arg(&key);
    if let Some(b) = bits {
        cmd.args(["-b", b]);
    }
    let out = cmd.output().expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (dir, line.trim().to_string())
}

/// Runs `ssh` with `user`'s key, extra options and a remote command.
pub fn ssh_with(user: &GitUser, extra: &[&str], command: &str) -> std::process::Output {
    Command::new("ssh")
        .arg("-i")
        .arg(&user.key)
        .args(["-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes"])
        .args(extra)
        .args(["-p", &user.ssh_port.to_string(), "git@127.0.0.1", command])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh runs")
}

/// A new RSA-3072 key in `dir`; answers the private key's path.
pub fn rsa_key(dir: &Path) -> std::path::PathBuf {
    let key = dir.join("id_rsa");
    ssh_keygen(&key, &["-t", "rsa", "-b", "3072"]);
    key
}

/// The fingerprint OpenSSH prints for a public key file.
pub fn openssh_fingerprint(pub_file: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(pub_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split_whitespace()
        .nth(1)
        .expect("fingerprint")
        .to_string()
}

/// Host key lines `ssh-keyscan` reads from the instance.
pub fn host_keys(port: u16) -> String {
    let out = Command::new("ssh-keyscan")
        .args(["-p", &port.to_string(), "-T", "10", "127.0.0.1"])
        .output()
        .expect("ssh-keyscan runs");
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines.join("\n")
}

/// What a command wrote to stderr, as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}
