//! The three `orchard serve` processes: their addresses read from the settings files in
//! `demo/`, a check that every port is free, the start in the run directory (logs in
//! `<run>/logs/<name>.log`), the wait until each answers HTTP and SSH, and the stop (SIGTERM,
//! then a wait).

use crate::http::{chain, Http};
use crate::report::{Failure, Outcome};
use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long an instance may take to answer after it was started.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an instance may take to stop after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// One instance as its settings file describes it.
#[derive(Clone, Debug)]
pub struct Spec {
    pub name: String,
    pub settings: PathBuf,
    pub url: String,
    pub http: SocketAddr,
    pub ssh: SocketAddr,
}

impl Spec {
    /// Reads `public_url`, `[http] bind` and `[ssh] bind` from `<dir>/<name>.toml`.
    pub fn read(dir: &Path, name: &str) -> Outcome<Spec> {
        let settings = dir.join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&settings).map_err(|e| {
            Failure::new(format!("read {}", settings.display()), "a settings file", e)
        })?;
        let (mut url, mut http, mut ssh, mut section) = (None, None, None, String::new());
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line
                    .trim_matches(|c| c == '[' || c == ']')
                    .trim()
                    .to_string();
            } else if let Some((key, value)) = line.split_once('=') {
                let value = value.trim().trim_matches('"').to_string();
                match (section.as_str(), key.trim()) {
                    ("", "public_url") => url = Some(value),
                    ("http", "bind") => http = Some(value),
                    ("ssh", "bind") => ssh = Some(value),
                    _ => {}
                }
            }
        }
        let missing = |key: &str| {
            Failure::new(
                format!("read {}", settings.display()),
                format!("{key} set"),
                "it is missing",
            )
        };
        let addr = |key: &str, value: Option<String>| -> Outcome<SocketAddr> {
            let value = value.ok_or_else(|| missing(key))?;
            value.parse().map_err(|e| {
                Failure::new(
                    format!("read {key} in {}", settings.display()),
                    "an address like 127.0.0.1:7101",
                    format!("{value:?}: {e}"),
                )
            })
        };
        Ok(Spec {
            name: name.to_string(),
            url: url
                .ok_or_else(|| missing("public_url"))?
                .trim_end_matches('/')
                .to_string(),
            http: addr("[http] bind", http)?,
            ssh: addr("[ssh] bind", ssh)?,
            settings,
        })
    }

    /// Fails clearly when the HTTP or SSH port is taken.
    pub fn check_ports_free(&self) -> Outcome<()> {
        for (what, addr) in [("HTTP", self.http), ("SSH", self.ssh)] {
            if let Err(e) = TcpListener::bind(addr) {
                return Err(Failure::new(
                    format!("{}'s {what} port {} is free", self.name, addr.port()),
                    format!("nothing listening on {addr}"),
                    format!("cannot listen there: {e}"),
                )
                .hint(format!(
                    "stop what uses it (an earlier `demo/run.sh --keep`? see `ss -ltnp | grep {}`), \
                     or change the port in {}",
                    addr.port(),
                    self.settings.display()
                )));
            }
        }
        Ok(())
    }
}

/// A started instance.
pub struct Running {
    pub spec: Spec,
    pub log: PathBuf,
    child: Child,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// The operator's step before an instance starts: `orchard admin create-account <name>
/// --settings <file> --password-file <file>` in `run`. Answers the line it printed.
pub fn create_account(
    orchard: &Path,
    spec: &Spec,
    run: &Path,
    name: &str,
    password: &str,
) -> Outcome<String> {
    let what = format!("orchard admin create-account {name} for {}", spec.name);
    let file = run.join(format!("{}-{name}.password", spec.name));
    std::fs::write(&file, format!("{password}\n"))
        .map_err(|e| Failure::new(&what, "a password file", e))?;
    let out = Command::new(orchard)
        .args(["admin", "create-account", name, "--settings"])
        .arg(&spec.settings)
        .arg("--password-file")
        .arg(&file)
        .current_dir(run)
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| Failure::new(&what, format!("{} to run", orchard.display()), e))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(Failure::new(
            &what,
            "exit status 0",
            format!("{}: {err}", out.status),
        ));
    }
    Ok(text)
}

