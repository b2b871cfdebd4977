//! Running `orchard admin` (the real binary) against a test instance: its settings file, the
//! command with an optional standard input, and what it printed and exited with.

use crate::common::{settings_text, Instance};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::AsyncWriteExt;

/// What one command came to.
#[derive(Debug)]
pub struct Ran {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Panics unless it exited 0; answers its standard output.
    pub fn ok(self) -> String {
        assert_eq!(self.status, 0, "{self:?}");
        self.stdout
    }

    /// Panics unless it exited `status` with `text` on standard error.
    pub fn fails(&self, status: i32, text: &str) {
        assert_eq!(self.status, status, "{self:?}");
        assert!(self.stderr.contains(text), "{text:?} not in {self:?}");
    }
}

/// Writes the instance's settings to `settings.toml` in its data directory; answers the path.
pub fn settings_file(inst: &Instance) -> PathBuf {
    let path = inst.dir.path().join("settings.toml");
    let text = settings_text(
        &inst.url,
        inst.port,
        inst.ssh_port,
        inst.dir.path(),
        &inst.extra_settings,
    );
    std::fs::write(&path, text).expect("write settings");
    path
}

/// The instance's admin socket (the default: beside the database).
pub fn socket_of(inst: &Instance) -> PathBuf {
    inst.dir.path().join("admin.sock")
}

/// Runs `orchard admin --settings <the instance's> ARGS` in `cwd` with `stdin`.
pub async fn admin_in(inst: &Instance, cwd: &Path, args: &[&str], stdin: Option<&str>) -> Ran {
    let settings = settings_file(inst);
    run_binary(None, cwd, &settings, args, stdin).await
}

/// `admin_in` the instance's data directory.
pub async fn admin(inst: &Instance, args: &[&str], stdin: Option<&str>) -> Ran {
    admin_in(inst, inst.dir.path(), args, stdin).await
}

/// Runs the binary's `admin` command, under `wrapper` (e.g. `setpriv ...`) when given.
pub async fn run_binary(
    wrapper: Option<&[&str]>,
    cwd: &Path,
    settings: &Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Ran {
    let binary = env!("CARGO_BIN_EXE_orchard");
    let mut cmd = match wrapper {
        Some(w) => {
            let mut c = tokio::process::Command::new(w[0]);
            c.args(&w[1..]).arg(binary);
            c
        }
        None => tokio::process::Command::new(binary),
    };
    cmd.arg("admin")
        .arg("--settings")
        .arg(settings)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn orchard admin");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("write stdin");
    }
    drop(input);
    let out = child.wait_with_output().await.expect("orchard admin ends");
    Ran {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
