//! Tests of `settings`.
use super::*;
use std::path::PathBuf;

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
    assert_eq!(s.storage.min_free_mb, 256);
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
    let e = err(&GOOD.replace(
        "path = \"./data/db\"",
        "path = \"./data/db\"\nmin_free_mb = 2000000",
    ));
    assert!(e.contains("storage.min_free_mb"), "{e}");
    let off = GOOD.replace(
        "path = \"./data/db\"",
        "path = \"./data/db\"\nmin_free_mb = 0",
    );
    assert_eq!(
        Settings::parse(&off, "s.toml").unwrap().storage.min_free_mb,
        0
    );
    for never_matches in ["h:0", "http://h", "a/b", "u@h"] {
        let e = err(&format!(
            "{GOOD}[federation]\nblocked_hosts = [\"{never_matches}\"]\n"
        ));
        assert!(
            e.contains("federation.blocked_hosts"),
            "{never_matches}: {e}"
        );
    }
    let e = err("public_url = ");
    assert!(e.contains("line 1"), "{e}");
}

#[test]
fn account_limits_have_safe_defaults_and_are_checked() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    let a = &s.accounts;
    assert!(a.admins.is_empty() && a.factory_creators.is_empty());
    assert_eq!(a.token_expiry_days, 30);
    assert_eq!(a.login_attempts_per_minute_per_address, 20);
    assert_eq!(a.login_attempts_per_minute_per_username, 100);
    assert_eq!(a.login_attempts_per_minute_per_username_per_address, 10);
    assert_eq!(a.login_known_address_days, 30);
    assert_eq!(a.registration_hash_concurrency, 1);
    assert_eq!(a.registrations_per_hour_per_address, 30);
    assert_eq!(a.password_hash_concurrency, 2);
    assert_eq!(a.password_hash_queue, 32);
    for (key, bad) in [
        ("token_expiry_days", "0"),
        ("token_expiry_days", "4000"),
        ("password_hash_concurrency", "0"),
        ("password_hash_queue", "1000000"),
        ("registration_hash_concurrency", "0"),
        ("login_known_address_days", "4000"),
    ] {
        let e = err(&format!("{GOOD}[accounts]\n{key} = {bad}\n"));
        assert!(e.contains(&format!("accounts.{key}")), "{e}");
    }
}

#[test]
fn the_shipped_file_names_no_admin_and_no_factory_creator() {
    let s = Settings::parse(include_str!("../settings.toml"), "settings.toml").unwrap();
    assert!(s.accounts.admins.is_empty(), "{:?}", s.accounts.admins);
    assert!(s.accounts.factory_creators.is_empty());
}

#[test]
fn ssh_and_git_limits_have_safe_defaults_and_are_checked() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert_eq!(s.ssh.auth_timeout_secs, 15);
    assert_eq!(s.ssh.max_unauthenticated, 64);
    assert_eq!(s.ssh.max_unauthenticated_per_ip, 8);
    assert_eq!(s.ssh.max_push_mb, 512);
    assert_eq!(s.ssh.max_sessions_per_user, 16);
    assert_eq!(s.ssh.idle_without_command_secs, 60);
    assert_eq!(s.http.max_concurrent_clones, 8);
    assert_eq!(s.http.clone_wait_secs, 30);
    let with = |section: &str, line: &str| {
        if section == "http" {
            err(&GOOD.replace("[storage]", &format!("{line}\n[storage]")))
        } else {
            err(&format!("{GOOD}[{section}]\n{line}\n"))
        }
    };
    for (section, line, key) in [
        ("ssh", "auth_timeout_secs = 0", "ssh.auth_timeout_secs"),
        ("ssh", "max_unauthenticated = 0", "ssh.max_unauthenticated"),
        (
            "ssh",
            "max_unauthenticated_per_ip = 0",
            "ssh.max_unauthenticated_per_ip",
        ),
        (
            "ssh",
            "max_unauthenticated_per_ip = 65",
            "ssh.max_unauthenticated_per_ip",
        ),
        ("ssh", "max_push_mb = 0", "ssh.max_push_mb"),
        (
            "ssh",
            "max_sessions_per_user = 0",
            "ssh.max_sessions_per_user",
        ),
        (
            "ssh",
            "max_sessions_per_user = 513",
            "ssh.max_sessions_per_user",
        ),
        (
            "ssh",
            "idle_without_command_secs = 0",
            "ssh.idle_without_command_secs",
        ),
        (
            "http",
            "max_concurrent_clones = 0",
            "http.max_concurrent_clones",
        ),
        ("http", "clone_wait_secs = 100000", "http.clone_wait_secs"),
    ] {
        let e = with(section, line);
        assert!(e.contains(key), "{line}: {e}");
    }
}

#[test]
fn trusted_proxies_are_addresses_or_networks() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert!(s.http.trusted_proxies.is_empty());
    let with =
        |list: &str| GOOD.replace("[storage]", &format!("trusted_proxies = {list}\n[storage]"));
    let s = Settings::parse(&with(r#"["127.0.0.1", "10.0.0.0/8", "::1"]"#), "s.toml").unwrap();
    assert_eq!(s.http.trusted_proxies.len(), 3);
    let e = err(&with(r#"["10.0.0.0/33"]"#));
    assert!(
        e.contains("trusted_proxies") && e.contains("10.0.0.0/33"),
        "{e}"
    );
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

#[test]
fn metrics_and_log_default_to_off_and_text() {
    let s = Settings::parse(GOOD, "s.toml").unwrap();
    assert!(!s.metrics.enabled);
    assert!(s.metrics.token.is_none());
    assert_eq!(s.log.format, LogFormat::Text);
    let on = format!(
        "{GOOD}[metrics]\nenabled = true\ntoken = \"0123456789abcdef\"\n[log]\nformat = \"json\"\n"
    );
    let s = Settings::parse(&on, "s.toml").unwrap();
    assert!(s.metrics.enabled);
    assert_eq!(s.metrics.token.as_deref(), Some("0123456789abcdef"));
    assert_eq!(s.log.format, LogFormat::Json);
    assert!(
        !format!("{s:?}").contains("0123456789abcdef"),
        "the token is never printed"
    );
}

#[test]
fn bad_metrics_and_log_values_are_named() {
    for token in ["short", "has spaces in it, sixteen+", ""] {
        let e = err(&format!(
            "{GOOD}[metrics]\nenabled = true\ntoken = \"{token}\"\n"
        ));
        assert!(e.contains("metrics.token"), "{token}: {e}");
    }
    let e = err(&format!("{GOOD}[metrics]\nenabled = \"yes\"\n"));
    assert!(e.contains("metrics.enabled"), "{e}");
    let e = err(&format!("{GOOD}[metrics]\nenable = true\n"));
    assert!(e.contains("enable"), "{e}");
    let e = err(&format!("{GOOD}[log]\nformat = \"xml\"\n"));
    assert!(e.contains("log.format"), "{e}");
}
