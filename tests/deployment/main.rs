//! The deployment files (issue 18, item 6): `deploy/orchard.service` passes `systemd-analyze
//! verify` (on a copy whose ExecStart names the built binary, which verify requires to exist)
//! and `systemd-analyze security` rates it well; the shipped unit keeps its paths and
//! hardening; `docs/deployment.md`'s settings parse with Orchard's own parser, keep the data
//! inside the unit's writable directory, and every `[section] key` the guide names is a key of
//! the shipped settings.toml.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative))
        .unwrap_or_else(|e| panic!("read {relative}: {e}"))
}

const SHIPPED_EXEC: &str = "/usr/local/bin/orchard serve --settings /etc/orchard/settings.toml";

/// `systemd-analyze`, or a failure saying how to get it.
fn systemd_analyze() -> Command {
    let found = Command::new("systemd-analyze").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "systemd-analyze is missing: apt-get install systemd (.ci/run does)"
    );
    Command::new("systemd-analyze")
}

/// The shipped unit with ExecStart's binary replaced by the one cargo built, in `dir`.
fn unit_for_verify(dir: &Path) -> PathBuf {
    let unit = read("deploy/orchard.service");
    let built = env!("CARGO_BIN_EXE_orchard");
    let copy = unit.replace(
        "ExecStart=/usr/local/bin/orchard ",
        &format!("ExecStart={built} "),
    );
    assert_ne!(
        copy, unit,
        "the unit's ExecStart runs /usr/local/bin/orchard"
    );
    let path = dir.join("orchard.service");
    std::fs::write(&path, copy).expect("write the unit");
    path
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = unit_for_verify(dir.path());
    let out = systemd_analyze()
        .arg("verify")
        .arg(&unit)
        .output()
        .expect("run systemd-analyze verify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "verify failed:\n{stderr}");
    // Unknown keys and bad values are only warned about: none may be.
    let about_ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("orchard.service") || l.contains(&*dir.path().to_string_lossy()))
        .collect();
    assert!(
        about_ours.is_empty(),
        "verify warned:\n{}",
        about_ours.join("\n")
    );
}

#[test]
fn the_unit_is_rated_well_by_systemd_analyze_security() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = unit_for_verify(dir.path());
    // Exits non-zero when the exposure is above 3.0 (of 10; "OK" is below 4).
    let out = systemd_analyze()
        .args(["security", "--offline=yes", "--threshold=30", "--no-pager"])
        .arg(&unit)
        .output()
        .expect("run systemd-analyze security");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "exposure too high:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Overall exposure level"), "{stdout}");
}

#[test]
fn the_shipped_unit_keeps_its_paths_user_limits_and_hardening() {
    let unit = read("deploy/orchard.service");
    let lines: Vec<&str> = unit.lines().map(str::trim).collect();
    for line in [
        format!("ExecStart={SHIPPED_EXEC}").as_str(),
        "User=orchard",
        "Group=orchard",
        "StateDirectory=orchard",
        "WorkingDirectory=/var/lib/orchard",
        "LimitNOFILE=65536",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/orchard",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "RestartPreventExitStatus=2",
    ] {
        assert!(lines.contains(&line), "deploy/orchard.service lacks {line}");
    }
    // The command line is one the binary takes.
    let help = Command::new(env!("CARGO_BIN_EXE_orchard"))
        .args(["serve", "--help"])
        .output()
        .expect("orchard serve --help");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--settings"));
}

/// The fenced blocks of `lang` in a Markdown text.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let fence = line.trim_start();
        match &mut current {
            None if fence == format!("```{lang}") => current = Some(String::new()),
            Some(_) if fence == "```" => out.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn the_guides_settings_parse_and_keep_the_data_where_the_unit_may_write() {
    let guide = read("docs/deployment.md");
    let settings = blocks(&guide, "toml");
    assert!(!settings.is_empty(), "the guide shows its settings");
    for text in settings {
        let s = orchard::Settings::parse(&text, "docs/deployment.md")
            .unwrap_or_else(|e| panic!("the guide's settings: {e}\n{text}"));
        assert_eq!(s.public_url.scheme(), "https", "behind TLS");
        assert!(
            s.http.bind.ip().is_loopback(),
            "only the proxy reaches HTTP"
        );
        assert!(s.metrics.enabled && s.metrics.token.is_some());
        for dir in [s.storage.path.clone(), s.storage.repos_dir()] {
            assert!(
                dir.starts_with("/var/lib/orchard"),
                "{} is outside ReadWritePaths",
                dir.display()
            );
        }
    }
    assert!(guide.contains(SHIPPED_EXEC.split(' ').next().unwrap_or_default()));
    assert!(guide.contains("/etc/orchard/settings.toml"));
}

/// The `[section] key` references of a Markdown text (inside backticks).
fn key_references(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for code in text.split('`').skip(1).step_by(2) {
        let Some(rest) = code.strip_prefix('[') else {
            continue;
        };
        let Some((section, key)) = rest.split_once("] ") else {
            continue;
        };
        let key: String = key
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !key.is_empty() {
            out.push((section.to_string(), key));
        }
    }
    out
}

/// True when the shipped settings.toml has `key` (set or commented out) in `[section]`.
fn shipped_has(shipped: &str, section: &str, key: &str) -> bool {
    let header = format!("[{section}]");
    let Some((_, body)) = shipped.split_once(&format!("\n{header}\n")) else {
        return false;
    };
    let body = body.split("\n[").next().unwrap_or_default();
    body.lines().any(|l| {
        let l = l.trim_start_matches('#').trim_start();
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

#[test]
fn every_key_the_guide_names_is_a_key_of_the_shipped_settings() {
    let guide = read("docs/deployment.md");
    let shipped = read("settings.toml");
    let refs = key_references(&guide);
    assert!(refs.len() >= 10, "the guide names its keys: {refs:?}");
    let wrong: Vec<String> = refs
        .iter()
        .filter(|(section, key)| !shipped_has(&shipped, section, key))
        .map(|(section, key)| format!("[{section}] {key}"))
        .collect();
    assert!(wrong.is_empty(), "not keys of settings.toml: {wrong:?}");
    // The checker itself tells a wrong key.
    assert!(!shipped_has(&shipped, "http", "trusted_proxy"));
    assert!(shipped_has(&shipped, "http", "trusted_proxies"));
}
