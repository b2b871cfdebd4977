//! A real `orchard serve` child process, for tests that must kill the server abruptly
//! (`kill -9`) and start it again on the same data directory and ports. Each boot writes its
//! stdout and stderr to `<dir>/orchard-<boot>.log`.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a boot may take before the test gives up.
const BOOT_TIMEOUT: Duration = Duration::from_secs(60);

/// A running (or killed) `orchard serve` process.
pub struct OrchardProcess {
    pub url: String,
    pub port: u16,
    pub ssh_port: u16,
    /// The data directory: settings, sled database, repositories and logs.
    pub dir: PathBuf,
    settings: PathBuf,
    child: Option<Child>,
    boots: u32,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free port")
        .port()
}

impl OrchardProcess {
    /// Writes settings for two free ports (plus `extra`, whole TOML sections) into `dir`, starts
    /// the binary and waits until it answers HTTP. Picks new ports if they were taken meanwhile.
    pub async fn start(dir: &Path, extra: &str) -> OrchardProcess {
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port();
            let ssh_port = free_port();
            if port == ssh_port {
                continue;
            }
            let url = format!("http://127.0.0.1:{port}");
            let settings = dir.join("settings.toml");
            std::fs::write(
                &settings,
                super::settings_text(&url, port, ssh_port, dir, extra),
            )
            .expect("write settings");
            let mut p = OrchardProcess {
                url,
                port,
                ssh_port,
                dir: dir.to_path_buf(),
                settings,
                child: None,
                boots: 0,
            };
            match p.boot().await {
                Ok(()) => return p,
                Err(e) => last_error = e,
            }
        }
        panic!("orchard did not start: {last_error}");
    }

    /// The process id of the running server.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// How many times the binary was started.
    pub fn boots(&self) -> u32 {
        self.boots
    }

    fn log_path(&self, boot: u32) -> PathBuf {
        self.dir.join(format!("orchard-{boot}.log"))
    }

    /// The log of one boot (1 = the first).
    pub fn log(&self, boot: u32) -> String {
        std::fs::read_to_string(self.log_path(boot)).unwrap_or_default()
    }

    async fn boot(&mut self) -> Result<(), String> {
        self.boots += 1;
        let log_path = self.log_path(self.boots);
        let out = File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
        let err = out.try_clone().map_err(|e| format!("log file: {e}"))?;
        let child = Command::new(env!("CARGO_BIN_EXE_orchard"))
            .arg("serve")
            .arg("--settings")
            .arg(&self.settings)
            .env(
                "RUST_LOG",
                std::env::var("ORCHARD_TEST_LOG").unwrap_or_else(|_| "info".into()),
            )
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot spawn orchard: {e}"))?;
        self.child = Some(child);
        let client = super::client();
        let deadline = Instant::now() + BOOT_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    self.child = None;
                    return Err(format!(
                        "orchard exited with {status} during boot {}:\n{}",
                        self.boots,
                        self.log(self.boots)
                    ));
                }
            }
            let answered = client
                .get(format!("{}/actor", self.url))
                .header("Accept", "application/activity+json")
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if answered {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(format!(
                    "orchard did not answer within {BOOT_TIMEOUT:?} (boot {})",
                    self.boots
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the server with SIGKILL (no shutdown, no flush) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the binary again on the same settings, data directory and ports (retrying for a
    /// while if a port is still held), and waits until it answers.
    pub async fn restart(&mut self) {
        self.kill();
        let mut last_error = String::new();
        for _ in 0..10 {
            match self.boot().await {
                Ok(()) => return,
                Err(e) => last_error = e,
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("orchard did not restart: {last_error}");
    }
}

impl Drop for OrchardProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
