//! Routes of a person's SSH public keys (bearer token of that person):
//! `POST /api/v1/ssh-keys`, `GET /api/v1/ssh-keys`, `DELETE /api/v1/ssh-keys/{fingerprint}`.
//! Keys are parsed here (OpenSSH public key lines) and stored by `actors::ssh_keys`.

use super::auth;
use super::state::AppState;
use crate::error::{Error, Result};
use actix_web::{web, HttpRequest, HttpResponse};
use actors::ssh_keys::{SshKeyRecord, SshKeys};
use actors::urls::{expand, routes};
use russh::keys::{Algorithm, PublicKey};
use serde::{Deserialize, Serialize};

/// Longest key line accepted, in bytes (an RSA-16384 key is about 2.8 kB).
const MAX_KEY_LINE: usize = 16 * 1024;
/// Longest comment kept with a key, in characters.
const MAX_COMMENT: usize = 256;
/// Smallest RSA modulus accepted, in bits.
const MIN_RSA_BITS: u32 = 2048;

const SUPPORTED: &str =
    "use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least 2048 bits";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(routes::API_SSH_KEYS, web::post().to(add))
        .route(routes::API_SSH_KEYS, web::get().to(list))
        .route(routes::API_SSH_KEY, web::delete().to(remove));
}

/// Body of `POST /api/v1/ssh-keys`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// One OpenSSH public key line: `ssh-ed25519 AAAA... comment`.
    pub key: String,
}

/// A key as the API shows it.
#[derive(Serialize)]
struct KeyView {
    fingerprint: String,
    key: String,
    comment: Option<String>,
    added: String,
}

impl From<SshKeyRecord> for KeyView {
    fn from(r: SshKeyRecord) -> Self {
        KeyView {
            fingerprint: r.fingerprint,
            key: r.key,
            comment: r.comment,
            added: r.added,
        }
    }
}

fn keys(state: &AppState) -> SshKeys {
    SshKeys::new(state.registry.store().clone())
}

/// Parses one OpenSSH public key line into a record (without its owner).
pub fn parse_key(line: &str) -> Result<SshKeyRecord> {
    let line = line.trim();
    if line.is_empty() {
        return Err(Error::BadRequest("the key is empty".into()));
    }
    if line.len() > MAX_KEY_LINE {
        return Err(Error::BadRequest(format!(
            "the key is longer than {MAX_KEY_LINE} bytes"
        )));
    }
    if line.contains(['\n', '\r']) {
        return Err(Error::BadRequest(
            "give exactly one public key line (as in ~/.ssh/id_ed25519.pub)".into(),
        ));
    }
    let mut key = PublicKey::from_openssh(line).map_err(|e| {
        Error::BadRequest(format!(
            "not an OpenSSH public key ({e}); give a line like \"ssh-ed25519 AAAA... you@host\""
        ))
    })?;
    check_algorithm(&key)?;
    let comment = check_comment(&key)?;
    key.set_comment("");
    let text = key
        .to_openssh()
        .map_err(|e| Error::BadRequest(format!("cannot encode the key: {e}")))?;
    Ok(SshKeyRecord {
        fingerprint: crate::ssh::fingerprint(&key),
        username: String::new(),
        key: text.trim().to_string(),
        comment: (!comment.is_empty()).then_some(comment),
        added: actors::base::clock::now_rfc3339(),
    })
}

/// Ed25519, ECDSA, and RSA of at least `MIN_RSA_BITS`; nothing else.
fn check_algorithm(key: &PublicKey) -> Result<()> {
    match key.algorithm() {
        Algorithm::Ed25519 | Algorithm::Ecdsa { .. } => {}
        Algorithm::Rsa { .. } => {
            let bits = key.key_data().rsa().map(|k| k.key_size()).unwrap_or(0);
            if bits < MIN_RSA_BITS {
                return Err(Error::BadRequest(format!(
                    "RSA keys must have at least {MIN_RSA_BITS} bits (this one has {bits})"
                )));
            }
        }
        Algorithm::Dsa => {
            return Err(Error::BadRequest(format!(
                "DSA keys are insecure and not accepted; {SUPPORTED}"
            )))
        }
        other => {
            return Err(Error::BadRequest(format!(
                "{} keys are not supported; {SUPPORTED}",
                other.as_str()
            )))
        }
    }
    Ok(())
}

