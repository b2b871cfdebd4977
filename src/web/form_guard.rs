//! What every form of the tickets, projects, creating and look-up pages does first: the CSRF
//! token checked (403, nothing changed), then the signed-in person (else to `/login`); and
//! the shared parts of their answers (the local path of an IRI, a query value encoded, the
//! `303 See Other` back).

use super::{csrf, session};
use crate::error::Result;
use crate::http::state::AppState;
use actix_web::HttpRequest;
use url::Url;

/// The signed-in person posting a form whose `csrf` field is `token`.
pub fn poster(state: &AppState, req: &HttpRequest, token: &str) -> Result<String> {
    csrf::check(state, req, token)?;
    session::require_signed_in(state, req)
}

/// The path (and query) of an IRI of this instance, for links and redirects; another
/// instance's IRI stays whole. A path a browser would read as another host (`//host/...`, which
/// `https://this//host` and `https://this/\host` both give) is `/`: redirects never leave.
pub fn local_path(state: &AppState, iri: &str) -> String {
    match Url::parse(iri) {
        Ok(u) if state.urls.parse_actor(&u).is_some() || same_origin(state, &u) => {
            if u.path().starts_with("//") {
                return "/".to_string();
            }
            match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_string(),
            }
        }
        _ => iri.to_string(),
    }
}

/// `text` percent-encoded for a query value (the `?q=`, `?origin=`, `&sent=` of redirects).
pub fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn same_origin(state: &AppState, u: &Url) -> bool {
    u.origin() == state.settings.public_url.origin()
}

/// A short label for an actor IRI: `name` for a local person, `name@host` elsewhere, the IRI
/// when it has no last segment.
pub fn actor_label(state: &AppState, iri: &str) -> String {
    let Ok(u) = Url::parse(iri) else {
        return iri.to_string();
    };
    let last = u
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string));
    match (last, state.urls.parse_actor(&u)) {
        (Some(name), Some(_)) => name,
        (Some(name), None) if !name.is_empty() => {
            format!("{name}@{}", u.authority())
        }
        _ => iri.to_string(),
    }
}
