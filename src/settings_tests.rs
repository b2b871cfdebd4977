//! Tests of `settings`.
use super::*;

const GOOD: &str = r#"
public_url = "http://127.0.0.1:7000"
[http]
bind = "127.0.0.1:7000"
[storage]
path = "./data/db"
"#;

fn err(text: &str) -> String {
    Settings::parse(text, "s.toml").unwrap_err().to_string()
}

#[test]
fn defaults_apply() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert!(s.accounts.registration);
    assert!(!s.federation.allow_private_addresses);
    assert_eq!(s.federation.signature_max_skew_secs, 300);
    assert_eq!(s.storage.repos_dir(), PathBuf::from("./data/repos"));
    assert_eq!(s.storage.cache_mb, 256);
}

#[test]
fn the_shipped_file_parses() {
    let text = include_str!("../settings.toml");
    let s = Settings::parse(text, "settings.toml").unwrap();
    assert!(s.federation.allow_private_addresses);
}

#[test]
fn unknown_keys_are_named() {
    let e = err(&format!("{GOOD}\n[federation]\nallow_privat = true\n"));
    assert!(e.contains("allow_privat") && e.contains("s.toml"), "{e}");
    let e = err(&format!("colour = 1\n{GOOD}"));
    assert!(e.contains("colour"), "{e}");
}

#[test]
fn missing_and_bad_values_are_named() {
    let e = err("[http]\nbind = \"127.0.0.1:1\"\n[storage]\npath = \"x\"\n");
    assert!(e.contains("public_url"), "{e}");
    let e = err(&GOOD.replace("127.0.0.1:7000\"\n[storage]", "nope\"\n[storage]"));
    assert!(e.contains("http.bind"), "{e}");
    let e = err(&format!("{GOOD}[accounts]\nregistration = \"yes\"\n"));
    assert!(e.contains("accounts.registration"), "{e}");
    let e = err(&GOOD.replace("http://127.0.0.1:7000", "ftp://x"));
    assert!(e.contains("public_url"), "{e}");
    let e = err(&GOOD.replace("path = \"./data/db\"", "path = \"./data/db\"\ncache_mb = 1"));
    assert!(e.contains("storage.cache_mb"), "{e}");
    let e = err("public_url = ");
    assert!(e.contains("line 1"), "{e}");
}

#[test]
fn recipient_resolution_bounds_default_and_are_checked() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert_eq!(s.federation.max_recipients_per_activity, 100);
    assert_eq!(s.federation.max_fetches_per_host_per_activity, 20);
    assert_eq!(s.federation.fetch_failure_ttl_secs, 600);
    let e = err(&format!(
        "{GOOD}[federation]\nmax_recipients_per_activity = 0\n"
    ));
    assert!(e.contains("max_recipients_per_activity"), "{e}");
    let e = err(&format!(
        "{GOOD}[federation]\nmax_recipients_per_activity = 10\nmax_fetches_per_host_per_activity = 11\n"
    ));
    assert!(e.contains("max_fetches_per_host_per_activity"), "{e}");
    let e = err(&format!("{GOOD}[federation]\nfetch_failure_ttl_secs = 0\n"));
    assert!(e.contains("fetch_failure_ttl_secs"), "{e}");
}

#[test]
fn http_limits_default_and_are_checked() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert_eq!(s.http.max_connections, 0);
    assert_eq!(s.http.body_timeout_secs, 30);
    let e = err(&GOOD.replace(
        "7000\"\n[storage]",
        "7000\"\nbody_timeout_secs = 0\n[storage]",
    ));
    assert!(e.contains("http.body_timeout_secs"), "{e}");
}
