//! Reading the parts of an incoming signed request: the parameters of its `Signature` header
//! (`keyId`, `algorithm`, `headers`, `signature`, `created`, `expires`), the values of a header,
//! and its `Date` within the allowed skew.

use crate::error::Error;
use std::time::{Duration, SystemTime};

/// A signature failure (401) with this message.
pub fn sig_err(message: impl Into<String>) -> Error {
    Error::Signature(message.into())
}

/// The parameters of a `Signature` header, borrowed from it.
#[derive(Default)]
pub struct Params<'a> {
    pub key_id: Option<&'a str>,
    pub algorithm: Option<&'a str>,
    pub headers: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub created: Option<&'a str>,
    pub expires: Option<&'a str>,
}

/// Parses a `Signature` header value (or what follows `Authorization: Signature`).
pub fn parse_params(mut rest: &str) -> Result<Params<'_>, Error> {
    let malformed = || sig_err("Signature header is malformed");
    let mut params = Params::default();
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return Ok(params);
        }
        let (name, after) = rest.split_once('=').ok_or_else(malformed)?;
        let after = after.trim_start();
        let (value, tail) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').ok_or_else(malformed)?,
            None => after.split_at(after.find(',').unwrap_or(after.len())),
        };
        if !tail.trim_start().is_empty() && !tail.trim_start().starts_with(',') {
            return Err(malformed());
        }
        rest = tail;
        let slot = match name.trim() {
            "keyId" => &mut params.key_id,
            "algorithm" => &mut params.algorithm,
            "headers" => &mut params.headers,
            "signature" => &mut params.signature,
            "created" => &mut params.created,
            "expires" => &mut params.expires,
            _ => continue,
        };
        if slot.replace(value.trim()).is_some() {
            return Err(sig_err(format!("Signature header repeats {}", name.trim())));
        }
    }
}

/// The values of header `name` in `headers`.
pub fn values<'a>(headers: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// The one `Date` header, within `max_skew` of now.
pub fn check_date(headers: &[(String, String)], max_skew: Duration) -> Result<(), Error> {
    let mut dates = values(headers, "date");
    let date = dates.next().ok_or_else(|| sig_err("missing Date header"))?;
    if dates.next().is_some() {
        return Err(sig_err("more than one Date header"));
    }
    let date = httpdate::parse_http_date(date)
        .map_err(|_| sig_err("Date header is not a valid HTTP date"))?;
    let (skew, direction) = match SystemTime::now().duration_since(date) {
        Ok(age) => (age, "in the past"),
        Err(ahead) => (ahead.duration(), "in the future"),
    };
    if skew > max_skew {
        return Err(sig_err(format!(
            "Date header is {} s {direction}; at most {} s of skew is accepted",
            skew.as_secs(),
            max_skew.as_secs()
        )));
    }
    Ok(())
}