/// Starts `orchard serve --settings <file>` with `run` as its working directory.
pub fn start(orchard: &Path, spec: &Spec, run: &Path) -> Outcome<Running> {
    let logs = run.join("logs");
    let log = logs.join(format!("{}.log", spec.name));
    let cannot =
        |what: &str, e: std::io::Error| Failure::new(format!("start {}", spec.name), what, e);
    std::fs::create_dir_all(&logs).map_err(|e| cannot("a logs directory", e))?;
    let out = File::create(&log).map_err(|e| cannot("a log file", e))?;
    let err = out.try_clone().map_err(|e| cannot("a log file", e))?;
    let child = Command::new(orchard)
        .arg("serve")
        .arg("--settings")
        .arg(&spec.settings)
        .current_dir(run)
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
        )
        // Plain text logs: the files are read by people, not terminals.
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| cannot(&format!("{} to run", orchard.display()), e))?;
    Ok(Running {
        spec: spec.clone(),
        log,
        child,
    })
}

/// Waits until the instance answers NodeInfo over HTTP and accepts TCP on its SSH port.
/// Answers the software name and version NodeInfo gives.
pub async fn wait_ready(http: &Http, inst: &mut Running) -> Outcome<String> {
    let url = format!("{}/nodeinfo/2.1", inst.spec.url);
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(status)) = inst.child.try_wait() {
            return Err(exited(inst, status));
        }
        let seen = match http.get(&url, None).await {
            Ok(a) if a.status == 200 && TcpStream::connect(inst.spec.ssh).is_ok() => {
                let sw = &a.body["software"];
                return Ok(format!("{} {}", sw["name"], sw["version"]).replace('"', ""));
            }
            Ok(a) if a.status == 200 => format!("HTTP answers, SSH on {} does not", inst.spec.ssh),
            Ok(a) => format!("{} {}", a.status, a.body),
            Err(f) => f.seen,
        };
        if Instant::now() >= deadline {
            return Err(Failure::new(
                format!("{} answers GET {url}", inst.spec.name),
                format!("200 within {} s", START_TIMEOUT.as_secs()),
                seen,
            )
            .hint(format!("see {}", inst.log.display())));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn exited(inst: &Running, status: ExitStatus) -> Failure {
    let text = std::fs::read_to_string(&inst.log).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(8).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Failure::new(
        format!("{} keeps running", inst.spec.name),
        "a running server",
        format!(
            "it exited ({status}); last lines of its log:\n    {}",
            tail.join("\n    ")
        ),
    )
    .hint(format!("see {}", inst.log.display()))
}

/// Sends SIGTERM to every instance, then waits for each (killing it after [`STOP_TIMEOUT`]).
/// Answers one line per instance saying how it stopped.
pub async fn stop(mut all: Vec<Running>) -> Vec<String> {
    for inst in &all {
        // `kill` of the POSIX shell: no extra dependency, and present wherever `sh` is.
        let _ = Command::new("sh")
            .args(["-c", "kill -TERM \"$1\"", "sh", &inst.pid().to_string()])
            .status();
    }
    let mut lines = Vec::new();
    for inst in &mut all {
        let deadline = Instant::now() + STOP_TIMEOUT;
        let line = loop {
            match inst.child.try_wait() {
                Ok(Some(status)) => break format!("{} stopped ({status})", inst.spec.name),
                Ok(None) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Ok(None) => {
                    let _ = inst.child.kill();
                    let _ = inst.child.wait();
                    break format!(
                        "{} did not stop within {} s of SIGTERM: killed",
                        inst.spec.name,
                        STOP_TIMEOUT.as_secs()
                    );
                }
                Err(e) => break format!("{}: cannot wait for it: {}", inst.spec.name, chain(&e)),
            }
        };
        lines.push(line);
    }
    lines
}
