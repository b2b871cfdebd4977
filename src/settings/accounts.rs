//! `[accounts]` of the settings: registration, privileged names, token expiry and the limits
//! on logins, registrations and password hashing (see SECURITY.md, "Accounts").

use serde::Deserialize;

/// `[accounts]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSettings {
    /// Whether `POST /api/v1/register` is open.
    #[serde(default = "yes")]
    pub registration: bool,
    /// Usernames allowed to create Factories.
    #[serde(default)]
    pub factory_creators: Vec<String>,
    /// Factories (local ids or IRIs) that grant `write` to every new local person.
    #[serde(default)]
    pub resident_factories: Vec<String>,
    /// Usernames allowed to use the admin API (blocking remote hosts and actors).
    #[serde(default)]
    pub admins: Vec<String>,
    /// Days a bearer token lives after login.
    #[serde(default = "default_token_expiry")]
    pub token_expiry_days: u64,
    /// Failed logins accepted per client address per minute (bursts up to it); 0: no limit.
    #[serde(default = "default_login_per_address")]
    pub login_attempts_per_minute_per_address: u32,
    /// Failed logins accepted per username per minute from all client addresses together
    /// (bursts up to it); not taken from an address that logged in as that username within
    /// `login_known_address_days`. 0: no limit.
    #[serde(default = "default_login_per_username")]
    pub login_attempts_per_minute_per_username: u32,
    /// Failed logins accepted per (username, client address) per minute (bursts up to it);
    /// 0: no limit.
    #[serde(default = "default_login_per_username_per_address")]
    pub login_attempts_per_minute_per_username_per_address: u32,
    /// Days an address that logged in as a username stays exempt from that username's
    /// all-addresses limit; 0: never exempt.
    #[serde(default = "default_known_address_days")]
    pub login_known_address_days: u64,
    /// Registrations accepted per client address per hour (bursts up to it); 0: no limit.
    #[serde(default = "default_registrations")]
    pub registrations_per_hour_per_address: u32,
    /// Password hashes (argon2, 19 MiB each) computed at once.
    #[serde(default = "default_hash_concurrency")]
    pub password_hash_concurrency: usize,
    /// Requests that may wait for a hash slot; beyond, 429 (also the registrations' queue).
    #[serde(default = "default_hash_queue")]
    pub password_hash_queue: usize,
    /// Registrations (password hash and RSA key) computed at once, in their own slots apart
    /// from the login ones.
    #[serde(default = "default_registration_concurrency")]
    pub registration_hash_concurrency: usize,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings {
            registration: true,
            factory_creators: Vec::new(),
            resident_factories: Vec::new(),
            admins: Vec::new(),
            token_expiry_days: default_token_expiry(),
            login_attempts_per_minute_per_address: default_login_per_address(),
            login_attempts_per_minute_per_username: default_login_per_username(),
            login_attempts_per_minute_per_username_per_address:
                default_login_per_username_per_address(),
            login_known_address_days: default_known_address_days(),
            registrations_per_hour_per_address: default_registrations(),
            password_hash_concurrency: default_hash_concurrency(),
            password_hash_queue: default_hash_queue(),
            registration_hash_concurrency: default_registration_concurrency(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_token_expiry() -> u64 {
    30
}

fn default_login_per_address() -> u32 {
    20
}

fn default_login_per_username() -> u32 {
    100
}

fn default_login_per_username_per_address() -> u32 {
    10
}

fn default_known_address_days() -> u64 {
    30
}

fn default_registration_concurrency() -> usize {
    1
}

fn default_registrations() -> u32 {
    30
}

fn default_hash_concurrency() -> usize {
    2
}

fn default_hash_queue() -> usize {
    32
}

impl AccountSettings {
    /// Checks the `[accounts]` values; the error names the key.
    pub fn validate(&self) -> Result<(), String> {
        let a = self;
        if !(1..=3650).contains(&a.token_expiry_days) {
            return Err("key `accounts.token_expiry_days`: must be between 1 and 3650".into());
        }
        if !(1..=64).contains(&a.password_hash_concurrency) {
            return Err(
                "key `accounts.password_hash_concurrency`: must be between 1 and 64".into(),
            );
        }
        if !(1..=64).contains(&a.registration_hash_concurrency) {
            return Err(
                "key `accounts.registration_hash_concurrency`: must be between 1 and 64".into(),
            );
        }
        if a.login_known_address_days > 3650 {
            return Err("key `accounts.login_known_address_days`: must be at most 3650".into());
        }
        if a.password_hash_queue > 100_000 {
            return Err("key `accounts.password_hash_queue`: must be at most 100000".into());
        }
        Ok(())
    }
}
