//! Child processes that tests drive:
//!
//! - [`OrchardProcess`]: a real `orchard serve`, for tests that must kill the server abruptly
//!   (`kill -9`) and start it again on the same data directory and ports. Each boot writes its
//!   stdout and stderr to `<dir>/orchard-<boot>.log`.
//! - [`JsonLinePeer`]: an interop peer (another implementation's code in Python or Node) that
//!   takes commands, one a line, on its stdin and reports events as JSON lines on its stdout.

use serde_json::Value;
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};

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
                super::settings::settings_text(&url, port, ssh_port, dir, extra),
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
        let client = super::client::client();
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

// ---------------------------------------------------------------------------------------------
// Interop peers.

/// A running interop peer; killed when dropped, also when an assertion fails. Each interop test
/// adds the commands of its own peer in an `impl JsonLinePeer` of its own.
pub struct JsonLinePeer {
    /// The peer's actor, from its `ready` event.
    pub actor: String,
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: Lines<BufReader<tokio::process::ChildStdout>>,
    /// Events read while waiting for another one.
    backlog: Vec<Value>,
    /// How long `wait_for` waits.
    wait: Duration,
    /// How many characters of each line read are echoed to stderr.
    echo: usize,
}

impl Drop for JsonLinePeer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

impl JsonLinePeer {
    /// Starts `command` (its stderr inherited) and waits for its `ready` event (which names the
    /// peer's `actor`), which it answers with the peer. `name` is for messages ("the bovine peer"); `wait` bounds every wait for an
    /// event; `echo` characters of each line the peer prints are shown on stderr.
    pub async fn spawn(
        mut command: tokio::process::Command,
        name: &str,
        wait: Duration,
        echo: usize,
    ) -> (JsonLinePeer, Value) {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let stdin = child.stdin.take().expect("stdin");
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut peer = JsonLinePeer {
            actor: String::new(),
            child,
            stdin,
            lines,
            backlog: Vec::new(),
            wait,
            echo,
        };
        let ready = peer.wait_for("ready", |e| e["event"] == "ready").await;
        peer.actor = ready["actor"].as_str().expect("actor").to_string();
        (peer, ready)
    }

    /// Writes one command line to the peer.
    pub async fn command(&mut self, line: &str) {
        let line = format!("{line}\n");
        self.stdin.write_all(line.as_bytes()).await.expect("write");
        self.stdin.flush().await.expect("flush");
    }

    /// The first event (earlier unclaimed ones included) that `matches`; panics on an `error`
    /// event, on the peer's exit and after the peer's `wait`.
    pub async fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(i);
        }
        let wait = self.wait;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let line = tokio::time::timeout_at(deadline, self.lines.next_line())
                .await
                .unwrap_or_else(|_| panic!("no {what} from the peer within {wait:?}"))
                .expect("read the peer's stdout")
                .unwrap_or_else(|| panic!("the peer exited before {what}"));
            let shown: String = line.chars().take(self.echo).collect();
            eprintln!("peer: {shown}");
            let event: Value = serde_json::from_str(&line).expect("the peer prints JSON lines");
            assert_ne!(event["event"], "error", "the peer failed: {event}");
            if matches(&event) {
                return event;
            }
            self.backlog.push(event);
        }
    }
}
