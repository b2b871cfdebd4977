//! Helpers of the CSRF tests: reading the JSON API with a session's token, and posting a form
//! with missing, wrong or foreign tokens (refused) and with the visitor's own (accepted).

use super::common::{self, Instance};
use super::visitor::{Page, Visitor};
use serde_json::Value;

/// GETs an API path with a Bearer token: the JSON body (status asserted 200).
pub async fn api(a: &Instance, path: &str, token: &str) -> Value {
    let res = common::client()
        .get(a.at(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// Posts `fields` to `path` with no token, a wrong one and `foreign` (another visitor's valid
/// one): each must be a 403.
pub async fn refused(v: &mut Visitor, path: &str, fields: &[(&str, &str)], foreign: &str) {
    let wrong: Vec<(&str, &str)> = [("csrf", "0123456789abcdef")]
        .into_iter()
        .chain(fields.iter().copied())
        .collect();
    let theirs: Vec<(&str, &str)> = [("csrf", foreign)]
        .into_iter()
        .chain(fields.iter().copied())
        .collect();
    for (what, f) in [
        ("missing", fields.to_vec()),
        ("wrong", wrong),
        ("another visitor's", theirs),
    ] {
        let res: Page = v.post(path, &f).await;
        assert_eq!(res.status, 403, "{path} with a {what} token: {}", res.body);
        assert!(
            !v.set_cookies
                .iter()
                .any(|c| c.starts_with("orchard_session=")),
            "{path}"
        );
    }
}

/// Posts with the visitor's own token: the 303 of a form that worked.
pub async fn accepted(v: &mut Visitor, page: &str, path: &str, fields: &[(&str, &str)]) {
    let csrf = v.get(page).await.csrf();
    let f: Vec<(&str, &str)> = [("csrf", csrf.as_str())]
        .into_iter()
        .chain(fields.iter().copied())
        .collect();
    let res = v.post(path, &f).await;
    assert_eq!(res.status, 303, "{path} with the right token: {}", res.body);
}
