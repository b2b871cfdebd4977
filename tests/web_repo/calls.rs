//! What the repository page tests ask over HTTP: a page as a browser asks for it (with or
//! without a session cookie), a form posted as a browser posts it, the CSRF token of a page.

use super::common::client::client;
use super::common::Instance;

/// An answer: status, headers the tests read, body.
pub struct Page {
    pub status: u16,
    pub content_type: String,
    pub vary: String,
    pub location: String,
    pub body: String,
}

/// A client that does not follow redirects (a form's 303 is checked as such).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn page_of(res: reqwest::Response) -> Page {
    let header = |name: &str| {
        (res.headers().get(name))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, vary, location) =
        (header("content-type"), header("vary"), header("location"));
    Page {
        status: res.status().as_u16(),
        content_type,
        vary,
        location,
        body: res.text().await.unwrap_or_default(),
    }
}

/// GETs `url` as a browser (Accept: text/html), in the session `session` if given.
pub async fn html(url: &str, session: Option<&str>) -> Page {
    let mut req = browser()
        .get(url)
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    if let Some(s) = session {
        req = req.header("Cookie", format!("orchard_session={s}"));
    }
    page_of(req.send().await.expect("GET page")).await
}

/// GETs `url` as a federation peer (Accept: application/activity+json), with a token if given.
pub async fn json(url: &str, token: Option<&str>) -> (u16, String, serde_json::Value) {
    let mut req = client()
        .get(url)
        .header("Accept", "application/activity+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("GET json");
    let status = res.status().as_u16();
    let vary = (res.headers().get("vary"))
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, vary, res.json().await.unwrap_or_default())
}

/// POSTs the urlencoded `fields` to `url` as a browser in the session `session` if given.
pub async fn form(url: &str, session: Option<&str>, fields: &[(&str, &str)]) -> Page {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut req = browser()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(s) = session {
        req = req.header("Cookie", format!("orchard_session={s}"));
    }
    page_of(req.send().await.expect("POST form")).await
}

/// The CSRF token of the forms of a page's body.
pub fn csrf_of(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).expect("a form with a CSRF token") + marker.len();
    body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A session of `user` (the token a login gives, as the session cookie holds it).
pub async fn session(inst: &Instance, user: &str) -> String {
    inst.login(user).await
}

/// Asserts that a page is HTML, 200, and holds every one of `wanted`.
pub fn shows(page: &Page, wanted: &[&str]) {
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    for w in wanted {
        assert!(
            page.body.contains(w),
            "the page lacks {w:?}:\n{}",
            page.body
        );
    }
}