/// The key's comment, trimmed: at most `MAX_COMMENT` characters, no control characters.
fn check_comment(key: &PublicKey) -> Result<String> {
    let comment = key.comment().as_str_lossy().trim().to_string();
    if comment.chars().count() > MAX_COMMENT {
        return Err(Error::BadRequest(format!(
            "the key's comment is longer than {MAX_COMMENT} characters"
        )));
    }
    if comment.chars().any(char::is_control) {
        return Err(Error::BadRequest(
            "the key's comment contains control characters".into(),
        ));
    }
    Ok(comment)
}

/// A fingerprint from a URL, with or without `SHA256:` (and tolerating `=` padding).
fn normalize_fingerprint(raw: &str) -> String {
    let bare = raw.strip_prefix("SHA256:").unwrap_or(raw);
    format!("SHA256:{}", bare.trim_end_matches('='))
}

/// `POST /api/v1/ssh-keys` -> 201 the stored key.
async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<NewKey>,
) -> Result<HttpResponse> {
    let user = auth::require_user(&state, &req)?;
    let record = add_key(&state, &user, &body.key).await?;
    let encoded = record.fingerprint.replace('/', "%2F");
    let location = expand(routes::API_SSH_KEY, &[("fingerprint", &encoded)]);
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(KeyView::from(record)))
}

/// `GET /api/v1/ssh-keys` -> 200 the person's keys, oldest first.
async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse> {
    let user = auth::require_user(&state, &req)?;
    let views: Vec<KeyView> = list_keys(&state, &user)?
        .into_iter()
        .map(KeyView::from)
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

/// `DELETE /api/v1/ssh-keys/{fingerprint}` -> 204; 404 unless it is the person's key.
async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let user = auth::require_user(&state, &req)?;
    remove_key(&state, &user, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Parses and stores one key line of `user` (the API's `POST` and the web settings page).
pub async fn add_key(state: &AppState, user: &str, line: &str) -> Result<SshKeyRecord> {
    let record = parse_key(line)?;
    let record = keys(state).add(user, record)?;
    state.registry.store().flush().await?;
    Ok(record)
}

/// `user`'s keys, oldest first.
pub fn list_keys(state: &AppState, user: &str) -> Result<Vec<SshKeyRecord>> {
    Ok(keys(state).list(user)?)
}

/// Removes `user`'s key with this fingerprint (with or without `SHA256:`); 404 unless it is
/// theirs.
pub async fn remove_key(state: &AppState, user: &str, fingerprint: &str) -> Result<()> {
    let fingerprint = normalize_fingerprint(fingerprint);
    keys(state)
        .remove(user, &fingerprint)
        .map_err(|e| match e {
            actors::ActorError::NotFound(_) => {
                Error::NotFound(format!("you have no SSH key {fingerprint}"))
            }
            other => other.into(),
        })?;
    state.registry.store().flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real ed25519 key; `ssh-keygen -lf` prints the fingerprint below for it.
    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWfR522N3j+pds8AXyDwQ0nbhCwZzhz3yyp5wv9puvi";
    const ED_FINGERPRINT: &str = "SHA256:x312Xd50jZ7h9oLoHUfpSt7c+o7feRIFOLS5yK/rhdQ";

    #[test]
    fn parses_and_strips_the_comment() {
        let r = parse_key(&format!("  {ED} alice@laptop \n")).unwrap();
        assert_eq!(r.key, ED);
        assert_eq!(r.comment.as_deref(), Some("alice@laptop"));
        assert_eq!(r.fingerprint, ED_FINGERPRINT, "formatted as OpenSSH does");
        assert_eq!(parse_key(ED).unwrap().comment, None);
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "hello",
            "ssh-ed25519",
            "ssh-ed25519 !!!",
            &format!("{ED}\n{ED}"),
        ] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fingerprints_from_urls() {
        assert_eq!(normalize_fingerprint("SHA256:abc"), "SHA256:abc");
        assert_eq!(normalize_fingerprint("abc"), "SHA256:abc");
        assert_eq!(normalize_fingerprint("abc="), "SHA256:abc");
    }
}
